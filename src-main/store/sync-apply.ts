import type { Queryable } from './database';
import { travellingColumns } from './sync-triggers';
import { setApplying } from './sync-state-repo';
import { syncedTable, type SyncedTable } from './sync-tables';

export type CentralRow = Record<string, unknown>;

export interface ApplyResult {
  applied: number;
  /** Rows not applied because a local mutation of the same row still waits to be pushed. */
  deferred: number;
  /** Rows the local schema refused (e.g. a unique JSA-ID held by another local row); `subject` is an account's JSA-ID, else the key. */
  refused: Array<{ key: string; subject: string; error: string }>;
}

// Keyed by the knex config, which a database and its transactions share: a transaction is a
// new object each time, and reading PRAGMA table_info again in every pull transaction costs.
const columnCache = new WeakMap<object, Map<string, string[]>>();

/** The travelling columns of a synced table, read once per database. */
export async function columnsOf(db: Queryable, table: SyncedTable): Promise<string[]> {
  const owner = db.client.config as object;
  let perDb = columnCache.get(owner);
  if (!perDb) columnCache.set(owner, (perDb = new Map()));
  let cols = perDb.get(table.name);
  if (!cols) perDb.set(table.name, (cols = await travellingColumns(db, table)));
  return cols;
}

const extract = (c: string) => `json_extract(value, '$."${c}"')`;

/**
 * Writes central's rows into the local replica, one statement per batch (json_each), and
 * leaves alone any row with a mutation still in the outbox: that mutation goes to central
 * first, and central's verdict (applied, merged or conflict) comes back through the change
 * log. Must run inside a transaction that has set `sync_guard.applying = 1`.
 */
export async function applyCentralRows(
  db: Queryable,
  table: SyncedTable,
  rows: CentralRow[],
  clientId: string,
  options: { force?: boolean } = {},
): Promise<ApplyResult> {
  if (rows.length === 0) return { applied: 0, deferred: 0, refused: [] };
  const keyField = table.surrogate ? 'key' : 'id';
  const pending = new Set(
    ((await db('sync_outbox').where({ table_name: table.name }).whereIn('row_key', rows.map((r) => String(r[keyField]))).select('row_key')) as Array<{ row_key: string }>).map(
      (r) => r.row_key,
    ),
  );
  const ready = pending.size === 0 ? rows : rows.filter((r) => !pending.has(String(r[keyField])));
  const deferred = rows.length - ready.length;
  const cols = await columnsOf(db, table);
  const refused: ApplyResult['refused'] = [];

  if (!table.surrogate) {
    await runWithFallback(db, upsertSql(table, cols, options.force === true), ready, keyField, refused);
    return { applied: ready.length - refused.length, deferred, refused };
  }

  // Surrogate tables: rows this replica wrote come back under `<client id>:<local id>`.
  const ownPrefix = `${clientId}:`;
  const own = ready.filter((r) => String(r.key).startsWith(ownPrefix));
  const foreign = ready.filter((r) => !String(r.key).startsWith(ownPrefix));
  await applyOwnSurrogateRows(db, table, cols, own, ownPrefix);
  await runWithFallback(db, upsertForeignSql(table, cols), foreign, keyField, refused);
  return { applied: ready.length - refused.length, deferred, refused };
}

/**
 * Upsert of an id-keyed table's rows from a JSON array (json_each). Versions order a row's
 * states: the change log runs in xid order, which for one row is not always commit order, so
 * an older state never replaces a newer one. A forced apply (`refresh`: central kept its row
 * against this kiosk's mutation; a refresh of the whole replica) takes central's row whatever
 * the version. A row that already holds exactly these values is not written (the usual case:
 * this kiosk's own change coming back), so it costs no page write and no trigger.
 */
export function upsertSql(table: SyncedTable, cols: readonly string[], force: boolean): string {
  const newer = table.versioned && !force ? `excluded.version >= ${table.name}.version AND ` : '';
  return `INSERT INTO ${table.name} (${cols.map((c) => `"${c}"`).join(', ')})
      SELECT ${cols.map(extract).join(', ')} FROM json_each(?) WHERE true
      ON CONFLICT(id) DO UPDATE SET ${cols.filter((c) => c !== 'id').map((c) => `"${c}" = excluded."${c}"`).join(', ')}
      WHERE ${newer}${differs(table, cols.filter((c) => c !== 'id'))}`;
}

/** Upsert of rows another kiosk wrote into a surrogate table, by their cross-kiosk key. */
export function upsertForeignSql(table: SyncedTable, cols: readonly string[]): string {
  return `INSERT INTO ${table.name} (${cols.map((c) => `"${c}"`).join(', ')}, sync_key)
      SELECT ${cols.map(extract).join(', ')}, ${extract('key')} FROM json_each(?) WHERE true
      ON CONFLICT(sync_key) DO UPDATE SET ${cols.map((c) => `"${c}" = excluded."${c}"`).join(', ')}
      WHERE ${differs(table, cols)}`;
}

const differs = (table: SyncedTable, cols: readonly string[]) => `(${cols.map((c) => `excluded."${c}" IS NOT ${table.name}."${c}"`).join(' OR ')})`;

/**
 * Rows this replica wrote into a surrogate table, coming back: found by their local id, or by
 * the key itself once pulled back in after a local delete. Only a row without a sync_key is
 * this replica's own: the same local id may since belong to a row pulled from another kiosk.
 * Nor is a local row that never travels (a wrong-code count, the kiosk's own request cap): central
 * never had it, so a row under this replica's key and its id is another live copy's (copies of one
 * store share the client id) and goes in beside it, rather than over a count kept only here.
 */
export async function applyOwnSurrogateRows(db: Queryable, table: SyncedTable, cols: readonly string[], rows: readonly CentralRow[], ownPrefix: string): Promise<void> {
  const travels = table.travels && (!table.travelsColumn || cols.includes(table.travelsColumn)) ? table.travels('') : undefined;
  for (const row of rows) {
    const id = Number(String(row.key).slice(ownPrefix.length));
    const values = Object.fromEntries(cols.map((c) => [c, row[c] ?? null]));
    const updated = await db(table.name)
      .where((q) => {
        void q.where({ id }).whereNull('sync_key');
        if (travels) void q.whereRaw(travels);
      })
      .orWhere({ sync_key: row.key })
      .update(values);
    if (updated === 0) await db(table.name).insert({ ...values, sync_key: row.key });
  }
}

/** One statement for the batch; if the schema refuses it, row by row so one bad row cannot stall the rest. */
async function runWithFallback(db: Queryable, sql: string, rows: CentralRow[], keyField: string, refused: ApplyResult['refused']): Promise<void> {
  if (rows.length === 0) return;
  try {
    await db.raw(sql, [JSON.stringify(rows)]);
  } catch {
    for (const row of rows) {
      try {
        await db.raw(sql, [JSON.stringify([row])]);
      } catch (error) {
        const key = String(row[keyField]);
        refused.push({ key, subject: typeof row.jsa_id === 'string' ? row.jsa_id : key, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}

/**
 * Removes rows central deleted (a `delete` entry carries the row as it was). A row with a
 * mutation still in the outbox is left alone, as in applyCentralRows: central's verdict on
 * that mutation comes back (a `missing` conflict answers with a delete of its own). Must run
 * inside a transaction that has set `sync_guard.applying = 1`.
 */
export async function deleteCentralRows(db: Queryable, table: SyncedTable, rows: CentralRow[], clientId: string): Promise<ApplyResult> {
  if (rows.length === 0) return { applied: 0, deferred: 0, refused: [] };
  const keyField = table.surrogate ? 'key' : 'id';
  const keys = JSON.stringify(rows.map((r) => String(r[keyField])));
  const pendingSql = `SELECT row_key FROM sync_outbox WHERE table_name = '${table.name}'`;
  const counted = (await db.raw(`SELECT count(*) AS n FROM json_each(?) WHERE value IN (${pendingSql})`, [keys])) as Array<{ n: number }>;
  const pending = Number(counted[0]?.n ?? 0);
  const local = table.surrogate ? crossKioskKey(clientId) : 'id';
  await db.raw(`DELETE FROM ${table.name} WHERE ${local} IN (SELECT value FROM json_each(?)) AND ${local} NOT IN (${pendingSql})`, [keys]);
  return { applied: rows.length - pending, deferred: pending, refused: [] };
}

/** A surrogate table's cross-kiosk key as an SQL expression over its local row. */
export function crossKioskKey(clientId: string): string {
  return `COALESCE(sync_key, '${clientId.replace(/'/g, "''")}' || ':' || id)`;
}

/**
 * Central's rows after a claim (a code, central 0018; a login, 0019; an e-mail change code, 0020), written as the pull
 * writes them: with `applying` on, so no trigger captures them and nothing travels back up
 * (central has them already, and the push would count the attempt a second time). A row with a
 * change of its own still waiting here is left alone, as for any pull.
 */
export async function applyClaimedRows(db: Queryable, table: 'reset_requests' | 'contact_changes' | 'limit_events' | 'account_locks', rows: CentralRow[]): Promise<void> {
  if (rows.length === 0) return;
  await setApplying(db, true);
  // Central made these keys (`central:…`, `login:…`) or keys rows by id: no client id is needed.
  await applyCentralRows(db, syncedTable(table), rows, '');
  await setApplying(db, false);
}

/** Central's reset request after a code claim (central 0018). */
export function applyClaimedRequest(db: Queryable, row: CentralRow): Promise<void> {
  return applyClaimedRows(db, 'reset_requests', [row]);
}
