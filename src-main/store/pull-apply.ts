import type { Queryable } from './database';
import { applyCentralRows, applyOwnSurrogateRows, columnsOf, deleteCentralRows, upsertForeignSql, upsertSql, type ApplyResult, type CentralRow } from './sync-apply';
import { syncedTable, syncedTables, type SyncedTable } from './sync-tables';

/** One change-log entry as the puller reads it from `sync_pull` (services/sync/puller.ts). */
export interface PulledEntry {
  id: string;
  xid: string;
  table_name: string;
  op: 'insert' | 'update' | 'refresh' | 'delete';
  /** The row as central logged it, as JSON text: parsed only where a row must be looked at. */
  row_json: string;
  /** The row's key across kiosks (`id`, or `key` for surrogate tables). */
  key: string;
  version: number | null;
}

export interface BatchResult {
  deferred: number;
  refused: ApplyResult['refused'];
  /** The page went entry run by entry run, in log order (applyChangeBatch's fallback). */
  inLogOrder: boolean;
}

/**
 * Applies entries in log order, consecutive entries of one table and kind in one statement.
 * Must run inside a transaction that has set `sync_guard.applying = 1`.
 */
export async function applyInLogOrder(db: Queryable, entries: readonly PulledEntry[], clientId: string): Promise<BatchResult> {
  let deferred = 0;
  const refused: BatchResult['refused'] = [];
  const kind = (e: PulledEntry) => (e.op === 'refresh' || e.op === 'delete' ? e.op : 'row');
  for (let start = 0; start < entries.length; ) {
    const first = entries[start]!;
    let end = start + 1;
    while (end < entries.length && entries[end]!.table_name === first.table_name && kind(entries[end]!) === kind(first)) end += 1;
    const table = syncedTable(first.table_name);
    const data = entries.slice(start, end).map((e) => JSON.parse(e.row_json) as CentralRow);
    const result =
      first.op === 'delete' ? await deleteCentralRows(db, table, data, clientId) : await applyCentralRows(db, table, data, clientId, { force: first.op === 'refresh' });
    deferred += result.deferred;
    refused.push(...result.refused);
    start = end;
  }
  return { deferred, refused, inLogOrder: true };
}

/** What a page's entries for one row come to (see applyChangeBatch). */
interface RowPlan {
  key: string;
  /** The page deletes the row before the state below (or the row ends deleted: `row` null). */
  del: boolean;
  row: string | null;
  version: number | null;
  /** Central's row whatever the local version: a `refresh` came, or a later state of it. */
  force: boolean;
  entries: number;
}

/**
 * Folds one row's entries, in log order, into the single write that leaves the row as applying
 * them one by one would: a delete forgets what came before it; a `refresh` is taken whatever
 * the versions; otherwise the last entry with the highest version wins (with the `>=` check,
 * the local row ends as the last entry whose version is at least every version before it and
 * the local one, i.e. the last of the highest, if that is not below the local version).
 */
function fold(plan: RowPlan | undefined, e: PulledEntry, versioned: boolean): RowPlan {
  const p = plan ?? { key: e.key, del: false, row: null, version: null, force: false, entries: 0 };
  p.entries += 1;
  if (e.op === 'delete') {
    p.del = true;
    p.row = null;
    p.version = null;
    p.force = false;
  } else if (e.op === 'refresh') {
    p.row = e.row_json;
    p.version = e.version;
    p.force = true;
  } else if (p.row === null || !versioned || (e.version ?? 0) >= (p.version ?? 0)) {
    p.row = e.row_json;
    p.version = e.version;
  }
  return p;
}

/**
 * Applies a page of the change log with a few statements instead of one per run of a table:
 * with many kiosks writing, accounts and reset requests alternate in the log and a page of
 * 500 entries was hundreds of statements. The page is folded to one write per row (`fold`),
 * then deletes go children first, then inserts and updates parents first (sync-tables.ts
 * order), each table in one statement over a JSON array.
 *
 * Why the order within a page may change: every entry of the page is from a transaction that
 * has committed (sync_pull reads below pg_snapshot_xmin), so the page is a finished stretch of
 * central's history and only each row's end state matters, which `fold` keeps per row. Across
 * rows, what the local schema checks is the foreign keys (parents first / children last keeps
 * them) and unique values (central's end state satisfies them too). A row with a mutation in
 * the outbox is left alone as before. If the schema refuses a statement anyway (a page cut
 * in the middle of a transaction can hold a child whose parent's delete came first), the page
 * is applied again in log order from a savepoint, with the row-by-row fallback there.
 *
 * Must run inside a transaction that has set `sync_guard.applying = 1`.
 */
export async function applyChangeBatch(db: Queryable, entries: readonly PulledEntry[], clientId: string): Promise<BatchResult> {
  const plans = new Map<string, Map<string, RowPlan>>();
  for (const e of entries) {
    const table = syncedTable(e.table_name);
    let rows = plans.get(table.name);
    if (!rows) plans.set(table.name, (rows = new Map()));
    rows.set(e.key, fold(rows.get(e.key), e, table.versioned));
  }
  const pending = await pendingKeys(db, entries);
  let deferred = 0;
  const ready = new Map<string, RowPlan[]>();
  for (const [name, rows] of plans) {
    const keep: RowPlan[] = [];
    for (const plan of rows.values()) {
      if (pending.has(`${name}\u0000${plan.key}`)) deferred += plan.entries;
      else keep.push(plan);
    }
    ready.set(name, keep);
  }
  try {
    await db.transaction(async (sp) => {
      for (const table of [...syncedTables].reverse()) await deleteRows(sp, table, ready.get(table.name) ?? [], clientId);
      for (const table of syncedTables) await upsertRows(sp, table, ready.get(table.name) ?? [], clientId);
    });
  } catch {
    return applyInLogOrder(db, entries, clientId);
  }
  return { deferred, refused: [], inLogOrder: false };
}

/** `table\0key` of the page's rows that have a mutation waiting in the outbox. */
async function pendingKeys(db: Queryable, entries: readonly PulledEntry[]): Promise<Set<string>> {
  const rows = (await db.raw(`SELECT DISTINCT table_name, row_key FROM sync_outbox WHERE row_key IN (SELECT value FROM json_each(?))`, [
    JSON.stringify([...new Set(entries.map((e) => e.key))]),
  ])) as Array<{ table_name: string; row_key: string }>;
  return new Set(rows.map((r) => `${r.table_name}\u0000${r.row_key}`));
}

async function deleteRows(db: Queryable, table: SyncedTable, plans: readonly RowPlan[], clientId: string): Promise<void> {
  const keys = plans.filter((p) => p.del).map((p) => p.key);
  if (keys.length === 0) return;
  if (!table.surrogate) {
    await db.raw(`DELETE FROM ${table.name} WHERE id IN (SELECT value FROM json_each(?))`, [JSON.stringify(keys)]);
    return;
  }
  // Rows written here have no sync_key; their key is `<client id>:<local id>` (crossKioskKey).
  const ownPrefix = `${clientId}:`;
  const own = keys.filter((k) => k.startsWith(ownPrefix)).map((k) => Number(k.slice(ownPrefix.length)));
  await db.raw(`DELETE FROM ${table.name} WHERE sync_key IN (SELECT value FROM json_each(?)) OR (sync_key IS NULL AND id IN (SELECT value FROM json_each(?)))`, [
    JSON.stringify(keys),
    JSON.stringify(own),
  ]);
}

async function upsertRows(db: Queryable, table: SyncedTable, plans: readonly RowPlan[], clientId: string): Promise<void> {
  const rows = plans.filter((p) => p.row !== null);
  if (rows.length === 0) return;
  const cols = await columnsOf(db, table);
  const json = (ps: readonly RowPlan[]) => `[${ps.map((p) => p.row).join(',')}]`;
  if (!table.surrogate) {
    const forced = rows.filter((p) => p.force);
    const checked = forced.length === 0 ? rows : rows.filter((p) => !p.force);
    if (checked.length > 0) await db.raw(upsertSql(table, cols, false), [json(checked)]);
    if (forced.length > 0) await db.raw(upsertSql(table, cols, true), [json(forced)]);
    return;
  }
  const ownPrefix = `${clientId}:`;
  const own = rows.filter((p) => p.key.startsWith(ownPrefix));
  const foreign = own.length === 0 ? rows : rows.filter((p) => !p.key.startsWith(ownPrefix));
  if (own.length > 0) await applyOwnSurrogateRows(db, table, cols, own.map((p) => JSON.parse(p.row!) as CentralRow), ownPrefix);
  if (foreign.length > 0) await db.raw(upsertForeignSql(table, cols), [json(foreign)]);
}
