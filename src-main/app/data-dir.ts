import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const storeFile = (dataDir: string) => join(dataDir, 'webdesk.sqlite3');
export const maildropDir = (dataDir: string) => join(dataDir, 'maildrop');

/**
 * WEBDESK_SECRET, or one generated on first start into the data folder, readable by the
 * app's user only. Losing it voids pending codes and queued mail, nothing else.
 */
export function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
