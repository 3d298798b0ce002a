import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
  const tmp = join(dirname(dest), `.${Date.now()}-${process.pid}.backup-tmp`);
  const db = await open(source, sqlite3.OPEN_READONLY);
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
    renameSync(tmp, dest);
    return { bytes: statSync(dest).size, schema: report.schema };
  } finally {
    for (const f of companions(tmp)) rmSync(f, { force: true });
  }
}

export type StoreReport =
  | { ok: true; schema: string | undefined; migrations: number }
  | { ok: false; reason: 'unreadable' | 'damaged' | 'not-a-store' | 'newer-schema'; detail: string };

/**
 * Is this file a store this app can run on? Full integrity check, the migration table
 * present, and every applied migration one this app knows (a file from a newer version
 * would be downgraded silently otherwise). Opens read-only and changes nothing.
 */
export async function inspectStoreFile(file: string): Promise<StoreReport> {
  if (!existsSync(file)) return { ok: false, reason: 'unreadable', detail: `no file at ${file}` };
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

/** Moves the store and its WAL companions aside (never deletes them); returns the new name. */
export function moveStoreAside(file: string, suffix: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const target = `${file}.${suffix}`;
  for (const [i, f] of companions(file).entries()) {
    if (existsSync(f)) renameSync(f, `${target}${['', '-wal', '-shm', '-journal'][i]}`);
  }
  return target;
}

/**
 * Replaces the store with a checked copy of `candidate`. Nothing is touched until the copy
 * (made with the backup API, so a candidate in WAL mode comes along whole) has passed
 * `inspectStoreFile`; then the old store and its WAL files are moved aside, not deleted, and
 * the copy is renamed into place. The app must be stopped (the caller checks).
 */
export async function restoreStore(
  candidate: string,
  storePath: string,
  nowMs: number,
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
    const previous = moveStoreAside(storePath, `before-restore-${fileStamp(nowMs)}`);
    renameSync(staged, storePath);
    return { ok: true, schema: second.schema, ...(previous ? { previous } : {}) };
  } finally {
    for (const f of companions(staged)) rmSync(f, { force: true });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
