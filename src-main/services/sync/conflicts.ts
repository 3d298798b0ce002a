import type pg from 'pg';
import { forStaff, forStaffInText } from '../../domain/staff-masking';

/** Fields staff never see, even in a conflict (DESIGN §2: staff never see a code or a password). */
const secretFields = new Set(['password_hash', 'code_hmac', 'token_hmac', 'grant_hmac']);
export const HIDDEN = '[hidden]';

export function redact(row: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!row) return null;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, secretFields.has(k) && v !== null ? HIDDEN : v]));
}

/** A key of the kiosk forms' data_json (inquiry-review-service.ts aliases) by what it holds. */
const formValue = (key: string, value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  if (/mail/i.test(key)) return forStaff('email', value);
  if (/jsa/i.test(key)) return forStaff('jsaId', value);
  return value;
};

/**
 * A row as every staff role sees it on 同期's conflict list: the one staff masking rule
 * (domain/staff-masking.ts), as on account detail — JSA-IDs and addresses masked, secrets
 * hidden. Resolving needs which fields differ and which side to keep, not the keys of a
 * reset; a supervisor who must see an address in full reveals it on the account (audited).
 */
export function forStaffRow(row: Record<string, unknown> | null): Record<string, unknown> | null {
  const redacted = redact(row);
  if (!redacted) return null;
  return Object.fromEntries(
    Object.entries(redacted).map(([k, v]) => {
      if (typeof v !== 'string' || v === HIDDEN) return [k, v];
      if (k === 'jsa_id') return [k, forStaff('jsaId', v)];
      if (k.endsWith('email') || k.endsWith('email_norm')) return [k, forStaff('email', v)];
      if (k === 'bucket') return [k, forStaffInText(v)];
      if (k === 'data_json') {
        try {
          const data: unknown = JSON.parse(v);
          if (data && typeof data === 'object' && !Array.isArray(data)) {
            return [k, JSON.stringify(Object.fromEntries(Object.entries(data as Record<string, unknown>).map(([dk, dv]) => [dk, formValue(dk, dv)])))];
          }
        } catch {
          // Unreadable: masked as free text below.
        }
        return [k, forStaffInText(v)];
      }
      return [k, v];
    }),
  );
}

export interface ConflictView {
  id: string;
  table: string;
  rowKey: string;
  kioskId: string | null;
  kind: 'edit' | 'duplicate' | 'insert-exists' | 'missing' | 'code-reuse' | 'status' | 'delete' | 'error' | 'expired';
  fields: string[] | null;
  central: Record<string, unknown> | null;
  kiosk: Record<string, unknown> | null;
  base: Record<string, unknown> | null;
  detail: string | null;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: 'central' | 'kiosk' | null;
}

interface ConflictRow {
  id: string;
  table_name: string;
  row_key: string;
  kiosk_id: string | null;
  kind: ConflictView['kind'];
  fields: string[] | null;
  central_row: Record<string, unknown> | null;
  kiosk_row: Record<string, unknown> | null;
  base_row: Record<string, unknown> | null;
  detail: string | null;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: ConflictView['resolution'];
}

export async function listConflicts(central: pg.ClientBase, options: { open: boolean; limit: number }): Promise<ConflictView[]> {
  const { rows } = await central.query<ConflictRow>(
    `SELECT id::text AS id, table_name, row_key, kiosk_id, kind, fields, central_row, kiosk_row, base_row, detail, created_at, resolved_at, resolved_by, resolution
       FROM sync_conflicts WHERE NOT $1::boolean OR resolved_at IS NULL ORDER BY id DESC LIMIT $2`,
    [options.open, options.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    table: r.table_name,
    rowKey: r.row_key,
    kioskId: r.kiosk_id,
    kind: r.kind,
    fields: r.fields,
    central: forStaffRow(r.central_row),
    kiosk: forStaffRow(r.kiosk_row),
    base: forStaffRow(r.base_row),
    // Central's own words: a database message may quote the value it refused.
    detail: r.detail === null ? null : forStaffInText(r.detail),
    createdAt: r.created_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolvedBy: r.resolved_by,
    resolution: r.resolution,
  }));
}

export type ResolveResult = 'resolved' | 'already-resolved' | 'not-found' | 'not-applicable';

export interface Resolved {
  result: ResolveResult;
  /** For the audit entry: the account's JSA-ID (else the row's key) and the fields in question. */
  subject: string | null;
  fields: string[] | null;
}

export async function resolveConflict(central: pg.ClientBase, id: string, keep: 'central' | 'kiosk', by: string): Promise<Resolved> {
  const { rows } = await central.query<{ r: ResolveResult; subject: string | null; fields: string[] | null }>(
    `SELECT sync_resolve_conflict($1::bigint, $2, $3) AS r,
            (SELECT coalesce(c.kiosk_row ->> 'jsa_id', c.central_row ->> 'jsa_id', c.row_key) FROM sync_conflicts c WHERE c.id = $1::bigint) AS subject,
            (SELECT c.fields FROM sync_conflicts c WHERE c.id = $1::bigint) AS fields`,
    [id, keep, by],
  );
  return { result: rows[0]!.r, subject: rows[0]!.subject, fields: rows[0]!.fields };
}
