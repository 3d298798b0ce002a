import { describe, expect, it } from 'vitest';
import { EMAIL_MAX_LENGTH, emailProblem, isDeliverableEmail, maskEmail, normalizeEmail } from '../../../src-main/domain/email';

describe('normalizeEmail', () => {
  it('folds IME full-width letters and ＠, trims and lower-cases', () => {
    expect(normalizeEmail('  Ｔａｎａｋａ＠Ｅｘａｍｐｌｅ．ｃｏ．ｊｐ\u3000')).toBe('tanaka@example.co.jp');
  });

  it('lower-cases the local part too, so "Tanaka@" finds tanaka@', () => {
    expect(normalizeEmail('Tanaka.Ichiro@Example.CO.JP')).toBe('tanaka.ichiro@example.co.jp');
  });
});

describe('emailProblem (one rule for every address we keep)', () => {
  it.each(['tanaka@example.co.jp', 'a@b.jp', 'first.last+tag@sub.example.com', "o'brien@example.com", 'user@xn--r8jz45g.jp'])('accepts %s', (email) => {
    expect(emailProblem(email)).toBeUndefined();
    expect(isDeliverableEmail(email)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['no @', 'tanaka.example.co.jp'],
    ['two @', 'tanaka@@example.co.jp'],
    ['no dot in the domain', 'tanaka@localhost'],
    ['a space', 'tanaka ichiro@example.co.jp'],
    ['two dots in a row', 'tanaka@example..jp'],
    ['a trailing dot', 'tanaka@example.jp.'],
    ['a leading dot in the local part', '.a@x.jp'],
    ['a hyphen at a label edge', 'a@-x.jp'],
    ['a TLD with a digit', 'a@x.j1'],
    // What nodemailer read as another address (the prober's mail went to attacker@evil.com).
    ['a semicolon (a group separator)', 'x;attacker@evil.com'],
    ['angle brackets', '<attacker@evil.com>'],
    ['a comment', 'a(comment)@evil.com'],
    ['a comma', 'a,attacker@evil.com'],
    ['a quoted local part', '"a b"@example.jp'],
    ['an encoded word', '=?utf-8?b?YXR0YWNrZXJAZXZpbC5jb20=?=@example.co.jp'],
    ['a zero-width space', 'zw\u200B@example.jp'],
    ['bytes the page could not read', '\uFFFD\uFFFD@x.jp'],
  ])('refuses an address with %s as format', (_label, email) => {
    expect(emailProblem(email)).toBe('format');
  });

  it.each(['user@例え.jp', '田中@example.jp'])('refuses %s as not ASCII (no IDN or SMTPUTF8 at the relay)', (email) => {
    expect(emailProblem(email)).toBe('notAscii');
  });

  it(`refuses an address longer than ${EMAIL_MAX_LENGTH} characters`, () => {
    const local = 'a'.repeat(64);
    const fits = `${local}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(EMAIL_MAX_LENGTH - 64 - 1 - 63 - 1 - 63 - 1 - 3)}.jp`;
    expect(fits.length).toBe(EMAIL_MAX_LENGTH);
    expect(isDeliverableEmail(fits)).toBe(true);
    expect(isDeliverableEmail(`a${fits}`)).toBe(false);
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
