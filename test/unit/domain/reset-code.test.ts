import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, CODE_LENGTH, codeFromRandomBytes, formatCode, isWellFormedCode, normalizeCode } from '../../../src-main/domain/reset-code';
import { randomCode } from '../../../src-main/services/secret-box';

const wellFormed = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);
const anyCode = fc.string({ unit: fc.constantFrom(...CODE_ALPHABET), minLength: CODE_LENGTH, maxLength: CODE_LENGTH });
const toFullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('the code alphabet', () => {
  it('has 32 distinct symbols and none of the look-alikes I, L, O, U', () => {
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
  });
});

describe('codeFromRandomBytes', () => {
  it('always makes 10 symbols of the alphabet, whatever the bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: CODE_LENGTH, maxLength: 64 }), (bytes) => {
        const code = codeFromRandomBytes(bytes);
        expect(code).toMatch(wellFormed);
        expect(isWellFormedCode(code)).toBe(true);
      }),
    );
  });

  it('uses every symbol: byte b gives symbol b mod 32', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i + 64);
    const symbols = codeFromRandomBytes(bytes.slice(0, 10)) + codeFromRandomBytes(bytes.slice(10, 20)) + codeFromRandomBytes(bytes.slice(20, 30));
    expect(symbols).toBe(CODE_ALPHABET.slice(0, 30));
  });

  it('refuses fewer random bytes than symbols', () => {
    expect(() => codeFromRandomBytes(randomBytes(CODE_LENGTH - 1))).toThrow(RangeError);
  });
});

describe('randomCode (CSPRNG)', () => {
  it('generates well-formed codes that differ from one another', () => {
    const codes = Array.from({ length: 200 }, () => randomCode());
    for (const code of codes) expect(code).toMatch(wellFormed);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('normalizeCode', () => {
  it('folds lower case, full width, spaces and hyphens', () => {
    expect(normalizeCode('abcde-fghjk')).toBe('ABCDEFGHJK');
    expect(normalizeCode('ＡＢＣＤＥ－ＦＧＨＪＫ')).toBe('ABCDEFGHJK');
    expect(normalizeCode(' ab cde ー fg hjk ')).toBe('ABCDEFGHJK');
  });

  it('reads the look-alikes as Crockford defines them: O→0, I and L→1', () => {
    expect(normalizeCode('O0o0I1i1L1l1')).toBe('000011111111');
    expect(normalizeCode('ｏｉｌ')).toBe('011');
  });

  it('leaves U and other foreign symbols for isWellFormedCode to refuse', () => {
    expect(isWellFormedCode(normalizeCode('UUUUU-UUUUU'))).toBe(false);
    expect(isWellFormedCode(normalizeCode('ABCDE-FGHJ'))).toBe(false);
    expect(isWellFormedCode(normalizeCode('ABCDE-FGHJK-M'))).toBe(false);
  });

  it('round-trips formatCode for every code (property)', () => {
    fc.assert(
      fc.property(anyCode, (code) => {
        expect(formatCode(code)).toMatch(/^.{5}-.{5}$/);
        expect(normalizeCode(formatCode(code))).toBe(code);
        expect(normalizeCode(formatCode(code).toLowerCase())).toBe(code);
        expect(normalizeCode(toFullWidth(formatCode(code)))).toBe(code);
      }),
    );
  });
});
