import type { Knex } from 'knex';
import { centralKnex } from '../../store/central-client-config';
import type pg from 'pg';
import { verifyAuditChain, type AuditRow, type VerifyAuditOptions } from '../../store/audit-repo';
import type { Db } from '../../store/database';
import { readSyncState } from '../../store/sync-state-repo';
import { auditVerifyReport } from '../audit-service';
import { localAuditHead } from './audit-streamer';
import { markerVerifier } from '../audit-marker-keys';
import type { SecretBox } from '../secret-box';
import { acceptanceChainBreak, acceptedLine, centralAcceptances, gapAccepted, type CentralQuery } from './audit-acceptance';

/** One replica's audit chain at central (kiosk_audit_heads, central migration 0012). */
export interface CentralAuditHead {
  clientId: string;
  kioskId: string;
  rowsHeld: number;
  firstSeq: number | null;
  lastSeq: number;
  lastHash: string | null;
  lastAt: string | null;
  receivedAt: string | null;
  purgedThrough: number;
  /** The head of its own log that the counter last reported, and when. */
  localSeq: number | null;
  localReportedAt: string | null;
  /** Central refused rows of this counter that did not continue its chain (the log there was cut or rewritten). */
  refusal: string | null;
  refusedAt: string | null;
  /**
   * For a log cut or refused: the entry central holds that the counter's log now goes on from
   * (its reported head when shorter, else the link of the first refused row), by seq; null when
   * central holds no such entry (rewritten, not cut) or nothing is cut.
   */
  cut: number | null;
}

interface HeadRow {
  client_id: string;
  kiosk_id: string;
  rows_held: string;
  first_seq: number | null;
  last_seq: number;
  last_hash: string | null;
  last_at: string | null;
  received_at: Date | null;
  purged_through: number;
  local_seq: number | null;
  local_reported_at: Date | null;
  refusal: string | null;
  refused_at: Date | null;
  cut: number | null;
}

const isoOf = (d: Date | null) => (d ? d.toISOString() : null);

// One statement, so the cut is read from the same snapshot as the head it belongs to (a head
// read after a refusal with a cut read before it showed a refused log as not acceptable).
const HEADS_SQL = `SELECT h.*, CASE WHEN h.refusal IS NOT NULL OR h.local_seq < h.last_seq THEN
    (SELECT l.seq FROM kiosk_audit_log l WHERE l.client_id = h.client_id
        AND l.hash = CASE WHEN h.local_seq < h.last_seq THEN h.local_hash ELSE h.refused_link END) END AS cut
  FROM kiosk_audit_heads h ORDER BY h.kiosk_id, h.client_id`;

export async function centralAuditHeads(central: pg.ClientBase): Promise<CentralAuditHead[]> {
  return (await central.query<HeadRow>(HEADS_SQL)).rows.map(headFromRow);
}

function headFromRow(r: HeadRow): CentralAuditHead {
  return {
    clientId: r.client_id,
    kioskId: r.kiosk_id,
    rowsHeld: Number(r.rows_held),
    firstSeq: r.first_seq,
    lastSeq: r.last_seq,
    lastHash: r.last_hash,
    lastAt: r.last_at,
    receivedAt: isoOf(r.received_at),
    purgedThrough: r.purged_through,
    localSeq: r.local_seq,
    localReportedAt: isoOf(r.local_reported_at),
    refusal: r.refusal,
    refusedAt: isoOf(r.refused_at),
    cut: r.cut,
  };
}

/** The counter's log as it reported it ends before what central holds: its newest entries were removed there. */
export const reportedShorter = (h: CentralAuditHead): boolean => h.localSeq !== null && h.localSeq < h.lastSeq;

const removedRange = (from: number, to: number) => (from === to ? `entry ${from} was` : `entries ${from}–${to} were`);

const breakReason = {
  'prev-hash': 'does not link to the entry before it',
  hash: 'content does not match its hash',
  marker: 'the log starts there without a valid purge marker',
} as const;

export interface CentralVerifyReport {
  ok: boolean;
  lines: string[];
}

/**
 * `npm run audit:verify -- --central`: this counter's own chain; every replica's chain as
 * central holds it, walked with the local rules (audit-repo.ts: links, hashes, signed purge
 * markers, checked against the marker keys central holds for that counter, central 0014); and
 * each counter's log against central's head — this counter's directly, the others' by the head
 * they last reported with their stream. A log whose newest entries were removed at the counter
 * ends before central's head: it is named with the missing seqs, unless an admin accepted
 * exactly that gap (central 0015), which is then shown as accepted, with who, when and why.
 */
export async function verifyCentralAudit(deps: {
  db: Db;
  centralUrl: string;
  kioskId: string;
  markerValid: VerifyAuditOptions['markerValid'];
  /** Code keys held here: markers from before marker keys carry an HMAC under one. */
  legacyKeys?: () => Array<{ box: SecretBox }>;
}): Promise<CentralVerifyReport> {
  const lines: string[] = [];
  let problems = 0;
  const problem = (line: string) => {
    problems += 1;
    lines.push(line);
  };
  const local = await auditVerifyReport(deps.db, { markerValid: deps.markerValid });
  lines.push(`${local.line} (this counter, ${deps.kioskId})`);
  const localOk = local.ok;
  const state = await readSyncState(deps.db);
  const head = await localAuditHead(deps.db);

  const central: Knex = centralKnex(deps.centralUrl, 'audit-verify');
  const query: CentralQuery = async <R>(sql: string, params: unknown[] = []) => ((await central.raw(sql.replace(/\$\d+/g, '?'), params as Knex.RawBinding[])) as { rows: R[] }).rows;
  try {
    const heads = (await query<HeadRow>(HEADS_SQL)).map(headFromRow);
    const markerKeys = await query<{ id: string; client_id: string; public_key: string }>('SELECT id, client_id, public_key FROM audit_marker_keys');
    const acceptances = await centralAcceptances(query);
    for (const h of heads) {
      const name = `central: ${h.kioskId} (client ${h.clientId})`;
      const keysOf = markerKeys.filter((k) => k.client_id === h.clientId).map((k) => ({ id: k.id, publicKey: k.public_key }));
      const accepted = acceptances.filter((a) => a.clientId === h.clientId);
      const chain = await verifyAuditChain(central, 5000, {
        markerValid: markerVerifier(() => keysOf, deps.legacyKeys),
        acceptedGaps: accepted,
        rows: () => central<AuditRow>('kiosk_audit_log').where('client_id', h.clientId),
      });
      const from = chain.startsAfter ? ` after the purge through seq ${chain.startsAfter.throughSeq}` : '';
      if (chain.firstBreak) problem(`${name}: chain broken at seq ${chain.firstBreak.seq} (${breakReason[chain.firstBreak.reason]}); ${chain.checked} entries before it are intact`);
      else lines.push(`${name}: ${chain.checked} entries through seq ${h.lastSeq}${from}, chain intact`);
      // Accepted gaps stay in the history: the entries are still held here.
      for (const a of accepted) lines.push(`${name}: ${acceptedLine(a)}`);
      /** The counter's log ends at `seq`, before central's head: an admin accepted exactly this? */
      const covered = (seq: number) => gapAccepted(accepted, h.lastSeq, seq);

      if (h.clientId === state.client_id) {
        if (head.seq < h.lastSeq) {
          if (!covered(head.seq)) problem(`${name}: this counter's log ends at seq ${head.seq} but central holds through seq ${h.lastSeq}: ${removedRange(head.seq + 1, h.lastSeq)} removed at ${h.kioskId}`);
        } else {
          const here = (await deps.db('audit_log').where('seq', h.lastSeq).first('hash')) as { hash: string } | undefined;
          if (here && here.hash !== h.lastHash) problem(`${name}: entry ${h.lastSeq} of this counter's log differs from the one central holds`);
          else if (head.seq > h.lastSeq) lines.push(`${name}: ${head.seq - h.lastSeq} newer entries not streamed yet (through seq ${head.seq})`);
        }
      } else if (reportedShorter(h) && !covered(h.localSeq!)) {
        problem(`${name}: reported at ${h.localReportedAt} that its log ends at seq ${h.localSeq} but central holds through seq ${h.lastSeq}: ${removedRange(h.localSeq! + 1, h.lastSeq)} removed at ${h.kioskId}`);
      }
      if (h.refusal) problem(`${name}: refused at ${h.refusedAt}: ${h.refusal}; the log at ${h.kioskId} no longer continues central's chain after seq ${h.lastSeq} (cut or rewritten there)`);
    }
    if (state.client_id && !heads.some((h) => h.clientId === state.client_id) && head.seq > 0) {
      lines.push(`central: this counter (${deps.kioskId}) has streamed nothing yet (${head.seq} local entries)`);
    }
    if (acceptances.length > 0) {
      const broken = acceptanceChainBreak(acceptances);
      if (broken) problem(`central: the record of accepted gaps is broken at acceptance ${broken.id} (it was changed after it was written)`);
      else lines.push(`central: ${acceptances.length} accepted gap(s), their record intact`);
    }
    lines.push(`central: ${heads.length} counter(s); ${problems === 0 ? 'every chain intact and complete' : `${problems} problem(s)`}`);
    return { ok: localOk && problems === 0, lines };
  } finally {
    await central.destroy();
  }
}
