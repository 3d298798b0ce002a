import type { Queryable } from './database';
import { applyCentralRows, deleteCentralRows, type ApplyResult, type CentralRow } from './sync-apply';
import { syncedTable } from './sync-tables';

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
  return { deferred, refused };
}
