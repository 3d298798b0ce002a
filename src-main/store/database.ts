import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import knex, { type Knex } from 'knex';

export type Db = Knex;
export type Tx = Knex.Transaction;
/** Anything a repository can run a query on: the database or an open transaction. */
export type Queryable = Knex | Knex.Transaction;

/**
 * Opens the local SQLite store. WAL lets readers go on while a write commits;
 * synchronous=FULL because a kiosk may lose power, and a reset the customer saw succeed must
 * survive it (DESIGN §7). One connection: SQLite has one writer anyway, and knex queues.
 */
export function openDatabase(filename: string): Db {
  if (filename !== ':memory:') keepPrivate(filename);
  const db = knex({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    log: {
      // A store that does not open (not a database, a folder, no access) rejects the query
      // that asked, and start-up says so in one line; knex would also print it with a stack.
      warn(message: unknown) {
        if (typeof message === 'string' && message.startsWith('Acquire connection error')) return;
        console.warn(message);
      },
    },
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        conn.exec(
          'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
          (err) => done(err, conn),
        );
      },
    },
  });
  beginImmediate(db);
  return db;
}

/**
 * The store holds every account: readable by the app's user only, wherever the data folder is
 * and whatever the umask. SQLite would make the file 0644; made empty and 0600 here first (an
 * empty file is a new database to SQLite), and its -wal and -shm then take the same mode from
 * it. Files an earlier version made wider are narrowed. No-op for the mode bits on Windows.
 */
function keepPrivate(file: string): void {
  try {
    writeFileSync(file, '', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(f) || (statSync(f).mode & 0o077) === 0) continue;
    try {
      chmodSync(f, 0o600);
    } catch {
      // Not the owner (a file copied in by another account): left as its owner made it.
    }
  }
}

type Begins = { begin(conn: unknown): Promise<unknown>; query(conn: unknown, sql: string): Promise<unknown> };

/**
 * Transactions take the write lock when they begin (BEGIN IMMEDIATE): another process writing
 * the same store (a CLI import, seed or restore beside the running counter) then makes a
 * transaction wait up to busy_timeout at its start, where SQLite can wait. A plain BEGIN
 * reads first and fails at once with SQLITE_BUSY when it then writes after the other
 * process committed (a snapshot it can no longer upgrade). Inside one process nothing
 * changes: the one connection runs one transaction at a time anyway.
 */
function beginImmediate(db: Db): void {
  const client = db.client as { transaction: (...args: unknown[]) => Begins };
  const make = client.transaction.bind(client);
  client.transaction = (...args: unknown[]) => {
    const trx = make(...args);
    // begin() runs once the connection is acquired, after this returns.
    trx.begin = (conn) => trx.query(conn, 'BEGIN IMMEDIATE;');
    return trx;
  };
}

export async function integrityCheck(db: Db): Promise<string> {
  const rows = (await db.raw('PRAGMA integrity_check')) as Array<{ integrity_check: string }>;
  return rows.map((r) => r.integrity_check).join('; ');
}

/**
 * After a batch of background work (folding search keys): when a caller is using the store's
 * one connection or waiting for it, a short pause so its whole call (a few statements, each
 * queued behind the next batch otherwise) gets through first. Free when nobody is there.
 */
export async function letCallersIn(db: Db, pauseMs = 10): Promise<void> {
  const pool = (db.client as { pool?: { numUsed(): number; numPendingAcquires(): number } }).pool;
  if (pool && (pool.numUsed() > 0 || pool.numPendingAcquires() > 0)) await new Promise((resolve) => setTimeout(resolve, pauseMs));
}
