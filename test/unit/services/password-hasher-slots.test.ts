// scrypt shares libuv's four threads with every SQLite query: the hasher runs at most
// SCRYPT_AT_ONCE at a time, however many logins arrive at once (a burst of 40 wrong staff
// passwords used to hold all four threads and stall every customer's call).
import { describe, expect, it, vi } from 'vitest';

const seen = vi.hoisted(() => ({ running: 0, most: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  const scrypt = ((...args: unknown[]) => {
    const done = args[args.length - 1] as (err: Error | null, key: Buffer) => void;
    seen.running += 1;
    seen.most = Math.max(seen.most, seen.running);
    (crypto.scrypt as (...a: unknown[]) => void)(...args.slice(0, -1), (err: Error | null, key: Buffer) => {
      seen.running -= 1;
      done(err, key);
    });
  }) as typeof crypto.scrypt;
  return { ...crypto, scrypt, default: { ...crypto, scrypt } };
});

const { SCRYPT_AT_ONCE, createPasswordHasher } = await import('../../../src-main/services/password-hasher');

describe('scrypt slots', () => {
  it('runs at most two derivations at once under a burst of twelve, and every one completes', async () => {
    const hasher = createPasswordHasher({ logN: 12, r: 8, p: 1 });
    const hash = await hasher.hash('kumo-hana-tsuki-7');
    seen.most = 0;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => hasher.verify(i === 0 ? 'kumo-hana-tsuki-7' : `wrong-${i}`, hash)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(SCRYPT_AT_ONCE).toBe(2);
    expect(seen.most).toBe(SCRYPT_AT_ONCE);
    expect(seen.running).toBe(0);
  });
});
