import type pg from 'pg';
import { foldedSearchRow, restoreSearchIndexes, setAsideSearchIndexes, setWriterFolds, writeFoldedSearchRows } from '../../store/account-search-fold';
import type { AccountRow } from '../../store/accounts-repo';
import type { Db, Queryable } from '../../store/database';
import { applyCentralRows, type CentralRow } from '../../store/sync-apply';
import { readSyncState, setApplying, writeSyncState, type SyncStateRow } from '../../store/sync-state-repo';
import { syncedTables } from '../../store/sync-tables';
import { travellingColumns } from '../../store/sync-triggers';

export interface FirstSyncProgress {
  state: 'not-started' | 'paging' | 'done';
  table: string | null;
  rows: number;
  total: number;
  ratePerSecond: number | null;
  secondsLeft: number | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export function firstSyncProgress(state: SyncStateRow): FirstSyncProgress {
  const rate = state.first_sync_rate;
  const left = Math.max(0, state.first_sync_total - state.first_sync_rows);
  return {
    state: state.first_sync === 'done' ? 'done' : state.first_sync === 'paging' ? 'paging' : 'not-started',
    table: state.first_sync === 'paging' ? state.first_sync_table : null,
    rows: state.first_sync_rows,
    total: state.first_sync_total,
    ratePerSecond: rate,
    secondsLeft: state.first_sync === 'done' ? 0 : rate && rate > 0 ? Math.ceil(left / rate) : null,
    startedAt: state.first_sync_started_at,
    finishedAt: state.first_sync_finished_at,
  };
}

interface Page {
  json: string;
  n: number;
  last: string | null;
  /** Accounts only: the page's search rows, folded while the previous page was written. */
  search?: { json: string; first: string; last: string };
}

const keyColumn = (table: string) => (syncedTables.find((t) => t.name === table)!.surrogate ? 'key' : 'id');

/** One page by primary key; PostgreSQL renders it as one JSON text that SQLite's json_each reads as it is. */
async function fetchPage(central: pg.ClientBase, table: string, after: string | null, pageSize: number): Promise<Page> {
  const key = keyColumn(table);
  const { rows } = await central.query<{ json: string; n: number; last: string | null }>(
    `WITH page AS (SELECT * FROM ${table} WHERE $1::text IS NULL OR ${key} > $1::text ORDER BY ${key} LIMIT $2)
     SELECT coalesce(json_agg(page ORDER BY ${key})::text, '[]') AS json, count(*)::int AS n, max(${key}) AS last FROM page`,
    [after, pageSize],
  );
  const page: Page = rows[0]!;
  if (table === 'accounts' && page.n > 0) {
    const accounts = JSON.parse(page.json) as AccountRow[];
    page.search = { json: JSON.stringify(accounts.map(foldedSearchRow)), first: accounts[0]!.id, last: accounts[accounts.length - 1]!.id };
  }
  return page;
}

/**
 * Accounts with their search rows in one go: the 0011 triggers stand aside and the keys
 * folded from the page are written beside the rows. An account this replica held already
 * (a store that had accounts before its first sync) may keep a newer local version than the
 * page's, so its search row is marked stale and the next search folds it from the stored row.
 */
async function applyAccountsPage(db: Queryable, page: Page, cols: string[]): Promise<void> {
  const search = page.search!;
  const held = ((await db('accounts').whereBetween('id', [search.first, search.last]).select('id')) as Array<{ id: string }>).map((r) => r.id);
  await setWriterFolds(db, true);
  await db.raw(upsertSql('accounts', cols), [page.json]);
  await writeFoldedSearchRows(db, search.json, { fresh: held.length === 0 });
  for (let i = 0; i < held.length; i += 500) await db('account_search').whereIn('account_id', held.slice(i, i + 500)).update({ stale: 1 });
  await setWriterFolds(db, false);
}

const upsertSql = (table: string, cols: string[]) =>
  `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')})
     SELECT ${cols.map((c) => `json_extract(value, '$."${c}"')`).join(', ')} FROM json_each(?) WHERE true
     ON CONFLICT(id) DO UPDATE SET ${cols.filter((c) => c !== 'id').map((c) => `"${c}" = excluded."${c}"`).join(', ')}
     WHERE excluded.version >= ${table}.version`;

async function applyPage(db: Queryable, tableName: string, page: Page, clientId: string): Promise<void> {
  const table = syncedTables.find((t) => t.name === tableName)!;
  if (table.surrogate) {
    await applyCentralRows(db, table, JSON.parse(page.json) as CentralRow[], clientId);
    return;
  }
  const cols = await travellingColumns(db, table);
  if (page.search) await applyAccountsPage(db, page, cols);
  else await db.raw(upsertSql(table.name, cols), [page.json]);
}

/**
 * Starts a first sync: notes the oldest running transaction as the pull cursor (every
 * change from there on will be read from the change log afterwards, so a row that changes
 * while we page is caught up), and counts what is to come for the progress line. The search
 * keys' indexes are set aside in the same transaction, so a kill leaves either both or neither.
 */
async function begin(db: Db, central: pg.ClientBase, nowIso: string): Promise<void> {
  const { rows } = await central.query<{ xmin: string; total: string }>(
    `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, (${syncedTables.map((t) => `(SELECT count(*) FROM ${t.name})`).join(' + ')})::text AS total`,
  );
  await db.transaction(async (tx) => {
    const setAside = await setAsideSearchIndexes(tx);
    await writeSyncState(tx, {
      first_sync_set_aside: JSON.stringify(setAside),
    first_sync: 'paging',
    first_sync_start_xid: rows[0]!.xmin,
    cursor_xid: rows[0]!.xmin,
    cursor_id: 0,
    first_sync_table: syncedTables[0]!.name,
    first_sync_after: null,
    first_sync_rows: 0,
    first_sync_total: Number(rows[0]!.total),
    first_sync_started_at: nowIso,
    first_sync_rate: null,
    });
  });
}

/**
 * Pages every synced table by primary key into the replica. Each page commits together with
 * the progress (table, last key, rows), so a kill resumes after the last committed page.
 * The next page is fetched while the current one is written. Returns when done, or when
 * `shouldStop` says so between pages.
 */
export async function runFirstSync(
  db: Db,
  central: pg.ClientBase,
  clientId: string,
  options: { pageSize: number; nowIso: () => string; shouldStop: () => boolean; onPage?: (rows: number, total: number) => void },
): Promise<'done' | 'stopped'> {
  let state = await readSyncState(db);
  if (state.first_sync === 'done') return 'done';
  if (state.first_sync !== 'paging') {
    await begin(db, central, options.nowIso());
    state = await readSyncState(db);
  }
  let setAside = state.first_sync_set_aside === null ? null : (JSON.parse(state.first_sync_set_aside) as string[]);
  const runStart = performance.now();
  const rowsAtStart = state.first_sync_rows;
  let table = state.first_sync_table!;
  let rowsDone = state.first_sync_rows;
  let next: Promise<Page> | undefined = fetchPage(central, table, state.first_sync_after, options.pageSize);
  while (next) {
    const page: Page = await next;
    const tableIndex = syncedTables.findIndex((t) => t.name === table);
    const tableDone: boolean = page.n < options.pageSize;
    const nextTable: string | undefined = tableDone ? syncedTables[tableIndex + 1]?.name : table;
    const nextAfter: string | null = tableDone ? null : page.last;
    // Prefetch while this page is written; a kill here loses only the prefetch.
    next = nextTable ? fetchPage(central, nextTable, nextAfter, options.pageSize) : undefined;
    next?.catch(() => undefined);
    rowsDone += page.n;
    const elapsed = (performance.now() - runStart) / 1000;
    const rate = elapsed > 0 ? (rowsDone - rowsAtStart) / elapsed : null;
    // The search keys' indexes come back with the last page of accounts: one sort each, in
    // the same transaction, so a kill during the rebuild redoes that page and the rebuild.
    const restoring = setAside !== null && (table !== 'accounts' || tableDone);
    await db.transaction(async (tx) => {
      await setApplying(tx, true);
      await applyPage(tx, table, page, clientId);
      await setApplying(tx, false);
      if (restoring) await restoreSearchIndexes(tx, setAside!);
      await writeSyncState(tx, {
        ...(restoring ? { first_sync_set_aside: null } : {}),
        first_sync_table: nextTable ?? table,
        first_sync_after: nextAfter,
        first_sync_rows: rowsDone,
        first_sync_rate: rate,
        ...(nextTable ? {} : { first_sync: 'done', first_sync_finished_at: options.nowIso(), first_sync_total: Math.max(rowsDone, state.first_sync_total) }),
      });
    });
    if (restoring) setAside = null;
    options.onPage?.(rowsDone, state.first_sync_total);
    if (!nextTable) return 'done';
    table = nextTable;
    if (options.shouldStop()) {
      await next?.catch(() => undefined);
      return 'stopped';
    }
  }
  return 'done';
}
