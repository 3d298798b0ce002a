// A staff user's 氏名 is a person's name as the customer forms and the account import read
// one (contact-fields.ts personNameField): it is shown on every staff screen, in the audit log
// and its CSV, and beside an import run, so it holds no link, address or markup either.
import { describe, expect, it } from 'vitest';
import { fieldIssuesFromZod } from '../../../src-main/contract/field-issues';
import { staffCalls } from '../../../src-main/contract/staff-calls';

const create = staffCalls['staff.users.create'].input;
const displayName = (value: string) => {
  const result = create.safeParse({ username: 'hanako.k', displayName: value, role: 'agent' });
  return result.success ? { value: result.data.displayName } : { issues: fieldIssuesFromZod(result.error) };
};

describe('a staff user’s 氏名 (staff.users.create)', () => {
  it('refuses a web or e-mail address and markup, as a customer’s name is refused', () => {
    expect(displayName('https://evil.example/reset')).toEqual({ issues: [{ field: 'displayName', code: 'personName.link' }] });
    expect(displayName('ｗｗｗ．evil.example')).toEqual({ issues: [{ field: 'displayName', code: 'personName.link' }] });
    expect(displayName('support＠evil.example')).toEqual({ issues: [{ field: 'displayName', code: 'personName.link' }] });
    expect(displayName('<img src=x>窓口')).toEqual({ issues: [{ field: 'displayName', code: 'markup' }] });
  });

  it('folds runs of spaces and line separators into one space, as the forms do', () => {
    expect(displayName('  窓口\u2028\u3000花子\n ')).toEqual({ value: '窓口 花子' });
    expect(displayName('ｻﾝﾌﾟﾙ  太郎')).toEqual({ value: 'サンプル 太郎' });
  });

  it('still requires it and names its own limit', () => {
    expect(displayName(' \u3000 ')).toEqual({ issues: [{ field: 'displayName', code: 'required' }] });
    expect(displayName('あ'.repeat(61))).toEqual({ issues: [{ field: 'displayName', code: 'tooLong', params: { max: 60 } }] });
  });
});
