import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import pLimit from 'p-limit';

/**
 * scrypt N=2^17 r=8 p=1 (DESIGN §6, the OWASP password-storage figure) in a PHC string, so
 * the parameters travel with the hash and can be raised later without breaking old hashes.
 */
export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

export const productionScrypt: ScryptParams = { logN: 17, r: 8, p: 1 };

/**
 * scrypt runs on libuv's thread pool (4 threads), where node-sqlite3 runs every query too: a
 * burst of logins (40 wrong staff passwords at once: each 2^17 scrypt ~0.1–0.2 s) held all
 * four threads, and every customer's call waited behind them (15 s). Two at a time leave the
 * store its threads; the logins queue, each still taking its full time.
 */
export const SCRYPT_AT_ONCE = 2;
const scryptSlots = pLimit(SCRYPT_AT_ONCE);

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  const N = 2 ** params.logN;
  // scrypt needs 128·N·r bytes; allow twice that so Node's default 32 MiB cap does not refuse.
  const maxmem = 256 * N * params.r;
  return scryptSlots(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password, salt, length, { N, r: params.r, p: params.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
      }),
  );
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, phc: string): Promise<boolean>;
  /** Spends the same time as a verify, for answers that must not reveal a missing account. */
  dummyVerify(password: string): Promise<void>;
}

export function createPasswordHasher(params: ScryptParams = productionScrypt): PasswordHasher {
  const hash = async (password: string): Promise<string> => {
    const salt = randomBytes(16);
    const key = await derive(password, salt, params, 32);
    return `$scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  };
  const verify = async (password: string, phc: string): Promise<boolean> => {
    const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(phc);
    if (!match) return false;
    const stored = Buffer.from(match[5]!, 'base64url');
    const key = await derive(
      password,
      Buffer.from(match[4]!, 'base64url'),
      { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) },
      stored.length,
    );
    return timingSafeEqual(key, stored);
  };
  // A hash of nothing: random salt and key under the same parameters, so verifying against it
  // is one derivation like any verify. Hashing a dummy password at the first call instead made
  // the first unknown JSA-ID after a start cost two (2.1 s against 1.0 s for a wrong password).
  const dummy = `$scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`;
  return {
    hash,
    verify,
    async dummyVerify(password) {
      await verify(password, dummy);
    },
  };
}
