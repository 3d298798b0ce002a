import type { Queryable } from './database';

/** The one row of `sync_state`: identity, pull cursor, first-sync progress and status. */
export interface SyncStateRow {
  client_id: string | null;
  kiosk_id: string | null;
  cursor_xid: string | null;
  cursor_id: number | null;
  first_sync: 'paging' | 'indexing' | 'done' | null;
  first_sync_start_xid: string | null;
  first_sync_table: string | null;
  first_sync_after: string | null;
  first_sync_rows: number;
  first_sync_total: number;
  first_sync_started_at: string | null;
  first_sync_finished_at: string | null;
  first_sync_rate: number | null;
  /** Refresh after a pruned cursor (services/sync/refresh.ts): the table being paged, or null. */
  refresh_table: string | null;
  refresh_after: string | null;
  refresh_rows: number;
  refresh_started_at: string | null;
  /** CREATE INDEX statements a first sync set aside while paging accounts (JSON array), or null. */
  first_sync_set_aside: string | null;
  /** When every row was copied (the index stage began), and the index stage's progress (0019). */
  first_sync_copied_at: string | null;
  first_sync_index_after: string | null;
  first_sync_indexed: number;
  first_sync_index_total: number;
  first_sync_index_rate: number | null;
  last_push_at: string | null;
  last_pull_at: string | null;
  offline_since: string | null;
  last_error: string | null;
  /** A stable code for last_error (0028): contract/central-failures.ts words it. */
  last_error_code: string | null;
  pushed_total: number;
  pulled_total: number;
  updated_at: string | null;
  /** The audit stream (0024): seq of the last audit row central holds, when it said so, its last refusal. */
  audit_streamed_seq: number;
  audit_streamed_at: string | null;
  audit_stream_error: string | null;
}

export async function readSyncState(db: Queryable): Promise<SyncStateRow> {
  const row = (await db('sync_state').where({ id: 1 }).first()) as SyncStateRow | undefined;
  if (!row) throw new Error('sync_state row missing: run the local migrations');
  return { ...row, first_sync_rows: Number(row.first_sync_rows), first_sync_total: Number(row.first_sync_total), first_sync_indexed: Number(row.first_sync_indexed), first_sync_index_total: Number(row.first_sync_index_total), refresh_rows: Number(row.refresh_rows), audit_streamed_seq: Number(row.audit_streamed_seq ?? 0), cursor_id: row.cursor_id === null ? null : Number(row.cursor_id) };
}

export async function writeSyncState(db: Queryable, changes: Partial<SyncStateRow>): Promise<void> {
  await db('sync_state').where({ id: 1 }).update(changes);
}

/** Turns capture on for good: from now on every write waits in the outbox, online or not. */
export async function enableCapture(db: Queryable): Promise<void> {
  await db('sync_guard').where({ id: 1 }).update({ capture: 1 });
}

export async function captureEnabled(db: Queryable): Promise<boolean> {
  const row = (await db('sync_guard').where({ id: 1 }).first('capture')) as { capture: number } | undefined;
  return row?.capture === 1;
}

/** The pull cursor moved past `entries` more change-log entries (one statement, in the pull's transaction). */
export async function advancePullCursor(db: Queryable, cursor: { xid: string; id: number }, entries: number, atIso: string): Promise<void> {
  await db('sync_state').where({ id: 1 }).update({ cursor_xid: cursor.xid, cursor_id: cursor.id, pulled_total: db.raw('pulled_total + ?', [entries]), last_pull_at: atIso });
}

export async function setApplying(db: Queryable, on: boolean): Promise<void> {
  await db('sync_guard').where({ id: 1 }).update({ applying: on ? 1 : 0 });
}

/**
 * The ids of central's code keys (ids only: the keys live in the SecretStore). Requests made
 * under one of them travel; others stay on this counter (sync-tables.ts, `underDeploymentKey`).
 */
export async function setDeploymentKeyIds(db: Queryable, ids: readonly string[]): Promise<void> {
  const held = ((await db('deployment_key_ids').select('id')) as Array<{ id: string }>).map((r) => r.id).sort();
  if (held.join(',') === [...ids].sort().join(',')) return;
  await db.transaction(async (tx) => {
    await tx('deployment_key_ids').delete();
    if (ids.length > 0) await tx('deployment_key_ids').insert(ids.map((id) => ({ id })));
  });
}
