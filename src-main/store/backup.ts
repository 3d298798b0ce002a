import { accessSync, chmodSync, closeSync, constants, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sqlite3 from 'sqlite3';
import { localMigrations } from './migrations';

/**
 * File-level care of the local store: online backup (SQLite's backup API), inspection of a
 * candidate file (integrity + schema), and the swap that installs a restored file. Works on
 * paths, not on the app's knex connection, so the CLI can use it with the app stopped or
 * running.
 */

interface Backup {
  step(pages: number, cb: (err: Error | null) => void): void;
  finish(cb?: (err: Error | null) => void): void;
  completed: boolean;
  failed: boolean;
}
type RawDb = sqlite3.Database & { backup(filename: string, cb?: (err: Error | null) => void): Backup };

function open(file: string, mode: number): Promise<RawDb> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(db as RawDb)));
  });
}
const close = (db: sqlite3.Database) => new Promise<void>((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
const all = <T>(db: sqlite3.Database, sql: string) =>
  new Promise<T[]>((resolve, reject) => db.all<T>(sql, (err, rows) => (err ? reject(err) : resolve(rows))));
const exec = (db: sqlite3.Database, sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));

/** The files SQLite keeps beside a WAL database; they belong to it and move with it. */
export const companions = (file: string) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];

export function fileStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Copies the live store to `dest` while the app keeps writing. One step of all pages runs in
 * one read transaction, so the copy is a consistent snapshot; in WAL mode the app's writes
 * go on meanwhile (a paged backup would restart on every write of another connection and
 * might never finish at a busy counter). The copy is written beside `dest`, switched to a
 * self-contained rollback journal, checked, and only then renamed into place.
 */
export async function backupStore(source: string, dest: string): Promise<{ bytes: number; schema: string | undefined }> {
  if (!existsSync(source)) throw new Error(`no store at ${source}`);
  removeStaleCopies(dirname(dest));
  const tmp = join(dirname(dest), `.${Date.now()}-${process.pid}.backup-tmp`);
  // A copy holds every account: 0600 from its first byte (SQLite would make it 0644, and its
  // -journal takes the copy's mode), not only once it is renamed into place.
  writeFileSync(tmp, '', { mode: 0o600, flag: 'wx' });
  const db = await openToRead(source).catch((error: unknown) => {
    rmSync(tmp, { force: true });
    throw error;
  });
  try {
    db.configure('busyTimeout', 5000);
    const backup = db.backup(tmp);
    const deadline = Date.now() + 120_000;
    while (!backup.completed) {
      await new Promise<void>((resolve, reject) => backup.step(-1, (err) => (err && backup.failed ? reject(err) : resolve())));
      if (backup.failed) throw new Error('backup failed');
      if (!backup.completed) {
        if (Date.now() > deadline) throw new Error('backup did not complete within 120 s (store busy)');
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (error) {
    for (const f of companions(tmp)) rmSync(f, { force: true });
    throw error;
  } finally {
    await close(db);
  }
  try {
    const copy = await open(tmp, sqlite3.OPEN_READWRITE);
    try {
      await exec(copy, 'PRAGMA journal_mode = DELETE');
    } finally {
      await close(copy);
    }
    const report = await inspectStoreFile(tmp);
    if (!report.ok) throw new Error(`the copy did not verify: ${report.detail}`);
    // A backup holds every account: readable by the app's user only.
    chmodSync(tmp, 0o600);
    placeWithoutReplacing(tmp, dest);
    return { bytes: statSync(dest).size, schema: report.schema };
  } finally {
    for (const f of companions(tmp)) rmSync(f, { force: true });
  }
}

/**
 * The finished copy takes its name only if nothing has it: a rename replaced whatever appeared
 * there while the copy ran (a second `npm run backup` to the same name, started together, both
 * said they had written it; a file put there by hand was lost). A hard link fails with EEXIST
 * instead, atomically. A file system without hard links (a FAT or exFAT stick) falls back to
 * the check and the rename, which leaves only the instant between them.
 */
function placeWithoutReplacing(tmp: string, dest: string): void {
  try {
    linkSync(tmp, dest);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
  }
  if (existsSync(dest)) throw Object.assign(new Error(`EEXIST: file already exists, ${dest}`), { code: 'EEXIST', path: dest });
  renameSync(tmp, dest);
}

/**
 * The store opened for reading only. In a folder that takes no writes (a disk remounted
 * read-only: exactly when an operator wants a copy) SQLite cannot make the -shm a WAL store
 * needs, and the open failed ("attempt to write a readonly database"). With no WAL there,
 * the file alone is the whole store: opened immutable, it needs no -shm and takes no lock.
 * With a WAL left by a crash the newest changes are in it, and the file alone would miss
 * them: one line says to copy the folder first.
 */
async function openToRead(source: string): Promise<RawDb> {
  if (folderTakesWrites(dirname(source))) return open(source, sqlite3.OPEN_READONLY);
  const wal = `${source}-wal`;
  if (!existsSync(wal) || statSync(wal).size === 0) return open(`${pathToFileURL(source).href}?immutable=1`, sqlite3.OPEN_READONLY | sqlite3.OPEN_URI);
  try {
    const db = await open(source, sqlite3.OPEN_READONLY);
    await all(db, 'SELECT count(*) FROM sqlite_master');
    return db;
  } catch (error) {
    throw new Error(
      `the store's folder ${dirname(source)} takes no writes and ${wal} holds changes not yet in the store file (${errorText(error)}); copy the folder, the -wal with it, to a writable place and run the command on the copy (WEBDESK_DATA_DIR)`,
      { cause: error },
    );
  }
}

function folderTakesWrites(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const COPY_IN_PROGRESS = /^\.\d+-(\d+)\.backup-tmp(-journal|-wal|-shm)?$/;

/**
 * Copies a killed backup left behind (whole accounts, in the backup folder or beside the
 * target): removed when the process that made them is gone, or when they are an hour old,
 * since a pid is reused after a reboot and a backup gives up after 120 s.
 */
function removeStaleCopies(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(COPY_IN_PROGRESS.exec(name)?.[1]);
    if (!pid) continue;
    const file = join(dir, name);
    try {
      if (processAlive(pid) && Date.now() - statSync(file).mtimeMs < 3_600_000) continue;
      rmSync(file, { force: true });
    } catch {
      // Gone meanwhile, or not ours to remove: the next backup tries again.
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a file is not a store to run on; `detail` is for support (SQLite's own words for `damaged`), not for an operator's screen. */
export type StoreRefusal =
  | { ok: false; reason: 'unreadable' | 'damaged' | 'not-a-store' | 'newer-schema'; detail: string }
  | { ok: false; reason: 'cut-short'; detail: string; bytes: number; expectedBytes: number | undefined };
export type StoreReport = { ok: true; schema: string | undefined; migrations: number } | StoreRefusal;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * What the file's first 100 bytes (SQLite's header) say against its length. A copy cut off
 * part-way (a full USB stick, an interrupted transfer) otherwise read as "database disk image
 * is malformed", or opened as an empty database when the cut fell in the first page. The
 * header's page count counts only when its change counter matches version-valid-for (SQLite's
 * own rule); a length that is not whole pages is cut short either way.
 */
function headerRefusal(file: string): StoreRefusal | undefined {
  const bytes = statSync(file).size;
  if (bytes === 0) return { ok: false, reason: 'not-a-store', detail: 'an empty file (0 bytes)' };
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < SQLITE_MAGIC.length || !header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return { ok: false, reason: 'not-a-store', detail: 'not a SQLite file' };
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  const expectedBytes = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92) ? pages * pageSize : undefined;
  if (read < 100 || (expectedBytes !== undefined && bytes < expectedBytes) || (pageSize > 0 && bytes % pageSize !== 0)) {
    return { ok: false, reason: 'cut-short', detail: `${bytes} of ${expectedBytes ?? 'whole pages of'} bytes`, bytes, expectedBytes };
  }
  return undefined;
}

/**
 * Is this file a store this app can run on? Full integrity check, the migration table
 * present, and every applied migration one this app knows (a file from a newer version
 * would be downgraded silently otherwise). Opens read-only and changes nothing.
 */
export async function inspectStoreFile(file: string): Promise<StoreReport> {
  if (!existsSync(file)) return { ok: false, reason: 'unreadable', detail: `no file at ${file}` };
  // SQLite opens a folder and then fails with a disk I/O error, which reads like a failing disk.
  if (statSync(file).isDirectory()) return { ok: false, reason: 'unreadable', detail: `${file} is a folder, not a backup file (name the .sqlite3 file in it)` };
  try {
    const refusal = headerRefusal(file);
    if (refusal) return refusal;
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: errorText(error) };
  }
  let db: RawDb;
  try {
    db = await open(file, sqlite3.OPEN_READONLY);
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: errorText(error) };
  }
  try {
    let integrity: string;
    try {
      integrity = (await all<{ integrity_check: string }>(db, 'PRAGMA integrity_check')).map((r) => r.integrity_check).join('; ');
    } catch (error) {
      return { ok: false, reason: 'damaged', detail: errorText(error) };
    }
    if (integrity !== 'ok') return { ok: false, reason: 'damaged', detail: integrity.slice(0, 300) };
    const tables = await all<{ name: string }>(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'knex_migrations'");
    if (tables.length === 0) return { ok: false, reason: 'not-a-store', detail: 'no knex_migrations table' };
    const applied = (await all<{ name: string }>(db, 'SELECT name FROM knex_migrations ORDER BY id')).map((r) => r.name);
    const known = new Set(localMigrations.map(([name]) => name));
    const unknown = applied.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      return { ok: false, reason: 'newer-schema', detail: `migrations unknown to this version: ${unknown.join(', ')}` };
    }
    if (!applied.includes('0001_accounts')) return { ok: false, reason: 'not-a-store', detail: 'not a Webdesk counter store' };
    return { ok: true, schema: applied.at(-1), migrations: applied.length };
  } finally {
    await close(db).catch(() => undefined);
  }
}

/** PRAGMA quick_check of the store file, for the start-up check: 'ok' or what is wrong. */
export async function quickCheck(file: string): Promise<string> {
  try {
    const db = await open(file, sqlite3.OPEN_READONLY);
    try {
      return (await all<{ quick_check: string }>(db, 'PRAGMA quick_check')).map((r) => r.quick_check).join('; ');
    } finally {
      await close(db).catch(() => undefined);
    }
  } catch (error) {
    return errorText(error);
  }
}

/** The one step of the swap that changes the data folder; tests make it fail part-way. */
export interface SwapSteps {
  rename(from: string, to: string): void;
}
const fileSteps: SwapSteps = { rename: renameSync };

/** The swap failed; `message` is the one line for the operator, naming where the store is now. */
export class StoreSwapError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'StoreSwapError';
  }
}

/**
 * Moves the store and its companions into one new folder beside it, DIR/<name>/, under their
 * own names (so putting them back is one move), and never deletes. The store goes first and
 * its WAL after it: cut off between the two, the data folder keeps a WAL and no store, which
 * start-up refuses to build on (storeLeftovers); the other order would leave a store that
 * starts without its newest pages. On a failure the moved files go back, WAL first, and the
 * error says where the store is. Returns the folder, or undefined when there was nothing.
 */
export function moveStoreAside(file: string, name: string, steps: SwapSteps = fileSteps): string | undefined {
  const present = companions(file).filter((f) => existsSync(f));
  if (present.length === 0) return undefined;
  const folder = freshFolder(join(dirname(file), name));
  const moved: string[] = [];
  try {
    for (const f of present) {
      steps.rename(f, join(folder, basename(f)));
      moved.push(f);
    }
  } catch (error) {
    putBack(folder, moved, steps, error);
  }
  syncFolder(dirname(file));
  return folder;
}

/** Undoes moveStoreAside (companions first, the store last); throws the line saying where the store is. */
function putBack(folder: string, moved: string[], steps: SwapSteps, error: unknown): never {
  const cause = errorText(error);
  try {
    for (const f of [...moved].reverse()) steps.rename(join(folder, basename(f)), f);
    rmdirSync(folder);
  } catch {
    throw new StoreSwapError(
      `failed half-way (${cause}); the store is now in ${folder}: move its files back into ${dirname(folder)} before the counter starts (start-up refuses until then)`,
      error,
    );
  }
  throw new StoreSwapError(`failed (${cause}); nothing replaced, the store is back in ${dirname(folder)}`, error);
}

/** DIR/name, or DIR/name-2… when a restore in the same second made one already. */
function freshFolder(base: string): string {
  for (let n = 1; ; n += 1) {
    const folder = n === 1 ? base : `${base}-${n}`;
    try {
      mkdirSync(folder, { mode: 0o700 });
      return folder;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Makes the renames in a folder durable before the next step counts on them (POSIX; Windows cannot open a folder). */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

/**
 * A store that is gone while signs of it remain: its WAL or shared-memory file, or a restore's
 * before-restore folder (a restore cut off before the copy went in). Start-up must not begin
 * an empty store there: the real one, or its newest pages, would be lost for good.
 * Undefined when the store is there or nothing suggests there was one.
 */
export function storeLeftovers(file: string): string[] | undefined {
  if (existsSync(file)) return undefined;
  const dir = dirname(file);
  const orphans = companions(file).slice(1).filter((f) => existsSync(f));
  const restores = existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.startsWith('before-restore-') || n.startsWith(`${basename(file)}.before-restore-`))
        .map((n) => join(dir, n))
    : [];
  const found = [...orphans, ...restores];
  return found.length > 0 ? found : undefined;
}

/**
 * Replaces the store with a checked copy of `candidate`. Nothing is touched until the copy
 * (made with the backup API beside the store, so the last step is a rename in one folder)
 * has passed `inspectStoreFile`; then the old store and its WAL files go into one
 * before-restore-<UTC>/ folder, not deleted, and the copy is renamed into place. Any failure
 * puts the old files back, or throws a StoreSwapError naming where they are. The app must be
 * stopped (the caller checks).
 */
export async function restoreStore(
  candidate: string,
  storePath: string,
  nowMs: number,
  steps: SwapSteps = fileSteps,
): Promise<{ ok: true; schema: string | undefined; previous?: string } | Extract<StoreReport, { ok: false }>> {
  const first = await inspectStoreFile(candidate);
  if (!first.ok) return first;
  mkdirSync(dirname(storePath), { recursive: true, mode: 0o700 });
  const staged = `${storePath}.restore-tmp`;
  for (const f of companions(staged)) rmSync(f, { force: true });
  try {
    await backupStore(candidate, staged);
    const second = await inspectStoreFile(staged);
    if (!second.ok) return second;
    const previous = moveStoreAside(storePath, `before-restore-${fileStamp(nowMs)}`, steps);
    try {
      steps.rename(staged, storePath);
    } catch (error) {
      if (previous === undefined) throw new StoreSwapError(`failed (${errorText(error)}); nothing replaced`, error);
      putBack(previous, companions(storePath).filter((f) => existsSync(join(previous, basename(f)))), steps, error);
    }
    syncFolder(dirname(storePath));
    return { ok: true, schema: second.schema, ...(previous ? { previous } : {}) };
  } finally {
    for (const f of companions(staged)) rmSync(f, { force: true });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
