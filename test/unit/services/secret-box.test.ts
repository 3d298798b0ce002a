import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecretBox, hmacEquals, randomToken, type HmacPurpose } from '../../../src-main/services/secret-box';

const secret = 'k'.repeat(43);
const box = createSecretBox(secret);
const purposes: HmacPurpose[] = ['code', 'token', 'grant'];

describe('hmac', () => {
  it('is HMAC-SHA256: 64 hex characters, the same for the same input', () => {
    expect(box.hmac('code', 'r1:ABCDEFGHJK')).toMatch(/^[0-9a-f]{64}$/);
    expect(box.hmac('code', 'r1:ABCDEFGHJK')).toBe(createSecretBox(secret).hmac('code', 'r1:ABCDEFGHJK'));
  });

  it('uses a different key per purpose', () => {
    const values = purposes.map((p) => box.hmac(p, 'same value'));
    expect(new Set(values).size).toBe(3);
  });

  it('depends on the deployment secret', () => {
    expect(createSecretBox('another secret of enough length!!').hmac('token', 'x')).not.toBe(box.hmac('token', 'x'));
  });
});

describe('hmacEquals', () => {
  it('compares hex HMACs', () => {
    const a = box.hmac('grant', 'g');
    expect(hmacEquals(a, a)).toBe(true);
    expect(hmacEquals(a, box.hmac('grant', 'h'))).toBe(false);
    expect(hmacEquals(a, a.slice(0, 62))).toBe(false);
  });
});

describe('encrypt / decrypt (queued mail secrets)', () => {
  it('round-trips any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (plain) => {
        expect(box.decrypt(box.encrypt(plain))).toBe(plain);
      }),
      { numRuns: 200 },
    );
  });

  it('seals the same text differently each time (random IV)', () => {
    expect(box.encrypt('{"code":"ABCDEFGHJK"}')).not.toBe(box.encrypt('{"code":"ABCDEFGHJK"}'));
  });

  it('does not show the plain text', () => {
    expect(box.encrypt('{"code":"ABCDEFGHJK"}')).not.toContain('ABCDEFGHJK');
  });

  it('throws when any part of the sealed value was changed', () => {
    const sealed = box.encrypt('{"code":"ABCDEFGHJK","url":"/reset/x"}');
    const parts = sealed.split('.');
    for (let i = 0; i < parts.length; i += 1) {
      const bytes = Buffer.from(parts[i]!, 'base64url');
      bytes[0] = bytes[0]! ^ 0x01;
      const tampered = parts.map((p, j) => (j === i ? bytes.toString('base64url') : p)).join('.');
      expect(() => box.decrypt(tampered)).toThrow();
    }
  });

  it('throws under another secret and for a malformed value', () => {
    const sealed = box.encrypt('secret');
    expect(() => createSecretBox('another secret of enough length!!').decrypt(sealed)).toThrow();
    expect(() => box.decrypt('not-sealed')).toThrow();
  });
});

describe('randomToken', () => {
  it('is base64url of at least 128 bits (DESIGN §6) and unique', () => {
    const tokens = Array.from({ length: 100 }, () => randomToken());
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(t, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
