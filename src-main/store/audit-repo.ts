import { createHash } from 'node:crypto';
import type { Queryable } from './database';

export interface AuditEntry {
  actor: string;
  action: string;
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
  reason: 'prev-hash' | 'hash';
}

/** Walks the chain in pages; returns the first entry whose link or content does not hold. */
export async function verifyAuditChain(db: Queryable, pageSize = 5000): Promise<{ checked: number; firstBreak?: AuditBreak }> {
  let prevHash = GENESIS_HASH;
  let afterSeq = 0;
  let checked = 0;
  for (;;) {
    const rows = (await db('audit_log').where('seq', '>', afterSeq).orderBy('seq').limit(pageSize)) as AuditRow[];
    if (rows.length === 0) return { checked };
    for (const row of rows) {
      if (row.prev_hash !== prevHash) return { checked, firstBreak: { seq: row.seq, reason: 'prev-hash' } };
      if (auditHash(prevHash, row) !== row.hash) return { checked, firstBreak: { seq: row.seq, reason: 'hash' } };
      prevHash = row.hash;
      afterSeq = row.seq;
      checked += 1;
    }
  }
}
