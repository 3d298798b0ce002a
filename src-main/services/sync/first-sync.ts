import type pg from 'pg';
import { foldedSearchRow, restoreSearchIndexes, setAsideSearchIndexes, setWriterFolds, writeFoldedSearchRows, type Searched } from '../../store/account-search-fold';
import { paceAfter, type ApplyPace } from '../../store/apply-pace';
import { letCallersIn, type Db, type Queryable } from '../../store/database';
import { applyCentralRows, type CentralRow } from '../../store/sync-apply';
import { readSyncState, setApplying, writeSyncState, type SyncStateRow } from '../../store/sync-state-repo';
import { syncedTables, type SyncedTable } from '../../store/sync-tables';
import { travellingColumns } from '../../store/sync-triggers';

export interface FirstSyncProgress {
  /** paging: rows are being copied; indexing: every row is here (the replica serves), the staff search keys are being folded. */
  state: 'not-started' | 'paging' | 'indexing' | 'done';
  table: string | null;
  rows: number;
  total: number;
  /** Copy rate, rows per second (the index stage has its own). */
  ratePerSecond: number | null;
  /** Of the stage under way. */
  secondsLeft: number | null;
  startedAt: string | null;
  /** When every row was copied. */
  copiedAt: string | null;
  finishedAt: string | null;
  index: { accounts: number; total: number; ratePerSecond: number | null };
}

export function firstSyncProgress(state: SyncStateRow): FirstSyncProgress {
  const stage = state.first_sync === 'done' || state.first_sync === 'paging' || state.first_sync === 'indexing' ? state.first_sync : 'not-started';
  const left = (done: number, total: number, rate: number | null) => (rate && rate > 0 ? Math.ceil(Math.max(0, total - done) / rate) : null);
  return {
    state: stage,
    table: stage === 'paging' ? state.first_sync_table : null,
    rows: state.first_sync_rows,
    total: state.first_sync_total,
    ratePerSecond: state.first_sync_rate,
    secondsLeft:
      stage === 'done'
        ? 0
        : stage === 'paging'
          ? left(state.first_sync_rows, state.first_sync_total, state.first_sync_rate)
          : stage === 'indexing'
            ? left(state.first_sync_indexed, state.first_sync_index_total, state.first_sync_index_rate)
            : null,
    startedAt: state.first_sync_started_at,
    copiedAt: state.first_sync_copied_at,
    finishedAt: state.first_sync_finished_at,
    index: { accounts: state.first_sync_indexed, total: state.first_sync_index_total, ratePerSecond: state.first_sync_index_rate },
  };
}

interface Page {
  json: string;
  n: number;
  first: string | null;
  last: string | null;
}

/**
 * How a table's pages travel. Tables keyed by `id` come as arrays in the order of the local
 * columns (SQLite reads `value ->> i`; a column central lacks arrives as NULL): PostgreSQL
 * sends plain rows and Node writes the JSON, half the server's work of rendering it with
 * json_agg. The replicated tables hold text and integers only (central 0001), which read
 * back the same either way. Surrogate tables come as objects, for applyCentralRows.
 */
interface TablePlan {
  table: SyncedTable;
  /** Id-keyed tables: the local columns, in the order of each row array, and what selects them at central. */
  columns?: string[];
  selectList?: string;
}

async function tablePlans(db: Queryable, central: pg.ClientBase): Promise<Map<string, TablePlan>> {
  const plans = new Map<string, TablePlan>();
  for (const table of syncedTables) {
    if (table.surrogate) {
      plans.set(table.name, { table });
      continue;
    }
    const columns = await travellingColumns(db, table);
    const { rows } = await central.query<{ name: string }>(`SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, [table.name]);
    const atCentral = new Set(rows.map((r) => r.name));
    plans.set(table.name, { table, columns, selectList: columns.map((c) => (atCentral.has(c) ? `"${c}"` : 'NULL')).join(', ') });
  }
  return plans;
}

/** One page by primary key. */
async function fetchPage(central: pg.ClientBase, plan: TablePlan, after: string | null, pageSize: number): Promise<Page> {
  if (plan.columns) {
    const id = plan.columns.indexOf('id');
    const { rows } = await central.query<unknown[]>({
      text: `SELECT ${plan.selectList!} FROM ${plan.table.name} WHERE $1::text IS NULL OR id > $1::text ORDER BY id LIMIT $2`,
      values: [after, pageSize],
      rowMode: 'array',
    });
    const key = (row: unknown[] | undefined) => (row === undefined ? null : String(row[id]));
    return { json: JSON.stringify(rows), n: rows.length, first: key(rows[0]), last: key(rows[rows.length - 1]) };
  }
  const { rows } = await central.query<{ json: string; n: number; last: string | null }>(
    `WITH page AS (SELECT * FROM ${plan.table.name} WHERE $1::text IS NULL OR key > $1::text ORDER BY key LIMIT $2)
     SELECT coalesce(json_agg(page ORDER BY key)::text, '[]') AS json, count(*)::int AS n, max(key) AS last FROM page`,
    [after, pageSize],
  );
  return { ...rows[0]!, first: null };
}

const upsertSql = (table: string, columns: string[]) =>
  `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')})
     SELECT ${columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?) WHERE true
     ON CONFLICT(id) DO UPDATE SET ${columns.filter((c) => c !== 'id').map((c) => `"${c}" = excluded."${c}"`).join(', ')}
     WHERE excluded.version >= ${table}.version`;

/**
 * A page of accounts, copied without their search keys: the 0011 triggers stand aside, and
 * the index stage folds every account afterwards. An account this replica held already (a
 * store that had accounts before its first sync) has a search row; it is marked stale, so a
 * search made before the index stage reaches it folds it from the stored row.
 */
async function applyAccountsPage(db: Queryable, page: Page, columns: string[]): Promise<void> {
  const held = ((await db('accounts').whereBetween('id', [page.first!, page.last!]).select('id')) as Array<{ id: string }>).map((r) => r.id);
  await setWriterFolds(db, true);
  await db.raw(upsertSql('accounts', columns), [page.json]);
  for (let i = 0; i < held.length; i += 500) await db('account_search').whereIn('account_id', held.slice(i, i + 500)).update({ stale: 1 });
  await setWriterFolds(db, false);
}

async function applyPage(db: Queryable, plan: TablePlan, page: Page, clientId: string): Promise<void> {
  if (!plan.columns) {
    await applyCentralRows(db, plan.table, JSON.parse(page.json) as CentralRow[], clientId);
    return;
  }
  if (page.n === 0) return;
  if (plan.table.name === 'accounts') await applyAccountsPage(db, page, plan.columns);
  else await db.raw(upsertSql(plan.table.name, plan.columns), [page.json]);
}

/**
 * Starts a first sync: notes the oldest running transaction as the pull cursor (every
 * change from there on will be read from the change log afterwards, so a row that changes
 * while we page is caught up), and counts what is to come for the progress line.
 */
async function begin(db: Db, central: pg.ClientBase, nowIso: string): Promise<void> {
  const { rows } = await central.query<{ xmin: string; total: string }>(
    `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, (${syncedTables.map((t) => `(SELECT count(*) FROM ${t.name})`).join(' + ')})::text AS total`,
  );
  await writeSyncState(db, {
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
    first_sync_copied_at: null,
  });
}

/**
 * The end of the copy, in the transaction of its last page: the index stage begins with the
 * search keys' non-unique indexes set aside (one sort each at the end beats a million
 * inserts into each). A store the older code left with indexes set aside keeps its list.
 */
async function beginIndexStage(tx: Queryable, state: SyncStateRow, nowIso: string): Promise<Partial<SyncStateRow>> {
  const setAside = state.first_sync_set_aside ?? JSON.stringify(await setAsideSearchIndexes(tx));
  const accounts = (await tx('accounts').count<{ n: number }[]>({ n: '*' }))[0]!.n;
  return {
    first_sync: 'indexing',
    first_sync_copied_at: nowIso,
    first_sync_set_aside: setAside,
    first_sync_index_after: null,
    first_sync_indexed: 0,
    first_sync_index_total: Number(accounts),
    first_sync_index_rate: null,
  };
}

/**
 * Pages every synced table by primary key into the replica, then folds the staff search keys
 * of every account (runIndexStage). Each page commits together with the progress (table, last
 * key, rows), so a kill resumes after the last committed page. The next page is fetched while
 * the current one is written. Returns when done, or when `shouldStop` says so between pages.
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
    /** The index stage's transactions (the replica serves meanwhile): `pageSize` each without it. */
    pace?: ApplyPace;
  },
): Promise<'done' | 'stopped'> {
  let state = await readSyncState(db);
  if (state.first_sync === 'done') return 'done';
  if (state.first_sync !== 'paging' && state.first_sync !== 'indexing') {
    await begin(db, central, options.nowIso());
    state = await readSyncState(db);
  }
  if (state.first_sync === 'paging' && (await copyTables(db, central, clientId, state, options)) === 'stopped') return 'stopped';
  return runIndexStage(db, options);
}

async function copyTables(
  db: Db,
  central: pg.ClientBase,
  clientId: string,
  state: SyncStateRow,
  options: Parameters<typeof runFirstSync>[3],
): Promise<'done' | 'stopped'> {
  const plans = await tablePlans(db, central);
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
    await db.transaction(async (tx) => {
      await setApplying(tx, true);
      await applyPage(tx, plans.get(table)!, page, clientId);
      await setApplying(tx, false);
      await writeSyncState(tx, {
        first_sync_table: nextTable ?? table,
        first_sync_after: nextAfter,
        first_sync_rows: rowsDone,
        first_sync_rate: rate,
        ...(nextTable ? {} : { first_sync_total: Math.max(rowsDone, state.first_sync_total), ...(await beginIndexStage(tx, state, options.nowIso())) }),
      });
    });
    options.onPage?.(rowsDone, state.first_sync_total);
    if (!nextTable) {
      options.onEvent?.(`first sync: ${rowsDone} rows copied; folding the search keys`);
      return 'done';
    }
    table = nextTable;
    if (options.shouldStop()) {
      await next?.catch(() => undefined);
      return 'stopped';
    }
  }
  return 'done';
}

const searchedColumns = ['id', 'contact_name', 'company', 'phone', 'department'] as const;

/**
 * The index stage: the search keys of every account, folded in id order from the local rows,
 * a batch per transaction with its progress. A batch is read and written in one transaction,
 * so no edit comes between (the store has one connection); an edit of an account already
 * folded marks its row stale as always (0011). The last batch brings back the set-aside
 * indexes in the same transaction, so a kill during the rebuild redoes that batch and the
 * rebuild. The replica serves meanwhile: a batch is sized by `pace` (a page of 10,000 accounts
 * held the store's one connection for seconds on a busy host, a customer's reset.request
 * queued behind it), and calls queued meanwhile are let in between.
 */
async function runIndexStage(db: Db, options: Parameters<typeof runFirstSync>[3]): Promise<'done' | 'stopped'> {
  const start = await readSyncState(db);
  const setAside = start.first_sync_set_aside === null ? [] : (JSON.parse(start.first_sync_set_aside) as string[]);
  const runStart = performance.now();
  let after = start.first_sync_index_after;
  let indexed = start.first_sync_indexed;
  for (;;) {
    const batch = options.pace?.entries ?? options.pageSize;
    const began = performance.now();
    const done = await db.transaction(async (tx) => {
      const rows = (await tx('accounts')
        .where('id', '>', after ?? '')
        .orderBy('id')
        .limit(batch)
        .select(...searchedColumns)) as Array<Searched & { id: string }>;
      if (rows.length > 0) {
        const held = await tx('account_search').whereBetween('account_id', [rows[0]!.id, rows[rows.length - 1]!.id]).first('rid');
        await writeFoldedSearchRows(tx, JSON.stringify(rows.map(foldedSearchRow)), { fresh: held === undefined });
        after = rows[rows.length - 1]!.id;
        indexed += rows.length;
      }
      const last = rows.length < batch;
      if (last) {
        options.onEvent?.('first sync: rebuilding the search indexes');
        await restoreSearchIndexes(tx, setAside);
      }
      const elapsed = (performance.now() - runStart) / 1000;
      await writeSyncState(tx, {
        first_sync_index_after: after,
        first_sync_indexed: indexed,
        first_sync_index_rate: elapsed > 0 ? (indexed - start.first_sync_indexed) / elapsed : null,
        ...(last ? { first_sync: 'done', first_sync_set_aside: null, first_sync_finished_at: options.nowIso(), first_sync_index_total: indexed } : {}),
      });
      return last;
    });
    options.onEvent?.(`first sync: search keys ${indexed}/${start.first_sync_index_total}`);
    if (done) return 'done';
    if (options.pace) paceAfter(options.pace, batch, performance.now() - began);
    if (options.shouldStop()) return 'stopped';
    await letCallersIn(db);
  }
}
