import { describe, expect, it } from 'vitest';
import { passwordField } from '../../../src-main/contract/fields';

describe('the password field', () => {
  it('refuses lone surrogates (two of them were the same password once scrypt read them as UTF-8), control characters and invisible marks', () => {
    for (const bad of ['Kiosk2026\uD800Tok-long', 'Kiosk2026\uDFFFTok-long', 'kaede\u0000no-michi-2031', 'kaede\u202Eno-michi-2031', 'kaede\u200Bno-michi-2031']) {
      const parsed = passwordField.safeParse(bad);
      expect(parsed.success, JSON.stringify(bad)).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe('controlCharacters');
    }
  });

  it('takes everything else as typed: spaces, kana, full-width, emoji', () => {
    for (const good of ['さくら 咲く 春の 朝に', 'ＫＡＥＤＥ－２０３１－ｍｉｃｈｉ', '🍣🗻🌸🍵🎍🎏🎐🎑🏯🗼🚅🍡', '  leading and trailing  ']) {
      expect(passwordField.parse(good)).toBe(good);
    }
  });
});
