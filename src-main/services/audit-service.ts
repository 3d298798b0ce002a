import { queryAudit, auditForExport, distinctAuditActions, type AuditFilter } from '../store/audit-query-repo';
import { verifyAuditChain, type AuditRow, type VerifyAuditOptions } from '../store/audit-repo';
import type { Queryable } from '../store/database';

const JST_OFFSET_MS = 9 * 3_600_000;

/** A day typed in a date field is a day in Japan: 2026-04-01 starts at 2026-03-31T15:00Z. */
export function jstDayStartIso(day: string, addDays = 0): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - JST_OFFSET_MS + addDays * 86_400_000).toISOString();
}

export function toAuditFilter(input: { action?: string; actor?: string; subject?: string; from?: string; to?: string }): AuditFilter {
  return {
    action: input.action?.trim() || undefined,
    actor: input.actor?.trim() || undefined,
    subject: input.subject?.trim() || undefined,
    fromIso: input.from ? jstDayStartIso(input.from) : undefined,
    // "to" is inclusive on screen: up to the end of that day.
    toIso: input.to ? jstDayStartIso(input.to, 1) : undefined,
  };
}

export const auditView = (row: AuditRow) => ({ seq: row.seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject, detail: row.detail_json });

/** A cell as a spreadsheet reads it: quoted, and never a formula (CSV injection). */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export const EXPORT_ROW_LIMIT = 50_000;

export function createAuditService(db: Queryable, verifyOptions: VerifyAuditOptions = {}) {
  async function list(input: Parameters<typeof toAuditFilter>[0] & { page: number; pageSize: number }) {
    const { total, rows } = await queryAudit(db, toAuditFilter(input), input.page, input.pageSize);
    return { total, page: input.page, pageSize: input.pageSize, items: rows.map(auditView), actions: await distinctAuditActions(db) };
  }

  /** UTF-8 with BOM and CRLF: what Excel in Japan opens without garbling. */
  async function exportCsv(input: Parameters<typeof toAuditFilter>[0], nowIso: string) {
    const rows = await auditForExport(db, toAuditFilter(input), EXPORT_ROW_LIMIT + 1);
    const truncated = rows.length > EXPORT_ROW_LIMIT;
    const kept = rows.slice(0, EXPORT_ROW_LIMIT);
    const header = ['seq', 'at', 'actor', 'action', 'subject', 'detail', 'prev_hash', 'hash'];
    const lines = [header.map(csvCell).join(','), ...kept.map((r) => [r.seq, r.at, r.actor, r.action, r.subject, r.detail_json, r.prev_hash, r.hash].map(csvCell).join(','))];
    const stamp = nowIso.replace(/[-:]/g, '').slice(0, 15);
    return { filename: `audit-${stamp}.csv`, csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: kept.length, truncated };
  }

  return { list, exportCsv, verify: () => verifyAuditChain(db, undefined, verifyOptions) };
}

/** The line `npm run audit:verify` prints, and its exit code. */
export async function auditVerifyReport(db: Queryable, options: VerifyAuditOptions = {}): Promise<{ ok: boolean; line: string }> {
  const result = await verifyAuditChain(db, undefined, options);
  if (!result.firstBreak) return { ok: true, line: `audit: ${result.checked} entries, chain intact` };
  const reason = {
    'prev-hash': 'does not link to the entry before it',
    hash: 'content does not match its hash',
    marker: 'the log starts there without a valid purge marker',
  }[result.firstBreak.reason];
  return { ok: false, line: `audit: chain broken at seq ${result.firstBreak.seq} (${reason}); ${result.checked} entries before it are intact` };
}
