import { describe, expect, test } from 'vitest';
import { refusalReason } from '../../../src-main/services/sync/refusal-reason';

// As knex gives them: the statement, then SQLite's code and sentence.
const knexError = (sqlite: string) => `insert into "accounts" select … from json_each(?) - ${sqlite}`;

describe('a pulled row the local store refused, as a reason staff read', () => {
  test.each([
    ['SQLITE_CONSTRAINT: UNIQUE constraint failed: accounts.jsa_id', 'jsa-id-taken'],
    ['SQLITE_CONSTRAINT: UNIQUE constraint failed: staff_users.username', 'duplicate'],
    ['SQLITE_CONSTRAINT: UNIQUE constraint failed: index \'limit_events_sync_key_unique\'', 'duplicate'],
    ['SQLITE_CONSTRAINT: FOREIGN KEY constraint failed', 'missing-reference'],
    ['SQLITE_CONSTRAINT: NOT NULL constraint failed: accounts.email', 'missing-value'],
    ['SQLITE_CONSTRAINT: CHECK constraint failed: version > 0', 'invalid-value'],
    ['SQLITE_FULL: database or disk is full', 'store-unwritable'],
    ['SQLITE_READONLY: attempt to write a readonly database', 'store-unwritable'],
    ['SQLITE_ERROR: no such column: nickname', 'other'],
  ])('%s → %s', (sqlite, code) => {
    expect(refusalReason(knexError(sqlite))).toBe(code);
  });
});
