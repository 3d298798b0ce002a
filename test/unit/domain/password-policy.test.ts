import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonPasswordCount, isCommonPassword } from '../../../src-main/domain/common-passwords';
import { evaluatePassword, failedRules, normalizePassword, passwordLength, type PasswordContext } from '../../../src-main/domain/password-policy';
import { defaultRuntimeSettings, passwordPolicySchema, type PasswordPolicy } from '../../../src-main/domain/runtime-settings';

const policy = defaultRuntimeSettings.passwordPolicy;
const context: PasswordContext = { jsaId: '12345678901', email: 'tanaka@example.co.jp', company: '株式会社サンプル商事' };
const failed = (password: string, p: PasswordPolicy = policy, c: PasswordContext = context) =>
  failedRules(evaluatePassword(password, p, c, isCommonPassword));
const toFullWidth = (s: string) => s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

describe('the default policy (ASVS 5.0 V6.2, NIST SP 800-63B)', () => {
  it('asks for 12 characters, accepts 128, and has no composition rules', () => {
    expect(policy).toMatchObject({ minLength: 12, maxLength: 128, requireLower: false, requireUpper: false, requireDigit: false, requireSymbol: false, historyCount: 5 });
  });

  it('cannot be configured below 8 characters or to refuse passwords of 64', () => {
    expect(passwordPolicySchema.safeParse({ minLength: 7 }).success).toBe(false);
    expect(passwordPolicySchema.safeParse({ maxLength: 63 }).success).toBe(false);
  });

  it('accepts a long passphrase of any characters', () => {
    expect(failed('さくら 咲く 春の 朝')).toEqual(['minLength']);
    expect(failed('さくら 咲く 春の 朝に 会いましょう')).toEqual([]);
    expect(failed('correct horse battery staple')).toEqual([]);
  });
});

describe('trivial passwords', () => {
  it('refuses blank ones and runs of fewer than four different characters as guessable, however long', () => {
    expect(failed(' '.repeat(12))).toEqual(['notCommon']);
    expect(failed('\u3000'.repeat(12))).toEqual(['notCommon']);
    expect(failed('a'.repeat(40))).toEqual(['notCommon']);
    expect(failed('abcabcabcabc')).toEqual(['notCommon']);
    expect(failed('abcdabcdabcd')).toEqual([]);
  });
});

describe('length', () => {
  it('names the minimum and the length typed', () => {
    const item = evaluatePassword('kumo-hana-7', policy, context, isCommonPassword).find((i) => i.rule === 'minLength');
    expect(item).toEqual({ rule: 'minLength', ok: false, params: { min: 12, length: 11 } });
  });

  it('counts code points, so an emoji or a kanji is one character', () => {
    expect(passwordLength('🍣🍣🍣')).toBe(3);
    expect(failed('🍣🗻🌸🍵🎍🎏🎐🎑🏯🗼🚅🍡')).toEqual([]);
    expect(failed('🍣🗻🌸🍵🎍🎏🎐🎑🏯🗼🚅')).toEqual(['minLength']);
  });

  it('counts after NFKC, so e + combining accent is one character', () => {
    const composedLater = 'e\u0301'.repeat(11); // 22 code points typed, 11 after NFKC
    expect(failed(composedLater)).toContain('minLength');
    expect(failed('e\u0301'.repeat(12))).not.toContain('minLength');
  });

  it('refuses more than the maximum', () => {
    expect(failed('x7q!'.repeat(32))).toEqual([]);
    expect(failed('x7q!'.repeat(32) + 'y')).toEqual(['maxLength']);
  });
});

describe('NFKC first', () => {
  it('treats full-width IME input as the half-width password', () => {
    const half = 'Kumo-Hana-Tsuki-7';
    const full = toFullWidth(half);
    expect(full).not.toBe(half);
    expect(normalizePassword(full)).toBe(half);
    expect(evaluatePassword(full, policy, context, isCommonPassword)).toEqual(evaluatePassword(half, policy, context, isCommonPassword));
  });

  it('treats half-width katakana as full-width katakana', () => {
    expect(normalizePassword('ｻｸﾗｻｸﾗｻｸﾗ')).toBe('サクラサクラサクラ');
  });
});

describe('common passwords', () => {
  it('ships a list of at least 10,000 (ASVS V6.2.4 asks for the top 3,000)', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
  });

  it.each(['password', 'Password', '123456789012', 'qwertyuiop', 'ｐａｓｓｗｏｒｄ'])('refuses %s as common', (pw) => {
    expect(isCommonPassword(normalizePassword(pw))).toBe(true);
    expect(failed(pw, { ...policy, minLength: 8 })).toContain('notCommon');
  });

  it('fails an empty password on notCommon and notPersonal too, not only on length', () => {
    expect(failed('')).toEqual(expect.arrayContaining(['minLength', 'notCommon', 'notPersonal']));
  });
});

describe('personal and context words', () => {
  it.each([
    ['the JSA-ID', 'kumo12345678901hana'],
    ['the JSA-ID typed full width', 'kumo１２３４５６７８９０１hana'],
    ['the email', 'xx-tanaka@example.co.jp-xx'],
    ['the email local part', 'Tanaka-Kumo-Hana-7'],
    ['"webdesk" in any case', 'my-WebDesk-password-7'],
    ['"JSA"', 'kumo-hana-jsa-tsuki'],
    ['the company without 株式会社', 'サンプル商事のパスワード'],
    ['the company in half-width katakana', 'ｻﾝﾌﾟﾙ商事ﾉﾊﾟｽﾜｰﾄﾞ'],
  ])('refuses a password containing %s', (_what, pw) => {
    expect(failed(pw)).toContain('notPersonal');
  });

  it('accepts the same password for somebody else', () => {
    expect(failed('Tanaka-Kumo-Hana-7', policy, { jsaId: '99999999999', email: 'sato@example.jp', company: '有限会社みほん' })).toEqual([]);
  });
});

describe('optional character-class rules (beyond ASVS, off by default)', () => {
  const strict: PasswordPolicy = { ...policy, requireLower: true, requireUpper: true, requireDigit: true, requireSymbol: true };

  it('adds one checklist item per rule switched on', () => {
    const rules = evaluatePassword('x', strict, context, isCommonPassword).map((i) => i.rule);
    expect(rules).toEqual(['minLength', 'maxLength', 'lower', 'upper', 'digit', 'symbol', 'notCommon', 'notPersonal']);
    expect(evaluatePassword('x', policy, context, isCommonPassword).map((i) => i.rule)).toEqual(['minLength', 'maxLength', 'notCommon', 'notPersonal']);
  });

  it.each([
    ['lower', 'KUMO-HANA-TSUKI-7'],
    ['upper', 'kumo-hana-tsuki-7'],
    ['digit', 'Kumo-Hana-Tsuki-x'],
    ['symbol', 'KumoHanaTsuki7x'],
  ])('refuses a password without %s when that rule is on', (rule, pw) => {
    expect(failed(pw, strict)).toEqual([rule]);
  });

  it('accepts a password that has every class', () => {
    expect(failed('Kumo-Hana-Tsuki-7', strict)).toEqual([]);
  });

  it('counts full-width digits as digits (after NFKC)', () => {
    expect(failed('Kumo-Hana-Tsuki-７', strict)).toEqual([]);
  });
});

describe('any long enough password of random characters passes (property)', () => {
  // No j and no w, so no service word (jsa, jisa, webdesk) can appear by chance; the context's
  // JSA-ID, address and company cannot be spelt from these symbols either.
  const unit = fc.constantFrom(...'abcdefghikmnopqrstuvxyzABCDEFGHKLMNPQRSTUVXYZ23456789!#$%&*+=?@^_~ あいうえおかきくけこ漢字春夏秋冬');
  const nobody: PasswordContext = { jsaId: '10000000001', email: 'jw@jw.jp', company: 'ＪＷＪＷＪＷ' };

  it('for every minimum length the settings allow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 64 }).chain((minLength) =>
          fc.tuple(fc.constant(minLength), fc.string({ unit, minLength, maxLength: 128 })),
        ),
        ([minLength, pw]) => {
          fc.pre(!isCommonPassword(normalizePassword(pw)));
          expect(failed(pw, { ...policy, minLength }, nobody)).toEqual([]);
        },
      ),
    );
  });
});
