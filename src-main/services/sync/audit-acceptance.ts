import { createHash } from 'node:crypto';
import { appendAudit, GENESIS_HASH } from '../../store/audit-repo';
import type { Db } from '../../store/database';

/** Runs one statement at central and gives its rows (knex.raw or a pg client, wrapped by the caller). */
export type CentralQuery = <R>(sql: string, params?: unknown[]) => Promise<R[]>;

/** An admin's acceptance of a cut counter log, as central keeps it (kiosk_audit_acceptances, central migration 0015). */
export interface AuditGapAcceptance {
  id: number;
  clientId: string;
  kioskId: string;
  fromSeq: number;
  toSeq: number;
  anchorHash: string;
  refusal: string | null;
  acceptedBy: string;
  acceptedAtKiosk: string;
  /** The database login that recorded it (set by central, not by the caller). */
  acceptedRole: string;
  acceptedAt: string;
  reason: string;
  prevHash: string;
  hash: string;
}

interface AcceptanceRow {
  id: string;
  client_id: string;
  kiosk_id: string;
  from_seq: number;
  to_seq: number;
  anchor_hash: string;
  refusal: string | null;
  accepted_by: string;
  accepted_at_kiosk: string;
  accepted_role: string;
  accepted_at: string;
  reason: string;
  prev_hash: string;
  hash: string;
}

export const AUDIT_GAP_ACCEPTED_ACTION = 'audit.gap_accepted' as const;

export async function centralAcceptances(query: CentralQuery): Promise<AuditGapAcceptance[]> {
  const rows = await query<AcceptanceRow>('SELECT * FROM kiosk_audit_acceptances ORDER BY id');
  return rows.map((r) => ({
    id: Number(r.id),
    clientId: r.client_id,
    kioskId: r.kiosk_id,
    fromSeq: r.from_seq,
    toSeq: r.to_seq,
    anchorHash: r.anchor_hash,
    refusal: r.refusal,
    acceptedBy: r.accepted_by,
    acceptedAtKiosk: r.accepted_at_kiosk,
    acceptedRole: r.accepted_role,
    acceptedAt: r.accepted_at,
    reason: r.reason,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}

/** The hash central's trigger gives an acceptance (audit_acceptance_digest): each field as <length>:<value>. */
export function acceptanceHash(prevHash: string, a: Omit<AuditGapAcceptance, 'prevHash' | 'hash'>): string {
  const fields = ['audit.accept.v1', String(a.id), a.clientId, a.kioskId, String(a.fromSeq), String(a.toSeq), a.anchorHash, a.refusal ?? '', a.acceptedBy, a.acceptedAtKiosk, a.acceptedRole, a.acceptedAt, a.reason];
  // PostgreSQL's length() counts characters (code points), as Array.from does.
  return createHash('sha256').update(prevHash + fields.map((f) => `${Array.from(f).length}:${f}`).join(''), 'utf8').digest('hex');
}

/** The first acceptance whose link or content does not hold, or undefined when the record is intact. */
export function acceptanceChainBreak(list: readonly AuditGapAcceptance[]): AuditGapAcceptance | undefined {
  let prev = GENESIS_HASH;
  for (const a of list) {
    if (a.prevHash !== prev || acceptanceHash(prev, a) !== a.hash) return a;
    prev = a.hash;
  }
  return undefined;
}

/** Whether the counter's log, as it last reported it, ends inside a gap an admin accepted (the same rule as audit:verify). */
export const gapAccepted = (accepted: readonly AuditGapAcceptance[], lastSeq: number, localSeq: number): boolean =>
  accepted.some((a) => a.toSeq === lastSeq && localSeq >= a.fromSeq - 1);

/** "entries 78–80" / "entry 80". */
export const seqRange = (from: number, to: number): string => (from === to ? `entry ${from}` : `entries ${from}–${to}`);

export const acceptedLine = (a: AuditGapAcceptance): string =>
  `${seqRange(a.fromSeq, a.toSeq)} removed at ${a.kioskId}: accepted by ${a.acceptedBy} at ${a.acceptedAt} (at ${a.acceptedAtKiosk}, database login ${a.acceptedRole}): ${a.reason}`;

export class AuditAcceptError extends Error {
  constructor(
    message: string,
    readonly kind: 'unknown-counter' | 'ambiguous-counter' | 'nothing-to-accept' | 'rewritten' | 'reason-required',
  ) {
    super(message);
  }
}

/**
 * `npm run audit:accept` and 同期の状態: records at central that `by` accepted the gap central
 * sees in `counter`'s log (its kiosk id, or its client id when one kiosk id has had several
 * data folders), then audits the acceptance at this counter too (it streams to central as any
 * entry). Central decides the range from what it holds; nothing else changes.
 */
export async function acceptAuditGap(deps: {
  db: Db;
  query: CentralQuery;
  counter: string;
  reason: string;
  by: string;
  atKiosk: string;
  nowIso: string;
}): Promise<AuditGapAcceptance> {
  const reason = deps.reason.trim();
  if (!reason) throw new AuditAcceptError('理由を入力してください / a reason is required', 'reason-required');
  const heads = await deps.query<{ client_id: string; kiosk_id: string; local_seq: number | null; last_seq: number; refusal: string | null }>(
    'SELECT client_id, kiosk_id, local_seq, last_seq, refusal FROM kiosk_audit_heads WHERE kiosk_id = $1 OR client_id::text = $1',
    [deps.counter],
  );
  const flagged = heads.filter((h) => h.refusal !== null || (h.local_seq !== null && h.local_seq < h.last_seq));
  if (heads.length === 0) throw new AuditAcceptError(`窓口 ${deps.counter} の監査ログは中央にありません / no audit log from counter ${deps.counter} at central`, 'unknown-counter');
  if (flagged.length === 0) throw new AuditAcceptError(`窓口 ${deps.counter} の監査ログに承認する欠落はありません / the audit log of ${deps.counter} has no gap to accept`, 'nothing-to-accept');
  if (flagged.length > 1) {
    throw new AuditAcceptError(
      `窓口 ${deps.counter} は複数あります。クライアント ID で指定してください / more than one client of ${deps.counter} has a gap; name one by its client id: ${flagged.map((h) => h.client_id).join(', ')}`,
      'ambiguous-counter',
    );
  }
  let accepted: { id: number };
  try {
    [accepted] = (await deps.query<{ r: { id: number } }>('SELECT audit_accept_gap($1::uuid, $2, $3, $4) AS r', [flagged[0]!.client_id, deps.by, reason, deps.atKiosk])).map((r) => r.r) as [{ id: number }];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/cannot be accepted/.test(message)) throw new AuditAcceptError(`窓口 ${deps.counter} の監査ログは切り詰めではなく書き換えられています。承認できません。窓口を新しいデータフォルダで参加させてください / ${message}`, 'rewritten');
    if (/no gap to accept/.test(message)) throw new AuditAcceptError(`窓口 ${deps.counter} の監査ログに承認する欠落はありません / ${message}`, 'nothing-to-accept');
    throw error;
  }
  const acceptance = (await centralAcceptances(deps.query)).find((a) => a.id === Number(accepted.id))!;
  await deps.db.transaction((tx) =>
    appendAudit(
    tx,
    {
      actor: deps.by,
      action: AUDIT_GAP_ACCEPTED_ACTION,
      subject: acceptance.kioskId,
      detail: { acceptance: acceptance.id, clientId: acceptance.clientId, fromSeq: acceptance.fromSeq, toSeq: acceptance.toSeq, reason: acceptance.reason, acceptedAt: acceptance.acceptedAt },
    },
    deps.nowIso,
    ),
  );
  return acceptance;
}
