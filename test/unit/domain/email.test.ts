import { describe, expect, it } from 'vitest';
import { EMAIL_MAX_LENGTH, isPlausibleEmail, maskEmail, normalizeEmail } from '../../../src-main/domain/email';

describe('normalizeEmail', () => {
  it('folds IME full-width letters and ＠, trims and lower-cases', () => {
    expect(normalizeEmail('  Ｔａｎａｋａ＠Ｅｘａｍｐｌｅ．ｃｏ．ｊｐ\u3000')).toBe('tanaka@example.co.jp');
  });

  it('lower-cases the local part too, so "Tanaka@" finds tanaka@', () => {
    expect(normalizeEmail('Tanaka.Ichiro@Example.CO.JP')).toBe('tanaka.ichiro@example.co.jp');
  });
});

describe('isPlausibleEmail', () => {
  it.each(['tanaka@example.co.jp', 'a@b.jp', 'first.last+tag@sub.example.com'])('accepts %s', (email) => {
    expect(isPlausibleEmail(email)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['no @', 'tanaka.example.co.jp'],
    ['two @', 'tanaka@@example.co.jp'],
    ['no dot in the domain', 'tanaka@localhost'],
    ['a space', 'tanaka ichiro@example.co.jp'],
    ['two dots in a row', 'tanaka@example..jp'],
    ['a trailing dot', 'tanaka@example.jp.'],
  ])('refuses an address with %s', (_label, email) => {
    expect(isPlausibleEmail(email)).toBe(false);
  });

  it(`refuses an address longer than ${EMAIL_MAX_LENGTH} characters`, () => {
    const local = 'a'.repeat(64);
    const fits = `${local}@${'b'.repeat(EMAIL_MAX_LENGTH - 64 - 1 - 3)}.jp`;
    expect(fits.length).toBe(EMAIL_MAX_LENGTH);
    expect(isPlausibleEmail(fits)).toBe(true);
    expect(isPlausibleEmail(`a${fits}`)).toBe(false);
  });
});

describe('maskEmail', () => {
  it('keeps the first letter and the domain', () => {
    expect(maskEmail('tanaka@example.co.jp')).toBe('t•••••@example.co.jp');
  });

  it('hides a short local part behind at least three dots', () => {
    expect(maskEmail('ab@example.jp')).toBe('a•••@example.jp');
  });

  it('reveals nothing of a value that is not an address', () => {
    expect(maskEmail('tanaka')).toBe('•••');
    expect(maskEmail('@example.jp')).toBe('•••');
  });
});
