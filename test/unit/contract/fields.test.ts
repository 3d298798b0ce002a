import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldIssuesFromZod } from '../../../src-main/contract/field-issues';
import { parseJsaId } from '../../../src-main/domain/jsa-id';
import { contract } from '../../../src-main/contract/registry';
import { codeField, emailField, jsaIdField, optionalJsaIdField, searchQueryField, textField, tokenField } from '../../../src-main/contract/fields';

/** The field issues a schema gives for a value, as they cross to the renderer. */
function issues(schema: z.ZodType, value: unknown) {
  const result = z.object({ f: schema }).safeParse({ f: value });
  if (result.success) throw new Error(`expected a failure, got ${JSON.stringify(result.data)}`);
  return fieldIssuesFromZod(result.error);
}

describe('textField', () => {
  const name = textField(10);

  it('stores NFKC and trims: full-width Latin and half-width katakana fold', () => {
    expect(name.parse('  ＡＢＣ商事 ')).toBe('ABC商事');
    expect(name.parse('ｻﾝﾌﾟﾙ')).toBe('サンプル');
  });

  it('refuses an empty or blank value as required', () => {
    expect(issues(name, '')).toEqual([{ field: 'f', code: 'required' }]);
    expect(issues(name, ' \u3000 ')).toEqual([{ field: 'f', code: 'required' }]);
  });

  it('accepts a blank value when the field is optional', () => {
    expect(textField(10, { required: false }).parse('  ')).toBe('');
  });

  it('counts the maximum in characters after NFKC and names it', () => {
    expect(name.parse('田中一郎田中一郎田中')).toBe('田中一郎田中一郎田中');
    expect(issues(name, '田中一郎田中一郎田中郎')).toEqual([{ field: 'f', code: 'tooLong', params: { max: 10 } }]);
    // ㈱ is one character typed but "(株)", three, once folded.
    expect(issues(name, '㈱サンプル商事です')).toEqual([{ field: 'f', code: 'tooLong', params: { max: 10 } }]);
  });

  it('names the field maximum for a very long paste too', () => {
    expect(issues(name, 'あ'.repeat(500))).toEqual([{ field: 'f', code: 'tooLong', params: { max: 10 } }]);
  });

  it.each([
    ['NUL', 'ab\u0000cd'],
    ['BEL', 'ab\u0007cd'],
    ['ESC', 'ab\u001bcd'],
    ['DEL', 'ab\u007fcd'],
    ['a C1 control', 'ab\u0085cd'],
    ['a lone surrogate', 'ab\ud800cd'],
  ])('refuses %s as a control character', (_what, value) => {
    expect(issues(name, value)).toEqual([{ field: 'f', code: 'controlCharacters' }]);
  });

  it('keeps tab and newline (multi-line addresses)', () => {
    expect(textField(40).parse('東京都港区\n三田3丁目')).toBe('東京都港区\n三田3丁目');
  });

  it.each(['田中🍣', '🏢サンプル', '☎'])('refuses pictographs in %s', (value) => {
    expect(issues(name, value)).toEqual([{ field: 'f', code: 'pictographs' }]);
  });
});

describe('jsaIdField', () => {
  it('gives the 11 ASCII digits', () => {
    expect(jsaIdField.parse('１２３４５ ６７８９０-１')).toBe('12345678901');
  });

  it('rejects a 10-digit JSA-ID with the digit count', () => {
    expect(issues(jsaIdField, '１２３４５６７８９０')).toEqual([{ field: 'f', code: 'jsaId.length', params: { digits: 10 } }]);
  });

  it('names empty and non-digit input without params', () => {
    expect(issues(jsaIdField, '')).toEqual([{ field: 'f', code: 'jsaId.empty' }]);
    expect(issues(jsaIdField, 'abc')).toEqual([{ field: 'f', code: 'jsaId.not-digits' }]);
  });

  it('refuses a paste longer than 64 characters as tooLong', () => {
    expect(issues(jsaIdField, '1'.repeat(65))).toEqual([{ field: 'f', code: 'tooLong', params: { max: 64 } }]);
  });
});

describe('optionalJsaIdField', () => {
  it('reads a blank JSA-ID as "both forgotten" (undefined)', () => {
    expect(optionalJsaIdField.parse('  ')).toBeUndefined();
    expect(optionalJsaIdField.parse('')).toBeUndefined();
  });

  it('still checks a JSA-ID that was typed', () => {
    expect(issues(optionalJsaIdField, '123')).toEqual([{ field: 'f', code: 'jsaId.length', params: { digits: 3 } }]);
  });
});

describe('emailField', () => {
  it('normalises the address', () => {
    expect(emailField.parse(' Ｔａｎａｋａ＠Example.co.jp ')).toBe('tanaka@example.co.jp');
  });

  it('says required for blank and email.format for a bad address', () => {
    expect(issues(emailField, '  ')).toEqual([{ field: 'f', code: 'required' }]);
    expect(issues(emailField, 'tanaka@localhost')).toEqual([{ field: 'f', code: 'email.format' }]);
    // Bytes the page could not read, and marks nobody sees, are no address anyone can type.
    expect(issues(emailField, '\uFFFD\uFFFD@x.jp')).toEqual([{ field: 'f', code: 'email.format' }]);
    expect(issues(emailField, 'zw\u200B@example.jp')).toEqual([{ field: 'f', code: 'email.format' }]);
    // The forms' rule, now the import's and the lookup's too: nodemailer read these as other addresses.
    expect(issues(emailField, 'x;attacker@evil.com')).toEqual([{ field: 'f', code: 'email.format' }]);
    expect(issues(emailField, 'a(comment)@evil.com')).toEqual([{ field: 'f', code: 'email.format' }]);
    expect(issues(emailField, 'user@例え.jp')).toEqual([{ field: 'f', code: 'email.notAscii' }]);
  });
});

describe('emailField length', () => {
  it('names the address’s own limit (254), whether the raw input or the folded address is too long', () => {
    expect(issues(emailField, `${'a'.repeat(600)}@x.jp`)).toEqual([{ field: 'f', code: 'tooLong', params: { max: 254 } }]);
    expect(issues(emailField, `${'ａ'.repeat(250)}@example.jp`)).toEqual([{ field: 'f', code: 'tooLong', params: { max: 254 } }]);
  });
});

describe('tokenField', () => {
  it('accepts base64url of 16–128 characters only', () => {
    expect(tokenField.safeParse('A'.repeat(16)).success).toBe(true);
    expect(tokenField.safeParse('A'.repeat(15)).success).toBe(false);
    expect(tokenField.safeParse('A'.repeat(129)).success).toBe(false);
    expect(tokenField.safeParse('AAAAAAAAAAAAAAA/').success).toBe(false);
  });
});

describe('a field of invisible marks alone is empty, whichever marks', () => {
  // U+FEFF is white space to String.prototype.trim, U+202E is not: each field once answered the two differently.
  const alone = ['\uFEFF', '\u202E', '\u200B', '\u3164', ' \u2066\u3000'];

  it.each(alone.map((m) => [JSON.stringify(m), m]))('%s in the JSA-ID of ID忘れ is no JSA-ID (e-mail only), on screen and in the call', (_shown, mark) => {
    expect(optionalJsaIdField.parse(mark)).toBeUndefined();
    expect(parseJsaId(mark)).toEqual({ ok: false, reason: 'empty' });
    expect(issues(jsaIdField, mark)).toEqual([{ field: 'f', code: 'jsaId.empty' }]);
  });

  it.each(alone.map((m) => [JSON.stringify(m), m]))('%s is required in an address, a code, a name and 変更権限コード\'s identifier', (_shown, mark) => {
    expect(issues(emailField, mark)).toEqual([{ field: 'f', code: 'required' }]);
    expect(issues(codeField, mark)).toEqual([{ field: 'f', code: 'required' }]);
    expect(issues(textField(10), mark)).toEqual([{ field: 'f', code: 'required' }]);
    expect(textField(10, { required: false }).parse(mark)).toBe('');
    const verify = contract['reset.verifyCode'].input.safeParse({ identifier: mark, code: 'ABCDEFGHJK' });
    expect(verify.success ? [] : fieldIssuesFromZod(verify.error)).toEqual([{ field: 'identifier', code: 'required' }]);
  });
});

describe('digit and code fields pasted with invisible marks', () => {
  // What a mail or a PDF leaves around a copied ID: a zero-width space, a BOM, bidi marks.
  const marks = ['\u200B', '\uFEFF', '\u200E', '\u200F', '\u2066', '\u00AD'];

  it.each(marks.map((m) => [m.codePointAt(0)!.toString(16), m]))('drops U+%s from a JSA-ID instead of asking for digits', (_hex, mark) => {
    expect(jsaIdField.parse(`${mark}1220${mark}0000001${mark}`)).toBe('12200000001');
    expect(optionalJsaIdField.parse(`${mark}12200000001`)).toBe('12200000001');
    expect(issues(jsaIdField, `${mark}1220000001`)).toEqual([{ field: 'f', code: 'jsaId.length', params: { digits: 10 } }]);
  });

  it('drops them from a 変更権限コード too', () => {
    expect(codeField.parse('\uFEFFABCDE-\u200BFGHJK\u200F')).toBe('ABCDEFGHJK');
  });

  it('drops them from a staff lookup of digits, and keeps refusing them in a name lookup and in names', () => {
    expect(searchQueryField.parse('\u200B1220-0000-001\uFEFF')).toBe('1220-0000-001');
    expect(searchQueryField.parse('\u200E03-1234-5678')).toBe('03-1234-5678');
    expect(issues(searchQueryField, '田\u200B中')).toEqual([{ field: 'f', code: 'controlCharacters' }]);
    expect(issues(searchQueryField, '\u200B')).toEqual([{ field: 'f', code: 'controlCharacters' }]);
    expect(issues(textField(10), '田\u200B中')).toEqual([{ field: 'f', code: 'controlCharacters' }]);
  });
});
