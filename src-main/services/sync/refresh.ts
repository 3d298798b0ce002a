import type pg from 'pg';
import { letCallersIn, type Db } from '../../store/database';
import { applyCentralRows, crossKioskKey, type CentralRow } from '../../store/sync-apply';
import { readSyncState, setApplying, writeSyncState } from '../../store/sync-state-repo';
import { syncedTables, type SyncedTable } from '../../store/sync-tables';
import { paceAfter, type ApplyPace } from '../../store/apply-pace';

/** SQLSTATE raised by sync_pull when the kiosk's cursor is below the pruned change log. */
export const CURSOR_PRUNED = 'WD001';

const PAGE = 5_000;

/**
 * Central pruned change-log entries this kiosk had not read (it was away longer than the
 * prune waits). Reading on would silently miss them, so the replica is refreshed instead:
 * every synced table is paged again from central and applied as central has it (rows with a
 * mutation still in the outbox are left alone: the outbox is kept and pushed as usual), and
 * rows central no longer has are deleted. The cursor restarts at central's current xmin, as
 * for a first sync, so changes made while paging come from the log afterwards.
 */
export async function beginRefresh(db: Db, central: pg.ClientBase, nowIso: string): Promise<void> {
  const { rows } = await central.query<{ xmin: string }>(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
  await db.transaction(async (tx) => {
    await tx('sync_refresh_keys').delete();
    await writeSyncState(tx, {
      cursor_xid: rows[0]!.xmin,
      cursor_id: 0,
      refresh_table: syncedTables[0]!.name,
      refresh_after: null,
      refresh_rows: 0,
      refresh_started_at: nowIso,
    });
  });
}

async function fetchPage(central: pg.ClientBase, table: SyncedTable, after: string | null): Promise<{ json: string; n: number; last: string | null }> {
  const key = table.surrogate ? 'key' : 'id';
  const { rows } = await central.query<{ json: string; n: number; last: string | null }>(
    `WITH page AS (SELECT * FROM ${table.name} WHERE $1::text IS NULL OR ${key} > $1::text ORDER BY ${key} LIMIT $2)
     SELECT coalesce(json_agg(page ORDER BY ${key})::text, '[]') AS json, count(*)::int AS n, max(${key}) AS last FROM page`,
    [after, PAGE],
  );
  return rows[0]!;
}

/**
 * Pages the tables from where the last committed page left off (a kill resumes there). Each
 * page commits with the keys it brought (`sync_refresh_keys`), in transactions of `pace` (the
 * page read once, applied in slices, customers' calls let in between: 5,000 accounts in one
 * transaction held the store's one connection for seconds in a large store); a slice notes
 * its last key as where to go on, which the page is ordered by. When a table is done, its
 * local rows that central did not send and that wait for no push are deleted.
 */
export async function runRefresh(db: Db, central: pg.ClientBase, clientId: string, pace?: ApplyPace): Promise<number> {
  let state = await readSyncState(db);
  let rows = 0;
  while (state.refresh_table) {
    const index = syncedTables.findIndex((t) => t.name === state.refresh_table);
    const table = syncedTables[index]!;
    const page = await fetchPage(central, table, state.refresh_after);
    const tableDone = page.n < PAGE;
    const next = tableDone ? (syncedTables[index + 1]?.name ?? null) : table.name;
    const keyField = table.surrogate ? 'key' : 'id';
    const data = JSON.parse(page.json) as CentralRow[];
    // An empty page still commits once: the table is done, and its deletes are due.
    for (let start = 0; start === 0 || start < data.length; ) {
      if (start > 0) await letCallersIn(db);
      const slice = pace ? data.slice(start, start + pace.entries) : data;
      const end = start + slice.length;
      const lastSlice = end >= data.length;
      const began = performance.now();
      await db.transaction(async (tx) => {
        await setApplying(tx, true);
        await applyCentralRows(tx, table, slice, clientId, { force: true });
        await tx.raw(`INSERT OR IGNORE INTO sync_refresh_keys (table_name, key) SELECT ?, value FROM json_each(?)`, [
          table.name,
          JSON.stringify(slice.map((r) => String(r[keyField]))),
        ]);
        if (tableDone && lastSlice) {
          const local = table.surrogate ? crossKioskKey(clientId) : 'id';
          // Rows that never travel (a kiosk's own limit buckets) are not central's to remove.
          const travelling = table.travels ? ` AND ${table.travels('')}` : '';
          await tx.raw(
            `DELETE FROM ${table.name} WHERE ${local} NOT IN (SELECT key FROM sync_refresh_keys WHERE table_name = ?)
               AND ${local} NOT IN (SELECT row_key FROM sync_outbox WHERE table_name = ?)${travelling}`,
            [table.name, table.name],
          );
        }
        await setApplying(tx, false);
        if (lastSlice && next === null) await tx('sync_refresh_keys').delete();
        await writeSyncState(
          tx,
          lastSlice
            ? { refresh_table: next, refresh_after: tableDone ? null : page.last, refresh_rows: state.refresh_rows + end }
            : { refresh_after: String(slice[slice.length - 1]![keyField]), refresh_rows: state.refresh_rows + end },
        );
      });
      if (pace) paceAfter(pace, slice.length, performance.now() - began);
      start = end;
      if (slice.length === 0) break;
    }
    rows += page.n;
    state = await readSyncState(db);
  }
  return rows;
}
