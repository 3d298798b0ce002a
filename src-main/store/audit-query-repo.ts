import type { AuditRow } from './audit-repo';
import type { Queryable } from './database';

export interface AuditFilter {
  /** Exact action, or a prefix ending in "." ("reset." for every reset step). */
  action?: string;
  /** Exact actor (staff:<id>, kiosk, system, customer:<id>) or a prefix ending in ":". */
  actor?: string;
  /** Any of these exact actors (a name filter resolved to staff ids); empty matches nothing. */
  actorIn?: string[];
  subject?: string;
  /** ISO instants, inclusive from, exclusive to. */
  fromIso?: string;
  toIso?: string;
}

function applyFilter(db: Queryable, filter: AuditFilter) {
  const q = db<AuditRow>('audit_log');
  const prefixOrExact = (column: string, value: string, separator: string) => {
    if (value.endsWith(separator)) q.where(column, '>=', value).andWhere(column, '<', `${value}\u{10FFFF}`);
    else q.where(column, value);
  };
  if (filter.action) prefixOrExact('action', filter.action, '.');
  if (filter.actor) prefixOrExact('actor', filter.actor, ':');
  if (filter.actorIn) q.whereIn('actor', filter.actorIn);
  if (filter.subject) q.where('subject', filter.subject);
  if (filter.fromIso) q.where('at', '>=', filter.fromIso);
  if (filter.toIso) q.where('at', '<', filter.toIso);
  return q;
}

export async function queryAudit(db: Queryable, filter: AuditFilter, page: number, pageSize: number): Promise<{ total: number; rows: AuditRow[] }> {
  const count = (await applyFilter(db, filter).count<{ n: number }[]>({ n: '*' }).first()) as { n: number } | undefined;
  const rows = (await applyFilter(db, filter)
    .orderBy('seq', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)) as AuditRow[];
  return { total: Number(count?.n ?? 0), rows };
}

/** Oldest first, for export; bounded so one click cannot build an unbounded string. */
export function auditForExport(db: Queryable, filter: AuditFilter, limit: number): Promise<AuditRow[]> {
  return applyFilter(db, filter).orderBy('seq', 'asc').limit(limit) as Promise<AuditRow[]>;
}

export function auditForSubject(db: Queryable, subject: string, limit: number): Promise<AuditRow[]> {
  return db<AuditRow>('audit_log').where({ subject }).orderBy('seq', 'desc').limit(limit);
}

export async function distinctAuditActions(db: Queryable): Promise<string[]> {
  const rows = (await db('audit_log').distinct('action').orderBy('action')) as Array<{ action: string }>;
  return rows.map((r) => r.action);
}
