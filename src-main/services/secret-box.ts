import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { codeFromRandomBytes } from '../domain/reset-code';

export type HmacPurpose = 'code' | 'token' | 'grant' | 'audit-marker';

/**
 * Everything derived from the deployment secret: HMAC keys for codes, link tokens and
 * grants (DESIGN §6: stored only as HMAC-SHA256), and the key that encrypts the secret parts
 * of queued mail. One HKDF label per purpose, so no key is used for two things.
 */
export interface SecretBox {
  hmac(purpose: HmacPurpose, value: string): string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export function createSecretBox(secret: string): SecretBox {
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', secret, 'jsa-webdesk', label, 32));
  const hmacKeys: Record<HmacPurpose, Buffer> = {
    code: derive('hmac:code'),
    token: derive('hmac:token'),
    grant: derive('hmac:grant'),
    // Signs the marker a retention purge leaves in the audit log (services/retention.ts).
    'audit-marker': derive('hmac:audit-marker'),
  };
  const mailKey = derive('aead:mail');
  return {
    hmac: (purpose, value) => createHmac('sha256', hmacKeys[purpose]).update(value, 'utf8').digest('hex'),
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', mailKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
    },
    decrypt(sealed) {
      const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
      if (!iv || !tag || !body) throw new Error('sealed value is malformed');
      const decipher = createDecipheriv('aes-256-gcm', mailKey, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
  };
}

/** Constant-time comparison of two hex HMACs. */
export function hmacEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** 24 bytes = 192 bits, above the 128 DESIGN §6 asks of a link token. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export function randomCode(): string {
  return codeFromRandomBytes(randomBytes(16));
}
