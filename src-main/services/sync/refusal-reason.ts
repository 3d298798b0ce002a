import type { SyncRefusal } from '../../contract/code-labels';

/**
 * SQLite's refusal of a pulled row as a code staff read in words (監査ログ, syncRefusalLabels):
 * its English sentence ("UNIQUE constraint failed: accounts.jsa_id") is for main.log only.
 * The cases are what the local schema can say to an upsert of central's rows: its unique
 * columns and indexes, foreign keys, NOT NULL and CHECK, and a disk that will not take writes.
 */
export function refusalReason(error: string): SyncRefusal {
  if (/UNIQUE constraint failed: accounts\.jsa_id\b/.test(error)) return 'jsa-id-taken';
  if (/UNIQUE constraint failed|SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)/.test(error)) return 'duplicate';
  if (/FOREIGN KEY constraint failed|SQLITE_CONSTRAINT_FOREIGNKEY/.test(error)) return 'missing-reference';
  if (/NOT NULL constraint failed|SQLITE_CONSTRAINT_NOTNULL/.test(error)) return 'missing-value';
  if (/CHECK constraint failed|SQLITE_CONSTRAINT_CHECK|SQLITE_MISMATCH|SQLITE_TOOBIG/.test(error)) return 'invalid-value';
  if (/SQLITE_(FULL|READONLY|IOERR|CANTOPEN)/.test(error)) return 'store-unwritable';
  return 'other';
}
