import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldIssuesFromZod } from '../../../src-main/contract/field-issues';
import { mailFromField } from '../../../src-main/contract/ops-calls';
import { mailFromProblem } from '../../../src-main/domain/mail-from';

const injected = 'JSA\r\nBcc: spy@evil.com\r\nX-Injected: yes\r\n <webdesk@jisa.or.jp>';

describe('mailFromProblem (the sender of every mail)', () => {
  it.each(['JSA Webdesk <webdesk@jisa.or.jp>', '日本規格協会 <webdesk@example.jp>', 'webdesk@example.jp', 'Webdesk@Example.JP'])('accepts %s', (value) => {
    expect(mailFromProblem(value)).toBeUndefined();
  });

  it.each([
    ['CR LF that starts a Bcc header', injected],
    ['a bare LF', 'JSA\nBcc: spy@evil.com <webdesk@jisa.or.jp>'],
    ['a tab', 'JSA\tWebdesk <webdesk@jisa.or.jp>'],
    ['a line separator', 'JSA\u2028Webdesk <webdesk@jisa.or.jp>'],
    ['a right-to-left override', 'JSA \u202Ekcsedbew <webdesk@jisa.or.jp>'],
    ['NUL', 'JSA\u0000 <webdesk@jisa.or.jp>'],
  ])('refuses %s as control characters', (_what, value) => {
    expect(mailFromProblem(value)).toBe('controlCharacters');
  });

  it.each(['webdesk', 'JSA <webdesk at example.jp>', 'JSA <x;spy@evil.com>', 'JSA <webdesk@localhost>'])('refuses %s as format', (value) => {
    expect(mailFromProblem(value)).toBe('format');
  });
});

describe('ops.setup.save mailFrom', () => {
  const issues = (value: string) => {
    const result = z.object({ mailFrom: mailFromField }).safeParse({ mailFrom: value });
    return result.success ? [] : fieldIssuesFromZod(result.error);
  };

  it('refuses a header injection in words (controlCharacters), a bad address as mailFrom.format', () => {
    expect(issues(injected)).toEqual([{ field: 'mailFrom', code: 'controlCharacters' }]);
    expect(issues('JSA <webdesk at example.jp>')).toEqual([{ field: 'mailFrom', code: 'mailFrom.format' }]);
    expect(issues('JSA Webdesk <webdesk@jisa.or.jp>')).toEqual([]);
  });
});
