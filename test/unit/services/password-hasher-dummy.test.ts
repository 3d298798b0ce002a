// An answer for a JSA-ID on no account must cost what a wrong password costs (DESIGN §6): one
// scrypt derivation with the same parameters, from the very first call. The dummy hash was
// made lazily by hashing at that first call, so the first unknown JSA-ID after a start took
// two derivations (2.1 s against 1.0 s at a busy counter) and stood out from a wrong password.
import { describe, expect, it, vi } from 'vitest';

const derived = vi.hoisted(() => ({ params: [] as Array<{ N: number; r: number; p: number }> }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  const scrypt = ((...args: unknown[]) => {
    const options = args[3] as { N: number; r: number; p: number };
    derived.params.push({ N: options.N, r: options.r, p: options.p });
    (crypto.scrypt as (...a: unknown[]) => void)(...args);
  }) as typeof crypto.scrypt;
  return { ...crypto, scrypt, default: { ...crypto, scrypt } };
});

const { createPasswordHasher } = await import('../../../src-main/services/password-hasher');

describe('dummyVerify', () => {
  it('derives once with the hasher’s parameters, on the first call as on every later one, as verify does', async () => {
    const hasher = createPasswordHasher({ logN: 10, r: 8, p: 1 });
    const real = await hasher.hash('kumo-hana-tsuki-7');
    derived.params = [];
    await hasher.dummyVerify('wrong-password-1');
    expect(derived.params).toEqual([{ N: 1024, r: 8, p: 1 }]);
    await hasher.dummyVerify('wrong-password-2');
    await hasher.verify('wrong-password-3', real);
    expect(derived.params).toEqual([
      { N: 1024, r: 8, p: 1 },
      { N: 1024, r: 8, p: 1 },
      { N: 1024, r: 8, p: 1 },
    ]);
  });
});
