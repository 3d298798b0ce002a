import type pg from 'pg';
import type { z } from 'zod';
import type { auditStreamSchema } from '../../contract/audit-fleet-calls';
import { csvCell } from '../../domain/spreadsheet-cell';
import { EXPORT_ROW_LIMIT, toAuditFilter } from '../audit-service';
import type { AuditRow } from '../../store/audit-repo';
import { centralAuditHeads, reportedShorter, type CentralAuditHead } from './audit-central';
import { centralAcceptances, gapAccepted } from './audit-acceptance';

export interface FleetAuditInput {
  kiosk?: string;
  action?: string;
  actor?: string;
  subject?: string;
  from?: string;
  to?: string;
}

/** A row of `kiosk_audit_log`: a counter's audit row as central holds it. */
export type FleetRow = AuditRow & { client_id: string; kiosk_id: string };

/** The WHERE clause of a fleet query, with the screen's rules (audit-service.ts: prefixes, JST days). */
function where(input: FleetAuditInput): { sql: string; params: unknown[] } {
  const f = toAuditFilter(input);
  const params: unknown[] = [];
  const parts: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replace('?', `$${params.length}`));
  };
  const kiosk = input.kiosk?.trim();
  if (kiosk) add('h.kiosk_id = ?', kiosk);
  // "reset." is every reset step, "staff:" every staff user: a prefix, as on the local screen.
  if (f.action) add(f.action.endsWith('.') ? 'starts_with(l.action, ?)' : 'l.action = ?', f.action);
  if (f.actor) add(f.actor.endsWith(':') ? 'starts_with(l.actor, ?)' : 'l.actor = ?', f.actor);
  if (f.subject) add('l.subject = ?', f.subject);
  if (f.fromIso) add('l.at >= ?', f.fromIso);
  if (f.toIso) add('l.at < ?', f.toIso);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

const FROM = 'FROM kiosk_audit_log l JOIN kiosk_audit_heads h USING (client_id)';

export async function listFleetAudit(central: pg.ClientBase, input: FleetAuditInput & { page: number; pageSize: number }) {
  const w = where(input);
  const count = await central.query<{ n: string }>(`SELECT count(*) AS n ${FROM} ${w.sql}`, w.params);
  const rows = await central.query<FleetRow>(
    `SELECT l.*, h.kiosk_id ${FROM} ${w.sql} ORDER BY l.at DESC, h.kiosk_id, l.seq DESC LIMIT ${input.pageSize} OFFSET ${(input.page - 1) * input.pageSize}`,
    w.params,
  );
  const kiosks = await central.query<{ kiosk_id: string }>(`SELECT DISTINCT kiosk_id FROM kiosk_audit_heads ORDER BY kiosk_id`);
  const actions = await central.query<{ action: string }>(`SELECT DISTINCT action FROM kiosk_audit_log ORDER BY action`);
  return {
    total: Number(count.rows[0]!.n),
    page: input.page,
    pageSize: input.pageSize,
    rows: rows.rows,
    kiosks: kiosks.rows.map((r) => r.kiosk_id),
    actions: actions.rows.map((r) => r.action),
  };
}

/** Oldest first, like the local export, with the counter and its chain columns (a reader can re-check the hashes). */
export async function exportFleetAudit(central: pg.ClientBase, input: FleetAuditInput, nowIso: string) {
  const w = where(input);
  const { rows } = await central.query<FleetRow>(`SELECT l.*, h.kiosk_id ${FROM} ${w.sql} ORDER BY l.at, h.kiosk_id, l.seq LIMIT ${EXPORT_ROW_LIMIT + 1}`, w.params);
  const truncated = rows.length > EXPORT_ROW_LIMIT;
  const kept = rows.slice(0, EXPORT_ROW_LIMIT);
  const header = ['kiosk', 'seq', 'at', 'actor', 'action', 'subject', 'detail', 'prev_hash', 'hash'];
  const lines = [header.map(csvCell).join(','), ...kept.map((r) => [r.kiosk_id, r.seq, r.at, r.actor, r.action, r.subject, r.detail_json, r.prev_hash, r.hash].map(csvCell).join(','))];
  const stamp = nowIso.replace(/[-:]/g, '').slice(0, 15);
  return { filename: `audit-fleet-${stamp}.csv`, csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: kept.length, truncated };
}

type AuditStream = z.infer<typeof auditStreamSchema>;

/**
 * Each counter's stream as central sees it; for this counter its own head is used, not the
 * one it last reported, so the screen is as fresh as the local log. A cut or refused stream is
 * `acceptable` when central holds the entry the counter's log now goes on from (the SQL of
 * audit_accept_gap, central 0015, decides the same way); accepted gaps come with it.
 */
export async function fleetAuditStreams(central: pg.ClientBase, self: { clientId: string; localSeq: number }): Promise<AuditStream[]> {
  const heads = await centralAuditHeads(central);
  // After the heads: acceptances only grow, so one that came in between shows with the refusal
  // it answers (and a second acceptance is refused), never as a cut with nothing accepted.
  const acceptances = await centralAcceptances(async (sql, params) => (await central.query(sql, params)).rows);
  return heads.map((h: CentralAuditHead) => {
    const thisCounter = h.clientId === self.clientId;
    const head = thisCounter ? { ...h, localSeq: self.localSeq } : h;
    const accepted = acceptances.filter((a) => a.clientId === h.clientId);
    const shorter = reportedShorter(head);
    const state: AuditStream['state'] = h.refusal
      ? 'refused'
      : shorter
        ? gapAccepted(accepted, h.lastSeq, head.localSeq!) ? 'accepted' : 'cut'
        : head.localSeq !== null && head.localSeq > h.lastSeq
          ? 'behind'
          : 'complete';
    return {
      kioskId: h.kioskId,
      clientId: h.clientId,
      thisCounter,
      heldThroughSeq: h.lastSeq,
      rowsHeld: h.rowsHeld,
      purgedThroughSeq: h.purgedThrough,
      lastEntryAt: h.lastAt,
      receivedAt: h.receivedAt,
      localSeq: head.localSeq,
      reportedAt: thisCounter ? null : h.localReportedAt,
      state,
      acceptable: (state === 'cut' || state === 'refused') && h.cut !== null && h.cut < h.lastSeq,
      acceptedGaps: accepted.map((a) => ({ fromSeq: a.fromSeq, toSeq: a.toSeq, acceptedBy: a.acceptedBy, acceptedAt: a.acceptedAt, acceptedAtKiosk: a.acceptedAtKiosk, acceptedRole: a.acceptedRole, reason: a.reason })),
    };
  });
}
