import type pg from 'pg';
import type { AuditRow } from '../../store/audit-repo';
import type { Db } from '../../store/database';
import { readSyncState, writeSyncState } from '../../store/sync-state-repo';

export interface AuditStreamResult {
  /** Rows sent in this call, and how many central took as new (the rest it already held). */
  sent: number;
  added: number;
  /** The seq of the last row central now holds for this replica. */
  lastSeq: number;
  /** Central refused the batch: its rows do not continue the chain central holds (the log here was cut or rewritten). */
  refused: string | null;
}

/** The newest row of the local chain (seq 0 and no hash for an empty log). */
export async function localAuditHead(db: Db): Promise<{ seq: number; hash: string | null }> {
  const row = (await db('audit_log').orderBy('seq', 'desc').first('seq', 'hash')) as { seq: number; hash: string } | undefined;
  return { seq: row?.seq ?? 0, hash: row?.hash ?? null };
}

/** The stored JSON text goes out as it is: central hashes nothing, audit:verify recomputes. */
export function auditRowsPayload(rows: readonly AuditRow[]): string {
  return JSON.stringify(rows.map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, detail_json: r.detail_json, prev_hash: r.prev_hash, hash: r.hash })));
}

/** The next rows to send and this log's head, or undefined when central has heard everything (no connection needed). */
export async function nextAuditBatch(db: Db, batchSize: number, reportedHead: { seq: number } | undefined): Promise<{ rows: AuditRow[]; head: { seq: number; hash: string | null } } | undefined> {
  const state = await readSyncState(db);
  const rows = (await db('audit_log').where('seq', '>', state.audit_streamed_seq).orderBy('seq').limit(batchSize)) as AuditRow[];
  const head = await localAuditHead(db);
  return rows.length === 0 && reportedHead?.seq === head.seq ? undefined : { rows, head };
}

/**
 * Sends the next audit rows after the last one central acknowledged, in seq order, in one
 * central transaction (audit_append, central migration 0012), with this log's own head. Only
 * after central's commit does the local mark move, so a kill in between sends the batch again
 * and central skips what it holds: every row arrives once, in order. Nothing is sent (no
 * central transaction) when there is nothing new and the head was reported already.
 */
export async function streamAuditBatch(
  db: Db,
  central: pg.ClientBase,
  clientId: string,
  batchSize: number,
  nowIso: () => string,
  reportedHead: { seq: number } | undefined,
): Promise<AuditStreamResult | undefined> {
  const next = await nextAuditBatch(db, batchSize, reportedHead);
  if (!next) return undefined;
  const { rows, head } = next;
  const answer = await central.query<{ r: { added: string | number; lastSeq: number; lastHash: string | null; refused: string | null } }>(
    'SELECT audit_append($1::uuid, $2::jsonb, $3::integer, $4::text) AS r',
    [clientId, auditRowsPayload(rows), head.seq, head.hash],
  );
  const result = answer.rows[0]!.r;
  await writeSyncState(db, result.refused ? { audit_streamed_seq: result.lastSeq, audit_stream_error: result.refused.slice(0, 300) } : { audit_streamed_seq: result.lastSeq, audit_streamed_at: nowIso(), audit_stream_error: null });
  return { sent: rows.length, added: Number(result.added), lastSeq: result.lastSeq, refused: result.refused };
}
