import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Creates the data folder and proves it takes a write, so a read-only or full folder stops
 * start-up with one line naming the folder and the cause, not a SQLite or logger error later.
 */
export function ensureWritableDataDir(dataDir: string): void {
  const probe = join(dataDir, `.write-test-${process.pid}`);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(probe, 'ok');
    rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    const why = code === 'ENOSPC' || code === 'EDQUOT' ? 'is full' : code === 'EROFS' ? 'is on a read-only file system' : 'is not writable';
    throw new Error(`data folder ${dataDir} ${why} (${code}); free space or set WEBDESK_DATA_DIR to a writable folder`, { cause: error });
  }
}

export const storeFile = (dataDir: string) => join(dataDir, 'webdesk.sqlite3');

/**
 * The store and its WAL files, where they exist, take writes: a store made read-only (a
 * copy restored by hand, a file system mounted read-only) otherwise failed in knex's
 * migration lock with advice to run `knex migrate:unlock`, which is wrong here.
 */
export function ensureWritableStore(storePath: string): void {
  for (const file of [storePath, `${storePath}-wal`, `${storePath}-shm`]) {
    if (!existsSync(file)) continue;
    try {
      accessSync(file, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      const why = code === 'EROFS' ? 'is on a read-only file system' : 'is read-only';
      throw new Error(`the local store ${file} ${why} (${code}); give the counter's user write access to it (nothing was changed)`, { cause: error });
    }
  }
}
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
