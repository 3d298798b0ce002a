import type pg from 'pg';
import { appendAudit } from '../../store/audit-repo';
import { letCallersIn, type Db } from '../../store/database';
import { applyChangeBatch, type PulledEntry } from '../../store/pull-apply';
import { advancePullCursor, readSyncState, setApplying } from '../../store/sync-state-repo';
import { sqlState } from './central-connection';
import { paceAfter, type ApplyPace } from '../../store/apply-pace';
import { refusalReason } from './refusal-reason';
import { beginRefresh, CURSOR_PRUNED, runRefresh } from './refresh';

/**
 * The cursor is the (xid, id) of the last entry applied. `sync_pull` (central migration 0005)
 * returns only entries of transactions below the oldest one still running
 * (pg_snapshot_xmin): every such transaction has finished, so nothing can appear later below
 * the cursor. A transaction that took its xid early and commits late holds the cursor back
 * until it commits, instead of being skipped (an id-ordered cursor would have moved past its
 * rows while they were invisible). The call also tells central where this kiosk is, so the
 * log is pruned only below it, and fails with CURSOR_PRUNED when it was pruned anyway.
 */
export const PULL_SQL = `SELECT p.id, p.xid, p.table_name, p.op, p.row_data::text AS row_json,
    coalesce(p.row_data ->> 'id', p.row_data ->> 'key') AS key, (p.row_data ->> 'version')::integer AS version
  FROM sync_pull($1::uuid, $2::xid8, $3::bigint, $4::integer) p`;

export interface PullResult {
  entries: number;
  /** Rows paged again because the cursor had fallen below the pruned log (refresh.ts). */
  refreshed: number;
  deferred: number;
  refused: number;
  /** SQLite's own sentences for the refused rows, once each: for main.log, never a screen. */
  refusedBecause: string[];
  /** The page was applied in log order (the schema refused the batched apply; pull-apply.ts). */
  inLogOrder: boolean;
}

/** Change-log entries of central's code keys (central 0011): the key id only; the set is fetched, never logged. */
export const CODE_KEYS_ENTRY = 'code_keys';

/**
 * Reads one page of the change log and applies it with the cursor, in local transactions of
 * `pace` (one for the whole page without it). A page that shows a rotation or retirement of
 * code keys first takes central's key set (`takeCodeKeys`), so rows made under a new key
 * never arrive before the key.
 */
export async function pullBatch(
  db: Db,
  central: pg.ClientBase,
  clientId: string,
  limit: number,
  nowIso: () => string,
  takeCodeKeys?: () => Promise<void>,
  pace?: ApplyPace,
): Promise<PullResult> {
  let state = await readSyncState(db);
  if (state.cursor_xid === null) throw new Error('pull before first sync set the cursor');
  let refreshed = 0;
  if (state.refresh_table) {
    refreshed = await runRefresh(db, central, clientId, pace);
    state = await readSyncState(db);
  }
  let rows: PulledEntry[];
  try {
    rows = (await central.query<PulledEntry>(PULL_SQL, [clientId, state.cursor_xid, state.cursor_id ?? 0, limit])).rows;
  } catch (error) {
    if (sqlState(error) !== CURSOR_PRUNED) throw error;
    await beginRefresh(db, central, nowIso());
    refreshed += await runRefresh(db, central, clientId, pace);
    return { entries: 0, refreshed, deferred: 0, refused: 0, refusedBecause: [], inLogOrder: false };
  }
  if (rows.length === 0) return { entries: 0, refreshed, deferred: 0, refused: 0, refusedBecause: [], inLogOrder: false };
  if (rows.some((r) => r.table_name === CODE_KEYS_ENTRY)) await takeCodeKeys?.();
  const applied = pace ? await applyPaced(db, rows, clientId, nowIso, pace) : await applyPulledEntries(db, rows, clientId, nowIso);
  return { entries: rows.length, refreshed, ...applied };
}

/**
 * A page in slices, each in its own transaction with the cursor after its last entry, and the
 * customers' calls queued meanwhile let in between (the store has one connection: a page of
 * 500 accounts into a store of a million held it 300–400 ms, and each statement of a
 * customer's call could wait behind one). A slice ends where a smaller page would have: the
 * cursor is (xid, id), which a page cut inside a transaction resumes from as well, and every
 * entry is from a committed transaction, so a kill between slices skips nothing and repeats
 * nothing.
 */
async function applyPaced(db: Db, rows: readonly PulledEntry[], clientId: string, nowIso: () => string, pace: ApplyPace): Promise<Omit<PullResult, 'entries' | 'refreshed'>> {
  const total = { deferred: 0, refused: 0, refusedBecause: [] as string[], inLogOrder: false };
  for (let start = 0; start < rows.length; ) {
    if (start > 0) await letCallersIn(db);
    const slice = rows.slice(start, start + pace.entries);
    const began = performance.now();
    const applied = await applyPulledEntries(db, slice, clientId, nowIso);
    paceAfter(pace, slice.length, performance.now() - began);
    total.deferred += applied.deferred;
    total.refused += applied.refused;
    total.refusedBecause = [...new Set([...total.refusedBecause, ...applied.refusedBecause])];
    total.inLogOrder ||= applied.inLogOrder;
    start += slice.length;
  }
  return total;
}

/** SQLite's own sentence from a knex error (which begins with the whole statement, and the row's values). */
const storeReason = (error: string): string => (/SQLITE_[A-Z_]+: ([^\n]*)$/.exec(error)?.[1] ?? error).slice(0, 200);

/** The entries and the cursor after them in one local transaction: a kill leaves both or neither. */
export async function applyPulledEntries(
  db: Db,
  rows: readonly PulledEntry[],
  clientId: string,
  nowIso: () => string,
): Promise<{ deferred: number; refused: number; refusedBecause: string[]; inLogOrder: boolean }> {
  return db.transaction(async (tx) => {
    await setApplying(tx, true);
    const tableRows = rows.filter((r) => r.table_name !== CODE_KEYS_ENTRY);
    const result = tableRows.length > 0 ? await applyChangeBatch(tx, tableRows, clientId) : { deferred: 0, refused: [], inLogOrder: false };
    await setApplying(tx, false);
    // The cursor moves past a refused row, so this counter lacks it until central changes it
    // again: named where staff look (監査ログ), with the pull that passed it over. One entry
    // per reason and transaction, its first row as the subject and the count beside it: a
    // central emptied and imported again refused every row, one entry each (5,000 in 20 s),
    // which buried the rest of the log.
    const byReason = new Map<string, { subject: string; rows: number }>();
    for (const r of result.refused) {
      const reason = refusalReason(r.error);
      const seen = byReason.get(reason);
      if (seen) seen.rows += 1;
      else byReason.set(reason, { subject: r.subject, rows: 1 });
    }
    for (const [refusal, { subject, rows: refused }] of byReason) {
      await appendAudit(tx, { actor: 'system', action: 'sync.pull-refused', subject, detail: { refusal, rows: refused } }, nowIso());
    }
    const last = rows[rows.length - 1]!;
    await advancePullCursor(tx, { xid: last.xid, id: Number(last.id) }, rows.length, nowIso());
    const refusedBecause = [...new Set(result.refused.map((r) => storeReason(r.error)))];
    return { deferred: result.deferred, refused: result.refused.length, refusedBecause, inLogOrder: result.inLogOrder };
  });
}
