import type pg from 'pg';
import type { Db } from '../../store/database';
import { applyCentralRows, deleteCentralRows, type CentralRow } from '../../store/sync-apply';
import { readSyncState, setApplying, writeSyncState } from '../../store/sync-state-repo';
import { syncedTable } from '../../store/sync-tables';
import { sqlState } from './central-connection';
import { beginRefresh, CURSOR_PRUNED, runRefresh } from './refresh';

export interface ChangeEntry {
  id: string;
  xid: string;
  table_name: string;
  op: 'insert' | 'update' | 'refresh' | 'delete';
  row_data: CentralRow;
}

/**
 * The cursor is the (xid, id) of the last entry applied. `sync_pull` (central migration 0005)
 * returns only entries of transactions below the oldest one still running
 * (pg_snapshot_xmin): every such transaction has finished, so nothing can appear later below
 * the cursor. A transaction that took its xid early and commits late holds the cursor back
 * until it commits, instead of being skipped (an id-ordered cursor would have moved past its
 * rows while they were invisible). The call also tells central where this kiosk is, so the
 * log is pruned only below it, and fails with CURSOR_PRUNED when it was pruned anyway.
 */
export const PULL_SQL = `SELECT id, xid, table_name, op, row_data FROM sync_pull($1::uuid, $2::xid8, $3::bigint, $4::integer)`;

export interface PullResult {
  entries: number;
  /** Rows paged again because the cursor had fallen below the pruned log (refresh.ts). */
  refreshed: number;
  deferred: number;
  refused: number;
}

/** Reads one page of the change log and applies it in one local transaction with the cursor. */
export async function pullBatch(db: Db, central: pg.ClientBase, clientId: string, limit: number, nowIso: () => string): Promise<PullResult> {
  let state = await readSyncState(db);
  if (state.cursor_xid === null) throw new Error('pull before first sync set the cursor');
  let refreshed = 0;
  if (state.refresh_table) {
    refreshed = await runRefresh(db, central, clientId);
    state = await readSyncState(db);
  }
  let rows: ChangeEntry[];
  try {
    rows = (await central.query<ChangeEntry>(PULL_SQL, [clientId, state.cursor_xid, state.cursor_id ?? 0, limit])).rows;
  } catch (error) {
    if (sqlState(error) !== CURSOR_PRUNED) throw error;
    await beginRefresh(db, central, nowIso());
    refreshed += await runRefresh(db, central, clientId);
    return { entries: 0, refreshed, deferred: 0, refused: 0 };
  }
  if (rows.length === 0) return { entries: 0, refreshed, deferred: 0, refused: 0 };
  let deferred = 0;
  let refused = 0;
  await db.transaction(async (tx) => {
    await setApplying(tx, true);
    // Consecutive entries of one table (and kind) go in one statement; order is kept.
    const kind = (e: ChangeEntry) => (e.op === 'refresh' || e.op === 'delete' ? e.op : 'row');
    for (let start = 0; start < rows.length; ) {
      const first = rows[start]!;
      let end = start + 1;
      while (end < rows.length && rows[end]!.table_name === first.table_name && kind(rows[end]!) === kind(first)) end += 1;
      const table = syncedTable(first.table_name);
      const data = rows.slice(start, end).map((e) => e.row_data);
      const result =
        first.op === 'delete' ? await deleteCentralRows(tx, table, data, clientId) : await applyCentralRows(tx, table, data, clientId, { force: first.op === 'refresh' });
      deferred += result.deferred;
      refused += result.refused.length;
      start = end;
    }
    await setApplying(tx, false);
    const last = rows[rows.length - 1]!;
    const now = await readSyncState(tx);
    await writeSyncState(tx, { cursor_xid: last.xid, cursor_id: Number(last.id), pulled_total: now.pulled_total + rows.length, last_pull_at: nowIso() });
  });
  return { entries: rows.length, refreshed, deferred, refused };
}
