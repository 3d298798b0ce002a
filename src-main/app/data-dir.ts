import { accessSync, chmodSync, constants, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'unknown error';

/**
 * Creates the data folder and proves it takes a write, so a read-only or full folder stops
 * start-up with one line naming the folder and the cause, not a SQLite or logger error later.
 * Returns a line to log when the folder was open to other accounts and was made private.
 */
export function ensureWritableDataDir(dataDir: string): string | undefined {
  const probe = join(dataDir, `.write-test-${process.pid}`);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(probe, 'ok');
    rmSync(probe, { force: true });
  } catch (error) {
    const code = errorCode(error);
    throw new Error(`data folder ${dataDir} ${dataDirTrouble(code)}`, { cause: error });
  }
  return keepFolderPrivate(dataDir);
}

function dataDirTrouble(code: string): string {
  const elsewhere = 'set WEBDESK_DATA_DIR to a writable folder';
  if (code === 'EEXIST') return `is a file, not a folder (${code}); move the file away or ${elsewhere} (nothing was changed)`;
  if (code === 'ENOTDIR') return `lies under a file, not a folder (${code}); ${elsewhere} (nothing was changed)`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot be written by this user (${code}); give the counter's user write access to it or ${elsewhere}`;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `is full (${code}); free space or ${elsewhere}`;
  // A read-only mount has room; "free space" sent the operator to delete files that were not the cause.
  if (code === 'EROFS') return `is on a read-only file system (${code}); mount it read-write or ${elsewhere} (nothing was changed)`;
  return `is not writable (${code}); free space or ${elsewhere}`;
}

/**
 * A folder of the data folder's own that start-up opens next (logs, imports): a file in its
 * place or a folder the counter's user cannot open is said in words naming it, not as
 * mkdir's EEXIST or scandir's EACCES from the logger or the import slot.
 */
export function ensureDataFolder(path: string, what: string): void {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    accessSync(path, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = errorCode(error);
    const [state, todo] =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? ['is a file, not a folder', 'move the file aside and start again']
        : code === 'EACCES' || code === 'EPERM'
          ? ['cannot be opened by this user', "give the counter's user read and write access to it"]
          : ['cannot be made or opened', 'check the data folder'];
    throw new Error(`${what} ${path} ${state} (${code}); ${todo} (nothing was changed)`, { cause: error });
  }
}

/**
 * A data folder made beforehand (an installer's mkdir, 0755) let every local account list it
 * and read any file in it not made 0600 (a store an older version made 0644, a copy put there
 * by hand). The folder is the counter's own: made 0700 whenever it is wider, and said in the
 * log (a warning in /health would only tell after the fact). Windows: the mode bits mean
 * nothing there; the folder under %APPDATA% is private by its ACL.
 */
function keepFolderPrivate(dataDir: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  const stat = statSync(dataDir);
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  // Someone else's folder, or a shared one like /tmp (sticky): never changed, only said.
  let why = 'not the counter’s own folder';
  if (stat.uid === process.getuid?.() && (stat.mode & 0o1000) === 0) {
    try {
      chmodSync(dataDir, 0o700);
      return `data folder ${dataDir} was open to other accounts (mode ${mode.toString(8)}); made private (700)`;
    } catch (error) {
      why = (error as NodeJS.ErrnoException).code ?? String(error);
    }
  }
  return `data folder ${dataDir} is open to other accounts (mode ${mode.toString(8)}) and was not made private (${why}); chmod 700 it`;
}

export const storeFile = (dataDir: string) => join(dataDir, 'webdesk.sqlite3');

/**
 * The store and its WAL files, where they exist, take writes: a store made read-only (a
 * copy restored by hand, a file system mounted read-only) otherwise failed in knex's
 * migration lock with advice to run `knex migrate:unlock`, which is wrong here.
 */
export function ensureWritableStore(storePath: string): void {
  // SQLite says SQLITE_CANTOPEN, which start-up would report as a damaged store to restore.
  if (existsSync(storePath) && statSync(storePath).isDirectory()) {
    throw new Error(`the local store ${storePath} is a folder, not a file; move it aside and start again (nothing was changed)`);
  }
  for (const file of [storePath, `${storePath}-wal`, `${storePath}-shm`]) {
    if (!existsSync(file)) continue;
    try {
      accessSync(file, constants.W_OK);
    } catch (error) {
      const code = errorCode(error);
      const why = code === 'EROFS' ? 'is on a read-only file system' : 'is read-only';
      throw new Error(`the local store ${file} ${why} (${code}); give the counter's user write access to it (nothing was changed)`, { cause: error });
    }
  }
}
export const maildropDir = (dataDir: string) => join(dataDir, 'maildrop');

