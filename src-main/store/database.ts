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
  return knex({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
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
}

export async function integrityCheck(db: Db): Promise<string> {
  const rows = (await db.raw('PRAGMA integrity_check')) as Array<{ integrity_check: string }>;
  return rows.map((r) => r.integrity_check).join('; ');
}
