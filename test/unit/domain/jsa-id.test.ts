import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JSA_ID_LENGTH, maskJsaId, parseJsaId } from '../../../src-main/domain/jsa-id';

const toFullWidth = (digits: string) => digits.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

// What customers put between digit groups: ASCII and full-width spaces and hyphens, dashes, the
// katakana prolonged sound mark ー (half-width ｰ too) and the minus sign.
const separator = fc.constantFrom(' ', '\u3000', '-', '－', 'ー', 'ｰ', '‐', '–', '—', '―', '−', '\t');

/** The digits with a separator (or none) after each one, some of them full width. */
const typedForms = (digits: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: digits.length, maxLength: digits.length }),
      fc.array(fc.option(separator, { nil: '' }), { minLength: digits.length + 1, maxLength: digits.length + 1 }),
    )
    .map(([wide, seps]) => seps[0] + [...digits].map((d, i) => (wide[i] ? toFullWidth(d) : d) + seps[i + 1]).join(''));

const digitString = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });

describe('parseJsaId', () => {
  it('accepts 11 ASCII digits as they are', () => {
    expect(parseJsaId('12345678901')).toEqual({ ok: true, value: '12345678901' });
  });

  it('folds full-width digits, spaces and hyphens in any mix to the 11 ASCII digits (property)', () => {
    fc.assert(
      fc.property(
        digitString(JSA_ID_LENGTH).chain((digits) => typedForms(digits).map((typed) => ({ digits, typed }))),
        ({ digits, typed }) => {
          expect(parseJsaId(typed)).toEqual({ ok: true, value: digits });
        },
      ),
    );
  });

  it('accepts a JSA-ID copied from a letter as ０１２３-４５６７ー８９０', () => {
    expect(parseJsaId('０１２３-４５６７ー８９０')).toEqual({ ok: true, value: '01234567890' });
  });

  it('rejects a 10-digit JSA-ID with the digit count', () => {
    expect(parseJsaId('1234567890')).toEqual({ ok: false, reason: 'length', digits: 10 });
  });

  it('reports the number of digits typed for every wrong length, separators and width aside (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 40 })
          .filter((n) => n !== JSA_ID_LENGTH)
          .chain((n) => digitString(n))
          .chain((digits) => typedForms(digits).map((typed) => ({ digits, typed }))),
        ({ digits, typed }) => {
          expect(parseJsaId(typed)).toEqual({ ok: false, reason: 'length', digits: digits.length });
        },
      ),
    );
  });

  it('treats input of only spaces and hyphens as empty', () => {
    expect(parseJsaId('')).toEqual({ ok: false, reason: 'empty' });
    expect(parseJsaId(' \u3000- ー ')).toEqual({ ok: false, reason: 'empty' });
  });

  it('refuses letters and other characters as not-digits rather than counting them', () => {
    expect(parseJsaId('1234567890A')).toEqual({ ok: false, reason: 'not-digits' });
    expect(parseJsaId('12345.678901')).toEqual({ ok: false, reason: 'not-digits' });
    // Arabic-Indic digits are digits to Unicode but not to NFKC: not a JSA-ID.
    expect(parseJsaId('١٢٣٤٥٦٧٨٩٠١')).toEqual({ ok: false, reason: 'not-digits' });
  });
});

describe('maskJsaId', () => {
  it('shows only the last four digits', () => {
    expect(maskJsaId('12345678901')).toBe('•••••••8901');
  });
});
