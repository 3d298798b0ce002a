import type { Queryable } from './database';
import { travellingColumns } from './sync-triggers';
import type { SyncedTable } from './sync-tables';

export type CentralRow = Record<string, unknown>;

export interface ApplyResult {
  applied: number;
  /** Rows not applied because a local mutation of the same row still waits to be pushed. */
  deferred: number;
  /** Rows the local schema refused (e.g. a unique JSA-ID held by another local row). */
  refused: Array<{ key: string; error: string }>;
}

const columnCache = new WeakMap<object, Map<string, string[]>>();

async function columnsOf(db: Queryable, table: SyncedTable): Promise<string[]> {
  let perDb = columnCache.get(db);
  if (!perDb) columnCache.set(db, (perDb = new Map()));
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
    // Versions order a row's states: the change log runs in xid order, which for one row is
    // not always commit order, so an older state never replaces a newer one. A `refresh`
    // (central kept its row against this kiosk's mutation) is applied whatever the version.
    const guardNewer = table.versioned && !options.force ? ` WHERE excluded.version >= ${table.name}.version` : '';
    const sql = `INSERT INTO ${table.name} (${cols.map((c) => `"${c}"`).join(', ')})
      SELECT ${cols.map(extract).join(', ')} FROM json_each(?) WHERE true
      ON CONFLICT(id) DO UPDATE SET ${cols.filter((c) => c !== 'id').map((c) => `"${c}" = excluded."${c}"`).join(', ')}${guardNewer}`;
    await runWithFallback(db, sql, ready, keyField, refused);
    return { applied: ready.length - refused.length, deferred, refused };
  }

  // Surrogate tables: rows this replica wrote come back under `<client id>:<local id>`.
  const ownPrefix = `${clientId}:`;
  const own = ready.filter((r) => String(r.key).startsWith(ownPrefix));
  const foreign = ready.filter((r) => !String(r.key).startsWith(ownPrefix));
  for (const row of own) {
    const id = Number(String(row.key).slice(ownPrefix.length));
    const values = Object.fromEntries(cols.map((c) => [c, row[c] ?? null]));
    const updated = await db(table.name).where({ id }).update(values);
    if (updated === 0) await db(table.name).insert({ ...values, sync_key: row.key });
  }
  if (foreign.length > 0) {
    const sql = `INSERT INTO ${table.name} (${cols.map((c) => `"${c}"`).join(', ')}, sync_key)
      SELECT ${cols.map(extract).join(', ')}, ${extract('key')} FROM json_each(?) WHERE true
      ON CONFLICT(sync_key) DO UPDATE SET ${cols.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`;
    await runWithFallback(db, sql, foreign, keyField, refused);
  }
  return { applied: ready.length - refused.length, deferred, refused };
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
        refused.push({ key: String(row[keyField]), error: error instanceof Error ? error.message : String(error) });
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
