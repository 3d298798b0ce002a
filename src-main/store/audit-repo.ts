import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditAction } from '../contract/audit-actions';
import type { Queryable } from './database';

export interface AuditEntry {
  actor: string;
  action: AuditAction;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  detail_json: string;
  prev_hash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The hash covers every stored field and the previous hash, in a fixed order. */
export function auditHash(prevHash: string, row: Pick<AuditRow, 'at' | 'actor' | 'action' | 'subject' | 'detail_json'>): string {
  return createHash('sha256')
    .update(JSON.stringify([prevHash, row.at, row.actor, row.action, row.subject ?? null, row.detail_json]))
    .digest('hex');
}

/**
 * Appends inside the caller's transaction, so the entry commits with the change it records.
 * SQLite has one writer, so reading the last hash and inserting cannot interleave.
 */
export async function appendAudit(db: Queryable, entry: AuditEntry, nowIso: string): Promise<void> {
  const last = (await db('audit_log').orderBy('seq', 'desc').first('hash')) as { hash: string } | undefined;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row = {
    at: nowIso,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject ?? null,
    detail_json: JSON.stringify(entry.detail ?? {}),
  };
  await db('audit_log').insert({ ...row, prev_hash: prevHash, hash: auditHash(prevHash, row) });
}

export interface AuditBreak {
  seq: number;
  /** `marker`: the log does not start at the genesis and no valid purge marker vouches for where it starts. */
  reason: 'prev-hash' | 'hash' | 'marker';
}

/** What a retention purge records about the rows it removed (the `audit.purged` entry's detail). */
export interface AuditPurgeMarker {
  /** Every entry up to and including this seq was removed. */
  throughSeq: number;
  /** The hash of the last removed entry: the prev_hash of the first one kept. */
  anchorHash: string;
  purged: number;
  purgedAt: string;
  /** The counter's marker key (services/audit-marker-keys.ts) and its Ed25519 signature over the fields above. */
  keyId?: string;
  sig?: string;
  /** Markers written before marker keys: an HMAC under a code key (secret-box purpose `audit-marker`). */
  mac?: string;
}

/** The fields a marker's signature covers. */
export type AuditPurgeFields = Pick<AuditPurgeMarker, 'throughSeq' | 'anchorHash' | 'purged' | 'purgedAt'>;

export const AUDIT_PURGED_ACTION = 'audit.purged';

/** The bytes the marker's MAC covers, in a fixed order. */
export const auditMarkerMessage = (m: AuditPurgeFields): string =>
  JSON.stringify(['audit.purged.v1', m.throughSeq, m.anchorHash, m.purged, m.purgedAt]);

export interface VerifyAuditOptions {
  /** True when the marker's MAC is genuine; without it, a log that starts after a purge does not verify. */
  markerValid?(marker: AuditPurgeMarker): boolean;
  /**
   * The chain's rows: the local `audit_log` unless given. Central's copy of one replica's chain
   * (kiosk_audit_log, central migration 0012) has the same columns and is walked the same way.
   */
  rows?: () => Knex.QueryBuilder;
  /**
   * Gaps an admin accepted at central (kiosk_audit_acceptances, central migration 0015): right
   * after entry `toSeq` the chain goes on from `anchorHash`, the hash of entry `fromSeq - 1`
   * (the last one the counter kept). Only central's copy of a chain has them.
   */
  acceptedGaps?: ReadonlyArray<{ fromSeq: number; toSeq: number; anchorHash: string }>;
}

export interface AuditVerification {
  checked: number;
  firstBreak?: AuditBreak;
  /** Set when older entries were purged: the chain is verified from this marker on. */
  startsAfter?: { throughSeq: number; purgedAt: string };
}

/** The newest purge marker, which describes where the remaining log starts. */
export async function latestPurgeMarker(db: Queryable, rows: () => Knex.QueryBuilder = () => db('audit_log')): Promise<AuditPurgeMarker | undefined> {
  const row = (await rows().where('action', AUDIT_PURGED_ACTION).orderBy('seq', 'desc').first('detail_json')) as
    | { detail_json: string }
    | undefined;
  return row ? (JSON.parse(row.detail_json) as AuditPurgeMarker) : undefined;
}

/**
 * Walks the chain in pages; returns the first entry whose link or content does not hold.
 * A log whose first entry is not linked to the genesis must be vouched for by the newest
 * purge marker (a signed `audit.purged` entry inside the chain): its anchor is where the
 * walk starts. Removing rows without the deployment secret therefore still shows.
 */
export async function verifyAuditChain(db: Queryable, pageSize = 5000, options: VerifyAuditOptions = {}): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let afterSeq = 0;
  let checked = 0;
  let startsAfter: AuditVerification['startsAfter'];
  const source = options.rows ?? (() => db('audit_log'));
  const gaps = options.acceptedGaps ?? [];
  // The hash of each entry an accepted gap goes on from, as met on this walk.
  const kept = new Map<number, string | undefined>(gaps.map((g) => [g.fromSeq - 1, undefined]));
  // An anchor purged since (at or before where the walk starts) is taken on the acceptance's word:
  // central checked it when the gap was accepted, and the acceptances are a chain of their own.
  const walk = { from: 0, anchor: GENESIS_HASH };
  const anchorHeld = (g: { fromSeq: number; anchorHash: string }) =>
    g.fromSeq - 1 < walk.from || (g.fromSeq - 1 === walk.from ? g.anchorHash === walk.anchor : kept.get(g.fromSeq - 1) === g.anchorHash);
  const acceptedLink = (link: string) => gaps.some((g) => g.toSeq === afterSeq && g.anchorHash === link && anchorHeld(g));
  const first = (await source().orderBy('seq').first('seq', 'prev_hash')) as { seq: number; prev_hash: string } | undefined;
  if (first && first.prev_hash !== GENESIS_HASH) {
    const marker = await latestPurgeMarker(db, source);
    const vouched =
      marker !== undefined &&
      // Seqs may jump where a log was cut and went on (an accepted gap); the hash link is the check.
      marker.throughSeq < first.seq &&
      marker.anchorHash === first.prev_hash &&
      (options.markerValid?.(marker) ?? false);
    if (!vouched) return { checked, firstBreak: { seq: first.seq, reason: 'marker' } };
    prevHash = marker.anchorHash;
    afterSeq = marker.throughSeq;
    startsAfter = { throughSeq: marker.throughSeq, purgedAt: marker.purgedAt };
    walk.from = marker.throughSeq;
    walk.anchor = marker.anchorHash;
  }
  for (;;) {
    const rows = (await source().where('seq', '>', afterSeq).orderBy('seq').limit(pageSize)) as AuditRow[];
    if (rows.length === 0) return { checked, ...(startsAfter ? { startsAfter } : {}) };
    for (const row of rows) {
      if (row.prev_hash !== prevHash) {
        if (!acceptedLink(row.prev_hash)) return { checked, firstBreak: { seq: row.seq, reason: 'prev-hash' } };
        prevHash = row.prev_hash;
      }
      if (auditHash(prevHash, row) !== row.hash) return { checked, firstBreak: { seq: row.seq, reason: 'hash' } };
      if (kept.has(row.seq)) kept.set(row.seq, row.hash);
      prevHash = row.hash;
      afterSeq = row.seq;
      checked += 1;
    }
  }
}
