import { actorKindLabels, auditActionLabels, auditSubjectLabel, codeLabel, nameWithCode, type ActorKind, type LabelLocale } from '../contract/code-labels';
import { csvCell } from '../domain/spreadsheet-cell';
import { forStaff, forStaffByShape } from '../domain/staff-masking';
import { nfkc } from '../domain/text-normalize';
import { queryAudit, auditForExport, distinctAuditActions, type AuditFilter } from '../store/audit-query-repo';
import { verifyAuditChain, type AuditRow, type VerifyAuditOptions } from '../store/audit-repo';
import type { Queryable } from '../store/database';
import { listStaff, type StaffRow } from '../store/staff-repo';

const JST_OFFSET_MS = 9 * 3_600_000;

/** A day typed in a date field is a day in Japan: 2026-04-01 starts at 2026-03-31T15:00Z. */
export function jstDayStartIso(day: string, addDays = 0): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - JST_OFFSET_MS + addDays * 86_400_000).toISOString();
}

interface AuditFilterInput {
  action?: string;
  actor?: string;
  actorName?: string;
  subject?: string;
  from?: string;
  to?: string;
}

/** Names compare as the lookup does: width, case and spaces ignored. */
const foldName = (text: string) => nfkc(text).toLowerCase().replace(/\s+/g, '');

export function toAuditFilter(input: AuditFilterInput, staff: readonly StaffRow[] = []): AuditFilter {
  const name = input.actorName ? foldName(input.actorName) : '';
  return {
    action: input.action?.trim() || undefined,
    actor: input.actor?.trim() || undefined,
    // A name matches staff users by 氏名 or ユーザー名 as they are now, so a renamed user is found by the new name.
    actorIn: name ? staff.filter((u) => foldName(u.display_name).includes(name) || u.username.includes(name)).map((u) => `staff:${u.id}`) : undefined,
    subject: input.subject?.trim() || undefined,
    fromIso: input.from ? jstDayStartIso(input.from) : undefined,
    // "to" is inclusive on screen: up to the end of that day.
    toIso: input.to ? jstDayStartIso(input.to, 1) : undefined,
  };
}

export interface AuditActorView {
  code: string;
  kind: ActorKind;
  displayName: string | null;
  username: string | null;
  disabled: boolean;
}

const staffActor = (u: StaffRow): AuditActorView => ({ code: `staff:${u.id}`, kind: 'staff', displayName: u.display_name, username: u.username, disabled: u.disabled_at !== null });

/** An actor code in words; a staff id no longer in the table (another counter's, or purged) keeps its code. */
export function resolveActor(code: string, staffById: ReadonlyMap<string, StaffRow>): AuditActorView {
  const [kind, id] = code.split(':', 2) as [string, string | undefined];
  if (kind === 'staff') {
    const user = id ? staffById.get(id) : undefined;
    return user ? staffActor(user) : { code, kind: 'staff', displayName: null, username: null, disabled: false };
  }
  const known: ActorKind = kind === 'customer' || kind === 'kiosk' || kind === 'cli' ? kind : 'system';
  return { code, kind: known, displayName: null, username: null, disabled: false };
}

/** 氏名（ユーザー名）, or the kind of actor: what the screen and the CSV both say. */
export function actorText(actor: AuditActorView, locale: LabelLocale): string {
  if (actor.kind === 'staff' && actor.displayName !== null) return nameWithCode(actor.displayName, actor.username ?? '', locale);
  if (actor.kind === 'staff') return nameWithCode(actorKindLabels.staff[locale], actor.code.slice('staff:'.length), locale);
  return actorKindLabels[actor.kind][locale];
}

/** A staff subject by name, a setting in words; other subjects (a JSA-ID) have no separate name in the CSV. */
const subjectText = (action: string, subject: string | null, staff: ReadonlyMap<string, StaffRow>, locale: LabelLocale): string => {
  if (subject === null) return '';
  if (subject.startsWith('staff:')) return actorText(resolveActor(subject, staff), locale);
  return action === 'settings.changed' ? auditSubjectLabel(action, subject, locale) : '';
};

/** Detail keys that hold a customer's address or JSA-ID, wherever they sit in the detail. */
const maskedDetailKeys: Record<string, 'email' | 'jsaId'> = { email: 'email', newEmail: 'email', jsaId: 'jsaId' };

/**
 * The detail JSON as labelled fields: nested keys joined with ".", an array's entries as
 * `items` (the screen joins them with its language's separator: 「、」 or ", ").
 */
export function detailFields(detailJson: string): Array<{ key: string; value: string; items?: string[] }> {
  let detail: unknown;
  try {
    detail = JSON.parse(detailJson);
  } catch {
    return [{ key: 'detail', value: detailJson }];
  }
  const out: Array<{ key: string; value: string; items?: string[] }> = [];
  const walk = (value: unknown, path: string[]) => {
    if (value === null || value === undefined || value === '') return;
    if (Array.isArray(value)) {
      const items = value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
      if (items.length > 0) out.push({ key: path.join('.'), value: items.join(', '), items });
      return;
    }
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      return;
    }
    const last = path[path.length - 1] ?? '';
    const kind = maskedDetailKeys[last];
    out.push({ key: path.join('.'), value: kind ? forStaff(kind, String(value)) : String(value) });
  };
  walk(detail, []);
  return out;
}

async function staffMap(db: Queryable): Promise<Map<string, StaffRow>> {
  return new Map((await listStaff(db)).map((u) => [u.id, u]));
}

/** Audit rows as staff read them (the audit screen and an account's history alike). */
export async function describeAuditRows(db: Queryable, rows: readonly AuditRow[], staff?: ReadonlyMap<string, StaffRow>) {
  const byId = staff ?? (await staffMap(db));
  return rows.map((row) => ({
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    actorView: resolveActor(row.actor, byId),
    action: row.action,
    subject: row.subject === null ? null : forStaffByShape(row.subject),
    subjectView: row.subject?.startsWith('staff:') ? resolveActor(row.subject, byId) : null,
    fields: detailFields(row.detail_json),
  }));
}

export const EXPORT_ROW_LIMIT = 50_000;

export function createAuditService(db: Queryable, verifyOptions: VerifyAuditOptions = {}) {
  async function list(input: AuditFilterInput & { page: number; pageSize: number }) {
    const staff = await staffMap(db);
    const { total, rows } = await queryAudit(db, toAuditFilter(input, [...staff.values()]), input.page, input.pageSize);
    return {
      total,
      page: input.page,
      pageSize: input.pageSize,
      items: await describeAuditRows(db, rows, staff),
      actions: await distinctAuditActions(db),
      actors: [...staff.values()].sort((a, b) => a.display_name.localeCompare(b.display_name, 'ja')).map(staffActor),
    };
  }

  /** UTF-8 with BOM and CRLF: what Excel in Japan opens without garbling. */
  // The stored columns stay as stored (the hashes cover them); the name and label columns beside them are read-time words.
  async function exportCsv(input: AuditFilterInput & { locale?: LabelLocale }, nowIso: string) {
    const locale = input.locale ?? 'ja';
    const staff = await staffMap(db);
    const rows = await auditForExport(db, toAuditFilter(input, [...staff.values()]), EXPORT_ROW_LIMIT + 1);
    const truncated = rows.length > EXPORT_ROW_LIMIT;
    const kept = rows.slice(0, EXPORT_ROW_LIMIT);
    const header = ['seq', 'at', 'actor', 'actor_name', 'action', 'action_label', 'subject', 'subject_name', 'detail', 'prev_hash', 'hash'];
    const lines = [
      header.map(csvCell).join(','),
      ...kept.map((r) =>
        [r.seq, r.at, r.actor, actorText(resolveActor(r.actor, staff), locale), r.action, codeLabel(auditActionLabels, r.action, locale), r.subject, subjectText(r.action, r.subject, staff, locale), r.detail_json, r.prev_hash, r.hash]
          .map(csvCell)
          .join(','),
      ),
    ];
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
