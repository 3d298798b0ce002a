import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addressField, companyField, contactLimits, optionalPersonNameField, personNameField, phoneField, postalCodeField } from '../../../src-main/contract/contact-fields';
import { emailField } from '../../../src-main/contract/fields';
import { contract } from '../../../src-main/contract/registry';
import { fieldIssuesFromZod } from '../../../src-main/contract/field-issues';

function issues(schema: z.ZodType, value: unknown) {
  const result = z.object({ f: schema }).safeParse({ f: value });
  return result.success ? [] : fieldIssuesFromZod(result.error).map(({ code, params }) => ({ code, ...(params ? { params } : {}) }));
}

describe('contact fields give the issue the screen names', () => {
  const table: Array<[string, z.ZodType, unknown, unknown[]]> = [
    ['empty name', personNameField, '', [{ code: 'required' }]],
    ['blank name', personNameField, '　 ', [{ code: 'required' }]],
    ['missing name', personNameField, undefined, [{ code: 'required' }]],
    ['1,000-character name', personNameField, 'あ'.repeat(1000), [{ code: 'tooLong', params: { max: 100 } }]],
    ['101-character name', personNameField, 'あ'.repeat(101), [{ code: 'tooLong', params: { max: 100 } }]],
    ['emoji in a name', personNameField, '田中😀', [{ code: 'pictographs' }]],
    ['markup in a name', personNameField, '<script>alert(1)</script>', [{ code: 'markup' }]],
    // A name opens the greeting of every mail to the account: no link or address in it (customer probe).
    ['a web address as a name', personNameField, 'https://evil.example/login', [{ code: 'personName.link' }]],
    ['a full-width web address as a name', personNameField, 'ｗｗｗ．evil.example へ', [{ code: 'personName.link' }]],
    ['an e-mail address as a name', personNameField, '至急 help＠evil.example まで', [{ code: 'personName.link' }]],
    ['a link as the 前任者名', optionalPersonNameField, 'http://x.example', [{ code: 'personName.link' }]],
    ['a company may hold its web address', companyField, 'サンプル商事 www.sample.co.jp', []],
    ['control character in an address', addressField, '東京都\u0007港区', [{ code: 'controlCharacters' }]],
    ['1,000-character address', addressField, 'x'.repeat(1000), [{ code: 'tooLong', params: { max: 300 } }]],
    ['six-digit postal code', postalCodeField, '100-001', [{ code: 'postalCode.digits', params: { digits: 6 } }]],
    ['letters as postal code', postalCodeField, 'abcdefg', [{ code: 'postalCode.format' }]],
    ['empty postal code', postalCodeField, '', [{ code: 'required' }]],
    ['SQL-like phone', phoneField, "1' OR '1'='1", [{ code: 'phone.format' }]],
    ['nine-digit phone', phoneField, '03-1234-567', [{ code: 'phone.digits', params: { digits: 9 } }]],
    ['1,000-character phone', phoneField, '0'.repeat(1000), [{ code: 'tooLong', params: { max: 40 } }]],
    ['markup as email', emailField, '<script>@x.jp', [{ code: 'email.format' }]],
    ['empty email', emailField, '', [{ code: 'required' }]],
  ];
  it.each(table)('%s', (_what, schema, value, expected) => {
    expect(issues(schema, value)).toEqual(expected);
  });
});

describe('contact fields store the canonical form', () => {
  it('normalises full-width digits everywhere it matters', () => {
    expect(postalCodeField.parse('〒１００－０００１')).toBe('100-0001');
    expect(phoneField.parse('０３－１２３４－５６７８')).toBe('03-1234-5678');
    // What an account may hold, a form takes: a company of 150 characters is typed as registered.
    expect(companyField.parse('株'.repeat(150))).toBe('株'.repeat(150));
    expect(companyField.safeParse('株'.repeat(contactLimits.company + 1)).success).toBe(false);
    expect(addressField.parse('梅田１ー１ー１')).toBe('梅田1-1-1');
    expect(emailField.parse(' Ｔａｎａｋａ＠Example.co.jp ')).toBe('tanaka@example.co.jp');
  });

  it('keeps SQL-looking text as plain data', () => {
    expect(personNameField.parse("Robert'); DROP TABLE inquiries;--")).toBe("Robert'); DROP TABLE inquiries;--");
  });

  it('turns an empty optional predecessor name into nothing', () => {
    expect(optionalPersonNameField.parse('  ')).toBeUndefined();
  });
});

describe('the contract', () => {
  it('serves マイページ to logged-in customers only and the forms to anyone', () => {
    for (const [name, def] of Object.entries(contract)) {
      if (name.startsWith('mypage.')) expect(def.role, name).toBe('customer');
      if (name.startsWith('inquiry.')) expect(def.role, name).toBe('public');
    }
  });
});
