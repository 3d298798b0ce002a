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

export interface BatchPlan {
  /** Rows to write as [id, ...valueColumns], new and changed accounts. */
  write: string[][];
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Which of a batch's accounts are new, changed or the same as stored, in one read: the
 * write then touches only what differs, so importing the same file again changes nothing
 * (no version bump, no sync mutation, no search refold).
 */
export async function planImportBatch(db: Queryable, rows: readonly ImportedAccount[]): Promise<BatchPlan> {
  const stored = (await db.raw(
    `SELECT a.id, ${valueColumns.map((c) => `a.${c}`).join(', ')} FROM json_each(?) j JOIN accounts a ON a.jsa_id = j.value`,
    [JSON.stringify(rows.map((r) => r.jsa_id))],
  )) as Array<ImportedAccount & { id: string }>;
  const byJsaId = new Map(stored.map((s) => [s.jsa_id, s]));
  const plan: BatchPlan = { write: [], inserted: 0, updated: 0, unchanged: 0 };
  // New ids' random bits in one call for the batch: a call per id was a tenth of the import's time.
  const random = randomFillSync(new Uint8Array(16 * rows.length));
  let at = 0;
  for (const row of rows) {
    const held = byJsaId.get(row.jsa_id);
    if (held && valueColumns.every((c) => held[c] === row[c])) {
      plan.unchanged += 1;
      continue;
    }
    if (held) plan.updated += 1;
    else plan.inserted += 1;
    const id = held?.id ?? uuidv7({ random: random.subarray(16 * at, 16 * ++at) });
    plan.write.push([id, ...valueColumns.map((c) => row[c])]);
  }
  return plan;
}

const upsertSql = `INSERT INTO accounts (id, ${valueColumns.join(', ')}, password_hash, version, created_at, updated_at)
  SELECT value ->> 0, ${valueColumns.map((_, i) => `value ->> ${i + 1}`).join(', ')}, NULL, 1, ?, ? FROM json_each(?) WHERE true
  ON CONFLICT(jsa_id) DO UPDATE SET ${valueColumns
    .filter((c) => c !== 'jsa_id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')}, version = accounts.version + 1, updated_at = excluded.updated_at`;

/**
 * Imports a batch inside the caller's transaction: plans it, then one upsert statement for
 * every new or changed row and their search keys folded in the same transaction (the 0011
 * triggers stand aside, as for the first sync and the seed), so the first staff search after
 * an import has nothing left to fold. The first statement writes, so the deferred
 * transaction holds the write lock before it reads (another process writing meanwhile makes
 * it wait, never fail with a stale read).
 */
export async function importBatch(db: Queryable, rows: readonly ImportedAccount[], nowIso: string): Promise<BatchPlan> {
  await setWriterFolds(db, true);
  const plan = await planImportBatch(db, rows);
  if (plan.write.length > 0) await writeBatch(db, plan, nowIso);
  await setWriterFolds(db, false);
  return plan;
}

async function writeBatch(db: Queryable, plan: BatchPlan, nowIso: string): Promise<void> {
  const json = JSON.stringify(plan.write);
  await db.raw(upsertSql, [nowIso, nowIso, json]);
  const folded = plan.write.map((w) =>
    foldedSearchRow({ id: w[0]!, contact_name: w[4]!, company: w[5]!, department: w[6]!, phone: w[8]! }),
  );
  await writeFoldedSearchRows(db, JSON.stringify(folded), { fresh: plan.updated === 0 });
}
