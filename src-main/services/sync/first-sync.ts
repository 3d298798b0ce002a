import type pg from 'pg';
import { foldedSearchRow, restoreSearchIndexes, setAsideSearchIndexes, setWriterFolds, writeFoldedSearchRows } from '../../store/account-search-fold';
import type { Db, Queryable } from '../../store/database';
import { applyCentralRows, type CentralRow } from '../../store/sync-apply';
import { readSyncState, setApplying, writeSyncState, type SyncStateRow } from '../../store/sync-state-repo';
import { syncedTables, type SyncedTable } from '../../store/sync-tables';
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

/**
 * How a table's pages travel. Tables keyed by `id` come as arrays in the order of the local
 * columns (SQLite reads `value ->> i`, a third cheaper than extracting by name; a column
 * central lacks arrives as NULL, as it did by name); surrogate tables as objects, for
 * applyCentralRows.
 */
interface TablePlan {
  table: SyncedTable;
  /** Local columns, in the order of each row array; undefined for surrogate tables. */
  columns?: string[];
  /** What renders one row of the page. */
  rowSql: string;
}

async function tablePlans(db: Queryable, central: pg.ClientBase): Promise<Map<string, TablePlan>> {
  const plans = new Map<string, TablePlan>();
  for (const table of syncedTables) {
    if (table.surrogate) {
      plans.set(table.name, { table, rowSql: 'page' });
      continue;
    }
    const columns = await travellingColumns(db, table);
    const { rows } = await central.query<{ name: string }>(`SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, [table.name]);
    const atCentral = new Set(rows.map((r) => r.name));
    plans.set(table.name, { table, columns, rowSql: `json_build_array(${columns.map((c) => (atCentral.has(c) ? `page."${c}"` : 'NULL')).join(', ')})` });
  }
  return plans;
}

/** One page by primary key; PostgreSQL renders it as one JSON text that SQLite's json_each reads as it is. */
async function fetchPage(central: pg.ClientBase, plan: TablePlan, after: string | null, pageSize: number): Promise<Page> {
  const key = plan.table.surrogate ? 'key' : 'id';
  const { rows } = await central.query<{ json: string; n: number; last: string | null }>(
    `WITH page AS (SELECT * FROM ${plan.table.name} WHERE $1::text IS NULL OR ${key} > $1::text ORDER BY ${key} LIMIT $2)
     SELECT coalesce(json_agg(${plan.rowSql} ORDER BY ${key})::text, '[]') AS json, count(*)::int AS n, max(${key}) AS last FROM page`,
    [after, pageSize],
  );
  const page: Page = rows[0]!;
  if (plan.table.name === 'accounts' && page.n > 0) page.search = foldPage(plan.columns!, JSON.parse(page.json) as unknown[][]);
  return page;
}

/** The search rows of a page of accounts (arrays in `columns` order), and its first and last id. */
function foldPage(columns: string[], rows: unknown[][]): NonNullable<Page['search']> {
  const [id, jsaId, email, name, company, phone, department] = ['id', 'jsa_id', 'email', 'contact_name', 'company', 'phone', 'department'].map((c) => columns.indexOf(c));
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  const folded = rows.map((r) =>
    foldedSearchRow({ id: text(r[id!]), jsa_id: text(r[jsaId!]), email: text(r[email!]), contact_name: text(r[name!]), company: text(r[company!]), phone: text(r[phone!]), department: text(r[department!]) }),
  );
  return { json: JSON.stringify(folded), first: folded[0]![0]!, last: folded[folded.length - 1]![0]! };
}

const upsertSql = (table: string, columns: string[]) =>
  `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')})
     SELECT ${columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?) WHERE true
     ON CONFLICT(id) DO UPDATE SET ${columns.filter((c) => c !== 'id').map((c) => `"${c}" = excluded."${c}"`).join(', ')}
     WHERE excluded.version >= ${table}.version`;

/**
 * Accounts with their search rows in one go: the 0011 triggers stand aside and the keys
 * folded from the page are written beside the rows. An account this replica held already
 * (a store that had accounts before its first sync) may keep a newer local version than the
 * page's, so its search row is marked stale and the next search folds it from the stored row.
 */
async function applyAccountsPage(db: Queryable, page: Page, columns: string[]): Promise<void> {
  const search = page.search!;
  const held = ((await db('accounts').whereBetween('id', [search.first, search.last]).select('id')) as Array<{ id: string }>).map((r) => r.id);
  await setWriterFolds(db, true);
  await db.raw(upsertSql('accounts', columns), [page.json]);
  await writeFoldedSearchRows(db, search.json, { fresh: held.length === 0 });
  for (let i = 0; i < held.length; i += 500) await db('account_search').whereIn('account_id', held.slice(i, i + 500)).update({ stale: 1 });
  await setWriterFolds(db, false);
}

async function applyPage(db: Queryable, plan: TablePlan, page: Page, clientId: string): Promise<void> {
  if (!plan.columns) {
    await applyCentralRows(db, plan.table, JSON.parse(page.json) as CentralRow[], clientId);
    return;
  }
  if (page.search) await applyAccountsPage(db, page, plan.columns);
  else if (page.n > 0) await db.raw(upsertSql(plan.table.name, plan.columns), [page.json]);
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
  options: {
    pageSize: number;
    nowIso: () => string;
    shouldStop: () => boolean;
    onPage?: (rows: number, total: number) => void;
    onEvent?: (event: string) => void;
  },
): Promise<'done' | 'stopped'> {
  let state = await readSyncState(db);
  if (state.first_sync === 'done') return 'done';
  if (state.first_sync !== 'paging') {
    await begin(db, central, options.nowIso());
    state = await readSyncState(db);
  }
  const plans = await tablePlans(db, central);
  let setAside = state.first_sync_set_aside === null ? null : (JSON.parse(state.first_sync_set_aside) as string[]);
  const runStart = performance.now();
  const rowsAtStart = state.first_sync_rows;
  let table = state.first_sync_table!;
  let rowsDone = state.first_sync_rows;
  let next: Promise<Page> | undefined = fetchPage(central, plans.get(table)!, state.first_sync_after, options.pageSize);
  while (next) {
    const page: Page = await next;
    const tableIndex = syncedTables.findIndex((t) => t.name === table);
    const tableDone: boolean = page.n < options.pageSize;
    const nextTable: string | undefined = tableDone ? syncedTables[tableIndex + 1]?.name : table;
    const nextAfter: string | null = tableDone ? null : page.last;
    // Prefetch while this page is written; a kill here loses only the prefetch.
    next = nextTable ? fetchPage(central, plans.get(nextTable)!, nextAfter, options.pageSize) : undefined;
    next?.catch(() => undefined);
    rowsDone += page.n;
    const elapsed = (performance.now() - runStart) / 1000;
    const rate = elapsed > 0 ? (rowsDone - rowsAtStart) / elapsed : null;
    // The search keys' indexes come back with the last page of accounts: one sort each, in
    // the same transaction, so a kill during the rebuild redoes that page and the rebuild.
    const restoring = setAside !== null && (table !== 'accounts' || tableDone);
    if (restoring) options.onEvent?.('first sync: rebuilding the search indexes');
    await db.transaction(async (tx) => {
      await setApplying(tx, true);
      await applyPage(tx, plans.get(table)!, page, clientId);
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
