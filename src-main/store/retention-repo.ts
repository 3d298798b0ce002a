import { AUDIT_PURGED_ACTION, appendAudit, type AuditPurgeFields, type AuditPurgeMarker } from './audit-repo';
import type { Queryable, Tx } from './database';

/** Reset requests that can no longer be used: finished, dead, or pending past their expiry. */
const closedStatuses = ['used', 'voided', 'expired', 'cancelled', 'superseded'];

export async function purgeResetRequests(db: Queryable, beforeIso: string): Promise<number> {
  return db('reset_requests')
    .where('created_at', '<', beforeIso)
    .andWhere((q) => q.whereIn('status', closedStatuses).orWhere('expires_at', '<', beforeIso))
    .delete();
}

/** Attempt records: limit events and locks that staff lifted long ago. Active locks stay. */
export async function purgeAttemptRecords(db: Queryable, beforeMs: number, beforeIso: string): Promise<number> {
  const events = await db('limit_events').where('at_ms', '<', beforeMs).delete();
  const locks = await db('account_locks').whereNotNull('unlocked_at').andWhere('unlocked_at', '<', beforeIso).delete();
  return events + locks;
}

/**
 * Mail: the encrypted secret part (code, link) is dropped a day after delivery, when it
 * can no longer be used anyway; the whole row (address, name, JSA-ID) after the retention
 * period. Queued mail is never touched.
 */
export async function dropSentMailSecrets(db: Queryable, beforeIso: string): Promise<number> {
  return db('mail_outbox')
    .whereIn('state', ['sent', 'failed', 'withdrawn'])
    .whereNotNull('secret_params')
    .andWhere('created_at', '<', beforeIso)
    .update({ secret_params: null });
}

export async function purgeMail(db: Queryable, beforeIso: string): Promise<number> {
  return db('mail_outbox').whereIn('state', ['sent', 'failed', 'withdrawn']).andWhere('created_at', '<', beforeIso).delete();
}

/**
 * The last seq whose age along the log itself is past `ageMs`: an entry's age is the sum of
 * the steps between the entries after it, and from the newest one to now, each step counted
 * as at most `stepCapMs` and a step back as nothing. A clock that jumped ahead (or a store
 * restored into a later year) adds one capped step, not the jump, so no entry is dropped for
 * a jump; a counter in use writes daily (the purge's own entry), so its steps are all counted.
 */
export async function auditSeqAgedPast(db: Queryable, opts: { nowMs: number; ageMs: number; stepCapMs: number }): Promise<number> {
  const head = (await db('audit_log').orderBy('seq', 'desc').first('at')) as { at: string } | undefined;
  if (!head) return 0;
  const tail = Math.min(Math.max(opts.nowMs - Date.parse(head.at), 0), opts.stepCapMs);
  const rows = (await db.raw(
    `SELECT MAX(seq) AS m FROM (
       SELECT seq, COALESCE(SUM(step) OVER (ORDER BY seq DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS later
       FROM (SELECT seq, MIN(MAX((julianday(at) - julianday(LAG(at) OVER (ORDER BY seq))) * 86400000.0, 0), ?) AS step FROM audit_log)
     ) WHERE later + ? > ?`,
    [opts.stepCapMs, tail, opts.ageMs],
  )) as Array<{ m: number | null }>;
  return rows[0]?.m ?? 0;
}

/**
 * Removes the audit entries older than `beforeIso` (always a prefix of the chain, never the
 * newest entry) and appends a marker, signed by `sign`, that records where the chain now
 * starts. Runs in the caller's transaction; the permit row lets the delete trigger pass
 * (migration 0013) and is gone again when the transaction commits.
 */
export async function purgeAuditBefore(
  tx: Tx,
  beforeIso: string,
  nowIso: string,
  sign: (marker: AuditPurgeFields) => Pick<AuditPurgeMarker, 'keyId' | 'sig'>,
  /** A synced store keeps what central has not acknowledged yet (the audit stream, 0024): the marker follows the rows it names. */
  streamedThroughSeq?: number,
  /** And no entry younger along the log than the retention (`auditSeqAgedPast`). */
  agedThroughSeq?: number,
): Promise<AuditPurgeMarker | undefined> {
  const newest = (await tx('audit_log').max<{ m: number | null }[]>({ m: 'seq' }).first()) as { m: number | null } | undefined;
  const lastOld = (await tx('audit_log').where('at', '<', beforeIso).max<{ m: number | null }[]>({ m: 'seq' }).first()) as
    | { m: number | null }
    | undefined;
  const throughSeq = Math.min(lastOld?.m ?? 0, (newest?.m ?? 0) - 1, streamedThroughSeq ?? Number.MAX_SAFE_INTEGER, agedThroughSeq ?? Number.MAX_SAFE_INTEGER);
  if (throughSeq <= 0) return undefined;
  const anchor = (await tx('audit_log').where('seq', throughSeq).first('hash')) as { hash: string } | undefined;
  if (!anchor) return undefined;
  await tx('audit_purge_permit').insert({ through_seq: throughSeq });
  const purged = await tx('audit_log').where('seq', '<=', throughSeq).delete();
  await tx('audit_purge_permit').delete();
  if (purged === 0) return undefined;
  const fields = { throughSeq, anchorHash: anchor.hash, purged, purgedAt: nowIso };
  const marker: AuditPurgeMarker = { ...fields, ...sign(fields) };
  await appendAudit(tx, { actor: 'system', action: AUDIT_PURGED_ACTION, detail: { ...marker } }, nowIso);
  return marker;
}
