import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { storeFile } from './data-dir';

/**
 * What is wrong with a deployment secret, or undefined when it will do. One rule for
 * WEBDESK_SECRET and DATA_DIR/secret.key: every HMAC key and the mail-sealing key derive from
 * it, so an empty, short or garbled one (a first start that ran out of disk leaves 0 bytes;
 * a power cut can leave NULs) is a key anybody holding a backup can recompute.
 */
export function secretFault(secret: string): string | undefined {
  if (secret.trim().length < 32) return 'expected at least 32 characters, not counting spaces at either end';
  // U+FFFD: bytes that were not UTF-8 text.
  if (/[\p{Cc}\uFFFD]/u.test(secret)) return 'expected printable characters only (it holds control characters or bytes that are not text)';
  return undefined;
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'unknown error';

/**
 * WEBDESK_SECRET, or one generated on first start into the data folder, readable by the
 * app's user only. Losing it voids pending codes and queued mail, nothing else. A file that
 * cannot be read or holds no key stops start-up with one line naming it; nothing is changed,
 * as the file is the only copy of whatever key sealed the store's pending codes and mail.
 */
export function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return createSecret(dataDir, file);
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? `cannot be read by this user (${code}); give the counter's user read access to it`
        : code === 'EISDIR'
          ? `is a folder, not a file (${code}); move it aside and start again to have a new key made`
          : `cannot be read (${code})`;
    throw new Error(`secret.key ${file} ${why} (nothing was changed)`, { cause: error });
  }
  const secret = text.trim();
  const fault = secretFault(secret);
  if (fault === undefined) return secret;
  const what = secret === '' ? 'is empty (a first start that ran out of disk space leaves it so)' : `is not a key this counter wrote (${fault})`;
  const store = storeFile(dataDir);
  const sealed = existsSync(store) ? `; the pending codes, links and queued mail in ${store} were sealed under it and will have to be asked for again` : '';
  throw new Error(`secret.key ${file} ${what}; nothing was changed. Move the file aside (keep it) and start again to have a new key made${sealed}`);
}

/**
 * A new key, written whole or not at all: a temporary file, flushed to disk, then linked into
 * place. A link, not a rename, so two starts at once never replace each other's key: the one
 * that comes second reads the first one's.
 */
function createSecret(dataDir: string, file: string): string {
  const secret = randomBytes(32).toString('base64url');
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeFileSync(fd, `${secret}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(tmp, file);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return loadOrCreateSecret(dataDir);
    const why = code === 'ENOSPC' || code === 'EDQUOT' ? 'the data folder is full; free space' : 'give the counter\'s user write access to the data folder';
    throw new Error(`secret.key ${file} could not be written (${code}); ${why} and start again (no key was kept)`, { cause: error });
  } finally {
    rmSync(tmp, { force: true });
  }
  syncFolder(dataDir);
  return secret;
}

/** The new name survives a power cut only once the folder is flushed too (POSIX; Windows cannot open a folder for this). */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
