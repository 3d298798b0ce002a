import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalizeAddress,
  normalizeFormText,
  parsePhone,
  parsePostalCode,
  textProblem,
} from '../../../src-main/domain/contact-normalize';

const toFullWidth = (s: string) => s.replace(/[0-9A-Za-z-]/g, (c) => (c === '-' ? '－' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
const digitString = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const hyphens = ['-', '－', 'ー', '−', '‐', '―', ' ', '　'];

describe('parsePostalCode', () => {
  it('turns seven digits in any common form into NNN-NNNN', () => {
    for (const typed of ['1000001', '100-0001', '〒100-0001', '１００－０００１', '100 0001', '〒１００ー０００１']) {
      expect(parsePostalCode(typed)).toEqual({ ok: true, value: '100-0001' });
    }
  });

  it('says how many digits were typed when there are not seven', () => {
    expect(parsePostalCode('100-001')).toEqual({ ok: false, reason: 'digits', digits: 6 });
    expect(parsePostalCode('１２３４５６７８')).toEqual({ ok: false, reason: 'digits', digits: 8 });
  });

  it('refuses letters and calls blank input empty', () => {
    expect(parsePostalCode('abc-defg')).toEqual({ ok: false, reason: 'format' });
    expect(parsePostalCode('  　')).toEqual({ ok: false, reason: 'empty' });
  });

  it('accepts any seven digits with any separators and widths, and is idempotent (property)', () => {
    fc.assert(
      fc.property(digitString(7, 7), fc.constantFrom(...hyphens), fc.boolean(), (digits, sep, wide) => {
        const typed = `${digits.slice(0, 3)}${sep}${digits.slice(3)}`;
        const parsed = parsePostalCode(wide ? toFullWidth(typed) : typed);
        expect(parsed).toEqual({ ok: true, value: `${digits.slice(0, 3)}-${digits.slice(3)}` });
        if (parsed.ok) expect(parsePostalCode(parsed.value)).toEqual(parsed);
      }),
    );
  });
});

describe('parsePhone', () => {
  it('folds full-width digits, brackets and any dash into digits and ASCII hyphens', () => {
    expect(parsePhone('０３（１２３４）５６７８')).toMatchObject({ ok: true, value: '03-1234-5678', digits: '0312345678' });
    expect(parsePhone('03 1234 5678')).toMatchObject({ ok: true, value: '03-1234-5678' });
    expect(parsePhone('090ー1234ー5678')).toMatchObject({ ok: true, value: '090-1234-5678' });
    expect(parsePhone('0312345678')).toMatchObject({ ok: true, value: '0312345678' });
    expect(parsePhone('+81-3-1234-5678')).toMatchObject({ ok: true, value: '+81-3-1234-5678', digits: '81312345678' });
  });

  it('names the digit count of a number that is too short or too long', () => {
    expect(parsePhone('03-1234-567')).toEqual({ ok: false, reason: 'digits', digits: 9 });
    expect(parsePhone('090-1234-56789')).toEqual({ ok: false, reason: 'digits', digits: 12 });
  });

  it('refuses letters, SQL-like text and domestic numbers without the leading 0', () => {
    expect(parsePhone("03'; DROP TABLE accounts;--")).toEqual({ ok: false, reason: 'format' });
    expect(parsePhone('内線 123')).toEqual({ ok: false, reason: 'format' });
    expect(parsePhone('31234567890')).toEqual({ ok: false, reason: 'format' });
    expect(parsePhone('')).toEqual({ ok: false, reason: 'empty' });
  });

  it('keeps the digits, whatever the separators and widths, and is idempotent (property)', () => {
    fc.assert(
      fc.property(digitString(9, 10), fc.array(fc.constantFrom(...hyphens), { minLength: 2, maxLength: 2 }), fc.boolean(), (rest, seps, wide) => {
        const digits = `0${rest}`;
        const typed = `${digits.slice(0, 3)}${seps[0]}${digits.slice(3, 7)}${seps[1]}${digits.slice(7)}`;
        const parsed = parsePhone(wide ? toFullWidth(typed) : typed);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.digits).toBe(digits);
        expect(parsed.value).toMatch(/^[0-9]+(-[0-9]+)*$/);
        expect(parsePhone(parsed.value)).toEqual(parsed);
      }),
    );
  });
});

describe('normalizeAddress', () => {
  it('makes the hyphens between house numbers ASCII and folds full-width digits', () => {
    expect(normalizeAddress('大阪府大阪市北区梅田１ー１ー１')).toBe('大阪府大阪市北区梅田1-1-1');
    expect(normalizeAddress('梅田1−1−1')).toBe('梅田1-1-1');
    expect(normalizeAddress('梅田 1 - 1 - 1')).toBe('梅田 1-1-1');
    expect(normalizeAddress('東京都港区三田3丁目13番12号　ＪＳＡビル　５Ｆ')).toBe('東京都港区三田3丁目13番12号 JSAビル 5F');
  });

  it('leaves the long vowel mark inside katakana words alone', () => {
    expect(normalizeAddress('〇〇センタービル2ー3')).toBe('〇〇センタービル2-3');
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'東京都1２３ー－−- 　ｾﾝﾀｰビル'), maxLength: 40 }), (s) => {
        const once = normalizeAddress(s);
        expect(normalizeAddress(once)).toBe(once);
      }),
    );
  });
});

describe('normalizeFormText', () => {
  it('folds half-width katakana and full-width Latin, and collapses spaces', () => {
    expect(normalizeFormText('  ﾀﾅｶ　　ｲﾁﾛｳ ')).toBe('タナカ イチロウ');
    expect(normalizeFormText('株式会社ＡＢＣ\n\t商事')).toBe('株式会社ABC 商事');
  });

  it('never leaves leading, trailing or double spaces (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (s) => {
        const out = normalizeFormText(s);
        expect(out).toBe(out.trim());
        expect(out).not.toMatch(/\s{2}/);
      }),
    );
  });
});

describe('textProblem', () => {
  it('refuses pictographs, flags, keycaps and skin tones', () => {
    for (const s of ['田中😀', '🇯🇵', '1️⃣', '👍🏽', '❤️']) expect(textProblem(s)).toBe('pictographs');
  });

  it('refuses control characters, bidi overrides and zero-width characters', () => {
    for (const s of ['a\u0000b', 'a\u0007', 'abc\u202Eevil', 'a\u200Bb', '\uFEFFa']) expect(textProblem(s)).toBe('controlCharacters');
  });

  it('refuses every other character nobody sees: format characters, unassigned code points, blank-looking fillers', () => {
    // Arabic letter mark (a bidi control), Mongolian vowel separator, a tag, an interlinear
    // annotation anchor, the Hangul filler (「\u3164\u3164」 looked like an empty name), the
    // combining grapheme joiner, a noncharacter.
    for (const s of ['a\u061Cb', 'a\u180Eb', 'a\u{E0041}b', 'a\uFFF9b', '\u3164\u3164', '\u034F', 'a\uFFFFb']) expect(textProblem(s), JSON.stringify(s)).toBe('controlCharacters');
    // Kanji with an ideographic variation selector (a combining mark, 葛󠄀) and private-use
    // gaiji from old Shift_JIS systems stay.
    expect(textProblem('葛\u{E0100}城')).toBeUndefined();
    expect(textProblem('\uE000商事')).toBeUndefined();
  });

  it('refuses markup brackets', () => {
    expect(textProblem('<script>alert(1)</script>')).toBe('markup');
  });

  it('accepts ordinary Japanese business text, including SQL-looking text (stored as data)', () => {
    for (const s of ['株式会社サンプル商事', '品質保証部 第2課', "O'Brien & Co.", "'; DROP TABLE accounts;--", '〒100-0001 東京都千代田区']) {
      expect(textProblem(s)).toBeUndefined();
    }
  });
});
