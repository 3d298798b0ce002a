import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { foldedSearchRow, setWriterFolds, writeFoldedSearchRows } from './account-search-fold';
import type { Queryable } from './database';

/** An imported account's values, normalised (contract/fields.ts), in the import's column order. */
export interface ImportedAccount {
  jsa_id: string;
  email: string;
  email_norm: string;
  contact_name: string;
  company: string;
  department: string;
  address: string;
  phone: string;
}

const valueColumns = ['jsa_id', 'email', 'email_norm', 'contact_name', 'company', 'department', 'address', 'phone'] as const;

export interface BatchCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Which of a batch's accounts are new, changed or the same as stored, in one read (a dry
 * run's counts; the write finds the same in its own statement).
 */
export async function planImportBatch(db: Queryable, rows: readonly ImportedAccount[]): Promise<BatchCounts> {
  const stored = (await db.raw(
    `SELECT ${valueColumns.map((c) => `a.${c}`).join(', ')} FROM json_each(?) j JOIN accounts a ON a.jsa_id = j.value`,
    [JSON.stringify(rows.map((r) => r.jsa_id))],
  )) as ImportedAccount[];
  const byJsaId = new Map(stored.map((s) => [s.jsa_id, s]));
  const counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
  for (const row of rows) {
    const held = byJsaId.get(row.jsa_id);
    if (!held) counts.inserted += 1;
    else if (valueColumns.every((c) => held[c] === row[c])) counts.unchanged += 1;
    else counts.updated += 1;
  }
  return counts;
}

/**
 * New and changed rows in one statement: a stored row whose values are the same is left alone
 * (no version bump, no sync mutation), and RETURNING names what was written — version 1 a new
 * account, above 1 an updated one — so no read of the stored rows comes first.
 */
const upsertSql = `INSERT INTO accounts (id, ${valueColumns.join(', ')}, password_hash, version, created_at, updated_at)
  SELECT value ->> 0, ${valueColumns.map((_, i) => `value ->> ${i + 1}`).join(', ')}, NULL, 1, ?, ? FROM json_each(?) WHERE true
  ON CONFLICT(jsa_id) DO UPDATE SET ${valueColumns
    .filter((c) => c !== 'jsa_id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')}, version = accounts.version + 1, updated_at = excluded.updated_at
  WHERE (${valueColumns.map((c) => `accounts.${c}`).join(', ')}) IS NOT (${valueColumns.map((c) => `excluded.${c}`).join(', ')})
  RETURNING id, jsa_id, version`;

/** A batch made ready outside the transaction: a new id for every row, the search keys folded. */
export interface PreparedBatch {
  rows: string[][];
  /** By JSA-ID: the folded search row, its account id still to fill in. */
  folded: Map<string, string[]>;
}

/** `count` new account ids (UUIDv7), their random bits drawn in one call: a call per id was a tenth of an import's time. */
export function newAccountIds(count: number): string[] {
  const random = randomFillSync(new Uint8Array(16 * count));
  return Array.from({ length: count }, (_, at) => uuidv7({ random: random.subarray(16 * at, 16 * (at + 1)) }));
}

export function prepareImportBatch(rows: readonly ImportedAccount[]): PreparedBatch {
  const ids = newAccountIds(rows.length);
  const folded = new Map<string, string[]>();
  const write = rows.map((row, at) => {
    folded.set(row.jsa_id, foldedSearchRow({ id: '', contact_name: row.contact_name, company: row.company, department: row.department, phone: row.phone }));
    return [ids[at]!, ...valueColumns.map((c) => row[c])];
  });
  return { rows: write, folded };
}

/**
 * Writes a prepared batch inside the caller's transaction: one upsert for every row (the
 * unchanged ones it leaves alone), then the search keys of what it wrote in the same
 * transaction (the 0011 triggers stand aside, as for the first sync and the seed), so the
 * first staff search after an import has nothing left to fold. Nothing but SQLite's own work
 * happens while the transaction holds the write lock.
 */
export async function importBatch(db: Queryable, batch: PreparedBatch, nowIso: string): Promise<BatchCounts> {
  await setWriterFolds(db, true);
  const written = (await db.raw(upsertSql, [nowIso, nowIso, JSON.stringify(batch.rows)])) as Array<{ id: string; jsa_id: string; version: number }>;
  let updated = 0;
  const folded = written.map((w) => {
    if (w.version > 1) updated += 1;
    const keys = batch.folded.get(w.jsa_id)!;
    keys[0] = w.id;
    return keys;
  });
  if (folded.length > 0) await writeFoldedSearchRows(db, JSON.stringify(folded), { fresh: updated === 0 });
  await setWriterFolds(db, false);
  return { inserted: written.length - updated, updated, unchanged: batch.rows.length - written.length };
}
