import type pg from 'pg';
import { appendAudit } from '../../store/audit-repo';
import type { Db } from '../../store/database';
import { dropPushed, nextMutations, renumberOutboxAbove, type OutboxRow } from '../../store/sync-outbox-repo';
import { readSyncState, writeSyncState } from '../../store/sync-state-repo';
import { sqlState } from './central-connection';
import { storableRowJson } from './storable-values';

export interface PushResult {
  sent: number;
  lastSeq: number;
  counts: Record<string, number>;
  /** Accounts whose login central locked while applying this batch (central migration 0008). */
  loginLocks: string[];
  /** Central had passed this store's numbers (a restored or copied store): the outbox was moved above them and goes again. */
  renumbered: number;
}

/** The stored JSON goes out as it is: no parse and re-stringify per mutation. */
export function mutationsPayload(rows: readonly OutboxRow[]): string {
  return `[${rows
    .map(
      (r) =>
        `{"seq":${r.seq},"id":${JSON.stringify(r.mutation_id)},"table":${JSON.stringify(r.table_name)},"key":${JSON.stringify(r.row_key)},` +
        `"op":${JSON.stringify(r.op)},"baseVersion":${r.base_version ?? 'null'},"row":${r.row_json},"old":${r.old_json ?? 'null'}}`,
    )
    .join(',')}]`;
}

// Data errors (22xxx), integrity (23xxx) and wrong types (42804): retrying the same batch
// as a whole would fail the same way forever, so it is retried with one subtransaction per
// mutation and the refused one is recorded as a conflict of kind 'error' at central.
const isDataError = (state: string | undefined) => state !== undefined && (state.startsWith('22') || state.startsWith('23') || state === '42804');

/**
 * The batch as central can store it: a value it cannot hold (storable-values.ts) goes with
 * U+FFFD in its place, so the rest of the outbox is not held back by it, and the row is
 * named. The pull brings central's row back, so this replica ends as central has it.
 */
function travelling(stored: readonly OutboxRow[]): { rows: OutboxRow[]; replaced: Array<{ subject: string; fields: string[] }> } {
  const replaced: Array<{ subject: string; fields: string[] }> = [];
  const rows = stored.map((r) => {
    const row = storableRowJson(r.row_json);
    const old = r.old_json === null ? null : storableRowJson(r.old_json);
    if (row.replaced.length === 0 && (old?.replaced.length ?? 0) === 0) return r;
    // An account by its JSA-ID, as staff know it; any other row by its key.
    const jsaId = r.table_name === 'accounts' ? (JSON.parse(row.json) as { jsa_id?: unknown }).jsa_id : undefined;
    if (row.replaced.length > 0) replaced.push({ subject: typeof jsaId === 'string' ? jsaId : r.row_key, fields: row.replaced });
    return { ...r, row_json: row.json, old_json: old?.json ?? null };
  });
  return { rows, replaced };
}

/**
 * Sends the oldest batch of the outbox. Central applies it in one transaction (sync_push)
 * and answers with the highest sequence number it now holds for this replica; only after
 * that commit are the rows dropped here. A crash between the two sends the batch again,
 * and central skips every mutation it already has: each is applied exactly once.
 */
export async function pushBatch(
  db: Db,
  central: pg.ClientBase,
  clientId: string,
  batchSize: number,
  nowIso: () => string,
  centralSeq = 0,
): Promise<PushResult | undefined> {
  let stored = await nextMutations(db, batchSize);
  if (stored.length === 0) return undefined;
  let renumbered = 0;
  // Numbers central has passed for this client id would be skipped there unseen.
  if (stored[0]!.seq <= centralSeq) {
    renumbered = await db.transaction((tx) => renumberOutboxAbove(tx, centralSeq));
    stored = await nextMutations(db, batchSize);
  }
  const { rows, replaced } = travelling(stored);
  const payload = mutationsPayload(rows);
  let answer: pg.QueryResult<{ r: { lastSeq: string | number; counts: Record<string, number>; loginLocks?: string[] } }>;
  try {
    answer = await central.query('SELECT sync_push($1::uuid, $2::jsonb, false) AS r', [clientId, payload]);
  } catch (error) {
    if (!isDataError(sqlState(error))) throw error;
    answer = await central.query('SELECT sync_push($1::uuid, $2::jsonb, true) AS r', [clientId, payload]);
  }
  const result = answer.rows[0]!.r;
  const lastSeq = Number(result.lastSeq);
  // Central holds a higher number for this client id than this batch reached: another store
  // with the same identity pushed meanwhile (a copy). Whatever of the batch it skipped by
  // number would be lost if dropped: nothing is dropped, and the batch goes again above it.
  if (lastSeq > rows[rows.length - 1]!.seq) {
    const renumbered = await db.transaction((tx) => renumberOutboxAbove(tx, lastSeq));
    return { sent: 0, lastSeq, counts: result.counts, loginLocks: result.loginLocks ?? [], renumbered };
  }
  await db.transaction(async (tx) => {
    await dropPushed(tx, lastSeq);
    // Named where staff look (監査ログ), with the pushed rows' commit: central now holds U+FFFD there.
    for (const r of replaced) await appendAudit(tx, { actor: 'system', action: 'sync.value-replaced', subject: r.subject, detail: { fields: r.fields.join(', ') } }, nowIso());
    // A restored store's changes older than central's memory: held back at central as conflicts (central 0016).
    const expired = result.counts.expired ?? 0;
    if (expired > 0) await appendAudit(tx, { actor: 'system', action: 'sync.changes-expired', subject: null, detail: { changes: expired } }, nowIso());
    const state = await readSyncState(tx);
    await writeSyncState(tx, { pushed_total: state.pushed_total + rows.length, last_push_at: nowIso() });
  });
  return { sent: rows.length, lastSeq, counts: result.counts, loginLocks: result.loginLocks ?? [], renumbered };
}
