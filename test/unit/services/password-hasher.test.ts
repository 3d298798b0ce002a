import { describe, expect, it } from 'vitest';
import { createPasswordHasher, productionScrypt } from '../../../src-main/services/password-hasher';

const small = createPasswordHasher({ logN: 10, r: 8, p: 1 });
const phc = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

describe('password hasher (scrypt, PHC strings)', () => {
  it('production parameters are scrypt N=2^17 r=8 p=1 (DESIGN §6)', () => {
    expect(productionScrypt).toEqual({ logN: 17, r: 8, p: 1 });
  });

  it('hashes with the production parameters without hitting Node’s scrypt memory cap', async () => {
    // 128·2^17·8 bytes = 128 MiB, four times Node's default maxmem: this proves maxmem is raised.
    const hash = await createPasswordHasher(productionScrypt).hash('kumo-hana-tsuki-7');
    expect(hash.startsWith('$scrypt$ln=17,r=8,p=1$')).toBe(true);
  });

  it('writes a PHC string with the parameters, a 128-bit salt and a 256-bit key', async () => {
    const hash = await small.hash('kumo-hana-tsuki-7');
    const m = phc.exec(hash);
    expect(m).not.toBeNull();
    expect(m!.slice(1, 4)).toEqual(['10', '8', '1']);
    expect(Buffer.from(m![4]!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(m![5]!, 'base64url')).toHaveLength(32);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await small.hash('kumo-hana-tsuki-7');
    expect(await small.verify('kumo-hana-tsuki-7', hash)).toBe(true);
    expect(await small.verify('kumo-hana-tsuki-8', hash)).toBe(false);
    expect(await small.verify('', hash)).toBe(false);
  });

  it('salts: the same password hashes differently', async () => {
    expect(await small.hash('same-password-123')).not.toBe(await small.hash('same-password-123'));
  });

  it('reads the parameters from the hash, so old hashes verify after a raise', async () => {
    const old = await small.hash('kumo-hana-tsuki-7');
    const raised = createPasswordHasher({ logN: 11, r: 8, p: 1 });
    expect(await raised.verify('kumo-hana-tsuki-7', old)).toBe(true);
  });

  it('refuses a malformed or foreign hash instead of throwing', async () => {
    expect(await small.verify('x', 'plain-text')).toBe(false);
    expect(await small.verify('x', '$2b$10$abcdefghijklmnopqrstuv')).toBe(false);
  });

  it('dummyVerify resolves without revealing anything', async () => {
    await expect(small.dummyVerify('anything')).resolves.toBeUndefined();
  });
});
