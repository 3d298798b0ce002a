import type pg from 'pg';
import type { Db } from '../../store/database';
import { applyCentralRows, type CentralRow } from '../../store/sync-apply';
import { readSyncState, setApplying, writeSyncState } from '../../store/sync-state-repo';
import { syncedTable } from '../../store/sync-tables';

export interface ChangeEntry {
  id: string;
  xid: string;
  table_name: string;
  op: 'insert' | 'update' | 'refresh';
  row_data: CentralRow;
}

/**
 * The cursor is the (xid, id) of the last entry applied. Only entries of transactions below
 * the oldest one still running (pg_snapshot_xmin) are read: every such transaction has
 * finished, so nothing can appear later below the cursor. A transaction that took its xid
 * early and commits late holds the cursor back until it commits, instead of being skipped
 * (an id-ordered cursor would have moved past its rows while they were invisible).
 */
export const PULL_SQL = `SELECT id::text AS id, xid::text AS xid, table_name, op, row_data
  FROM change_log
  WHERE (xid, id) > ($1::xid8, $2::bigint) AND xid < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY xid, id
  LIMIT $3`;

export interface PullResult {
  entries: number;
  deferred: number;
  refused: number;
}

/** Reads one page of the change log and applies it in one local transaction with the cursor. */
export async function pullBatch(db: Db, central: pg.ClientBase, clientId: string, limit: number, nowIso: () => string): Promise<PullResult> {
  const state = await readSyncState(db);
  if (state.cursor_xid === null) throw new Error('pull before first sync set the cursor');
  const { rows } = await central.query<ChangeEntry>(PULL_SQL, [state.cursor_xid, state.cursor_id ?? 0, limit]);
  if (rows.length === 0) return { entries: 0, deferred: 0, refused: 0 };
  let deferred = 0;
  let refused = 0;
  await db.transaction(async (tx) => {
    await setApplying(tx, true);
    // Consecutive entries of one table (and kind) go in one statement; order is kept.
    for (let start = 0; start < rows.length; ) {
      const first = rows[start]!;
      let end = start + 1;
      while (end < rows.length && rows[end]!.table_name === first.table_name && (rows[end]!.op === 'refresh') === (first.op === 'refresh')) end += 1;
      const result = await applyCentralRows(tx, syncedTable(first.table_name), rows.slice(start, end).map((e) => e.row_data), clientId, {
        force: first.op === 'refresh',
      });
      deferred += result.deferred;
      refused += result.refused.length;
      start = end;
    }
    await setApplying(tx, false);
    const last = rows[rows.length - 1]!;
    const now = await readSyncState(tx);
    await writeSyncState(tx, { cursor_xid: last.xid, cursor_id: Number(last.id), pulled_total: now.pulled_total + rows.length, last_pull_at: nowIso() });
  });
  return { entries: rows.length, deferred, refused };
}
