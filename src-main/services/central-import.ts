import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { newAccountIds } from '../store/account-import-repo';
import { appendAudit } from '../store/audit-repo';
import type { Db } from '../store/database';
import type { ImportCounts, ImportedAccount, ImportSink } from './account-import';
import { iso, type Clock } from './clock';

const columns = ['id', 'jsa_id', 'email', 'email_norm', 'contact_name', 'company', 'department', 'address', 'phone'] as const;
const values = columns.filter((c) => c !== 'id' && c !== 'jsa_id');

/**
 * Rows staged and merged at a time. PostgreSQL merges one chunk (its triggers bump versions
 * and log each change: most of central's work) while this process reads and checks the next,
 * so the two overlap instead of the merge starting only after the whole file was read.
 * Up to three chunks' text is held (one merged, one waiting, one being read): at 20,000 rows a
 * 1,000,000-row import peaked at 296–316 MB RSS, at 10,000 at 263–271 MB, at the same speed.
 */
export const CENTRAL_CHUNK_ROWS = 10_000;

/** A value in COPY's text format: backslash, tab and line breaks escaped. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}

function copyLines(rows: readonly ImportedAccount[]): string {
  const ids = newAccountIds(rows.length);
  let text = '';
  rows.forEach((r, at) => {
    text += `${ids[at]!}\t${columns
      .slice(1)
      .map((c) => copyText(r[c as keyof ImportedAccount]))
      .join('\t')}\n`;
  });
  return text;
}

const differs = (a: string, b: string) => `(${values.map((c) => `${a}.${c}`).join(', ')}) IS DISTINCT FROM (${values.map((c) => `${b}.${c}`).join(', ')})`;

/** One central import at a time (a session-level advisory lock: a killed importer's session ends and frees it). */
const IMPORT_LOCK_SQL = `SELECT pg_try_advisory_lock(hashtext('webdesk.central-import')) AS locked`;
const IMPORT_UNLOCK_SQL = `SELECT pg_advisory_unlock(hashtext('webdesk.central-import'))`;

/** Another `accounts:import -- --central` holds central: two merges of overlapping files would deadlock part-way. */
export class CentralImportBusyError extends Error {
  constructor() {
    super('another central import is running');
  }
}

/** Where the import's `accounts.import-started` entry goes: the operator's counter store, as its closing entry does. */
export interface CentralImportStart {
  db: Db;
  clock: Clock;
  actor: string;
  /** What is known of the file before it is read (name, size). */
  detail: { [key: string]: unknown };
}

/** A chunk whose transaction lost a deadlock (a counter's push on the same rows) is merged again, this often. */
const DEADLOCK_RETRIES = 3;

/**
 * The central account database as an import's target (`accounts:import -- --central`): the
 * checked rows go a chunk at a time into a temporary staging table with COPY, and one
 * set-based merge per chunk upserts them by JSA-ID, leaving unchanged rows alone. Central's
 * triggers bump versions and log every change, so the counters receive the rows by their
 * normal pull: no counter pushes the file as mutations.
 *
 * Each chunk is its own short transaction, as the local import's batches are: the counters'
 * pull reads the change log only below the oldest running transaction, so one transaction for
 * the whole file held every change made anywhere in the fleet back until it ended (for ever,
 * if the importer hung). An interrupted import leaves whole chunks; running it again finishes
 * it. A dry run's chunks are rolled back.
 */
export async function centralImportSink(
  central: pg.Client,
  options: { dryRun: boolean; nowIso: string; chunkRows?: number; startEntry?: CentralImportStart },
): Promise<ImportSink> {
  const chunkSize = options.chunkRows ?? CENTRAL_CHUNK_ROWS;
  let startRecorded = false;
  const { rows: lock } = await central.query<{ locked: boolean }>(IMPORT_LOCK_SQL);
  if (!lock[0]!.locked) throw new CentralImportBusyError();
  // A session paused inside a chunk (a stopped process, a cut network) is ended by the server
  // instead of holding the fleet's pulls; a chunk never waits on this process that long.
  await central.query(`SET idle_in_transaction_session_timeout = '30s'`);
  await central.query(`CREATE TEMP TABLE IF NOT EXISTS account_import (${columns.map((c) => `${c} text NOT NULL`).join(', ')}) ON COMMIT DELETE ROWS`);
  const none: ImportCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const total: ImportCounts = { inserted: 0, updated: 0, unchanged: 0 };
  let chunk: string[] = [];
  let chunkRows = 0;
  // The chunk PostgreSQL is working on (one at a time: the connection runs one statement).
  let working: Promise<void> = Promise.resolve();

  const merge = async (text: string): Promise<{ inserted: string; updated: string }> => {
    await central.query('BEGIN');
    try {
      const copy = central.query(copyFrom(`COPY account_import (${columns.join(', ')}) FROM STDIN`));
      const finished = once(copy, 'finish');
      copy.end(text);
      await finished;
      const { rows } = options.dryRun
        ? await central.query<{ updated: string; inserted: string }>(
            `SELECT count(*) FILTER (WHERE a.id IS NULL) AS inserted, count(*) FILTER (WHERE a.id IS NOT NULL AND ${differs('a', 's')}) AS updated
             FROM account_import s LEFT JOIN accounts a ON a.jsa_id = s.jsa_id`,
          )
        : await central.query<{ inserted: string; updated: string }>(
            // Rows central holds as they are are left out before the upsert: ON CONFLICT … DO
            // UPDATE … WHERE locks the row it finds even when the WHERE then skips it, so a file
            // imported again locked (and rewrote the page of, in WAL) every account it named,
            // and a counter's push on one of them waited for the chunk. Its WHERE stays: a row
            // changed by a counter since this read is compared again under the lock.
            `WITH merged AS (
               INSERT INTO accounts AS a (${columns.join(', ')}, password_hash, version, created_at, updated_at)
               SELECT ${columns.map((c) => `s.${c}`).join(', ')}, NULL, 1, $1, $1 FROM account_import s LEFT JOIN accounts held ON held.jsa_id = s.jsa_id
               WHERE held.id IS NULL OR ${differs('held', 's')}
               ON CONFLICT (jsa_id) DO UPDATE SET ${values.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at
               WHERE ${differs('a', 'excluded')}
               RETURNING (xmax = 0) AS inserted)
             SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM merged`,
            [options.nowIso],
          );
      // The first chunk that changes central is in this store's audit log before it commits
      // there: the two cannot commit together, and an entry for a chunk that then failed to
      // commit is the lesser harm than changed addresses (where reset codes go) with no entry,
      // which is what an import killed before its closing entry left. The entry streams to
      // central with the rest of this counter's log. A run that changes nothing writes none.
      if (!options.dryRun && !startRecorded && Number(rows[0]!.inserted) + Number(rows[0]!.updated) > 0 && options.startEntry) {
        const { db, clock, actor, detail } = options.startEntry;
        await db.transaction((tx) => appendAudit(tx, { actor, action: 'accounts.import-started', detail: { target: 'central', ...detail } }, iso(clock.nowMs())));
        startRecorded = true;
      }
      await central.query(options.dryRun ? 'ROLLBACK' : 'COMMIT');
      return rows[0]!;
    } catch (error) {
      await central.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  };
  const stageAndMerge = async (text: string, staged: number) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        count(await merge(text), staged);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '40P01' || attempt >= DEADLOCK_RETRIES) throw error;
      }
    }
  };
  const count = (row: { inserted: string; updated: string }, staged: number) => {
    const inserted = Number(row.inserted);
    const updated = Number(row.updated);
    total.inserted += inserted;
    total.updated += updated;
    total.unchanged += staged - inserted - updated;
  };
  const unlock = () => central.query(IMPORT_UNLOCK_SQL).then(
    () => undefined,
    () => undefined,
  );
  const send = async () => {
    const text = chunk.join('');
    const staged = chunkRows;
    chunk = [];
    chunkRows = 0;
    // At most one chunk waits while one is merged: memory stays two chunks whatever the file.
    await working;
    working = stageAndMerge(text, staged);
    // Awaited at the next send or at the end; until then a failure must not count as unhandled.
    working.catch(() => undefined);
  };

  return {
    target: 'central',
    async batch(rows: ImportedAccount[]) {
      chunk.push(copyLines(rows));
      chunkRows += rows.length;
      if (chunkRows >= chunkSize) await send();
      return none;
    },
    async finish() {
      try {
        if (chunkRows > 0) await send();
        await working;
        return total;
      } finally {
        await unlock();
      }
    },
    // The chunk being merged ends as it would have; the rest of the file is for the next run.
    async abandon() {
      await working.catch(() => undefined);
      await unlock();
    },
  };
}
