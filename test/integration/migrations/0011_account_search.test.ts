import { afterEach, describe, expect, it } from 'vitest';
import { auditHash } from '../../../src-main/store/audit-repo';
import { refreshStaleSearchRows, searchAccounts } from '../../../src-main/store/account-search-repo';
import { migrateLocal } from '../../../src-main/store/migrations';
import * as step from '../../../migrations/local/0011_account_search';
import { accounts, auditRows, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

async function migrated(): Promise<MigrationDb> {
  const db = await databaseAt('0010_sync');
  await populateThrough(db.db, '0010_sync', auditRows(auditHash));
  return db;
}

describe('migration 0011_account_search on a store holding accounts', () => {
  it('keeps every earlier row, and marks every existing account for folding', async () => {
    m = await migrated();
    const before = await snapshotThrough(m.db, '0010_sync');
    await migrateLocal(m.db, { to: '0011_account_search' });
    expect(await snapshotThrough(m.db, '0010_sync')).toEqual(before);
    expect(await m.db('account_search').where({ stale: 1 }).count({ n: '*' })).toEqual([{ n: accounts.length }]);
  });

  it('finds accounts written before the step once folded, and follows later writes through the triggers', async () => {
    m = await migrated();
    await migrateLocal(m.db, { to: '0011_account_search' });
    expect(await refreshStaleSearchRows(m.db)).toBe(accounts.length);
    expect((await searchAccounts(m.db, 'ﾀﾅｶ', 'any', 1, 10)).total).toBe(0);
    expect((await searchAccounts(m.db, '田中　一郎', 'any', 1, 10)).rows.map((r) => r.jsa_id)).toEqual(['12345678901']);
    await m.db('accounts').where({ id: accounts[0]!.id }).update({ contact_name: 'ヤマモト サブロウ' });
    expect(await refreshStaleSearchRows(m.db)).toBe(1);
    expect((await searchAccounts(m.db, 'やまもと', 'any', 1, 10)).rows.map((r) => r.jsa_id)).toEqual(['12345678901']);
    // Deleting the account drops its keys and its trigram row.
    await m.db('accounts').where({ id: accounts[0]!.id }).delete();
    expect(await m.db('account_search').where({ account_id: accounts[0]!.id }).first()).toBeUndefined();
    expect((await m.db.raw("SELECT COUNT(*) AS n FROM account_search_fts WHERE account_search_fts MATCH '\"ヤマモト\"'")) as unknown).toEqual([{ n: 0 }]);
  });

  it('goes down cleanly: tables and triggers gone, accounts still writable', async () => {
    m = await migrated();
    await migrateLocal(m.db, { to: '0011_account_search' });
    await step.down(m.db);
    expect(await m.db.schema.hasTable('account_search')).toBe(false);
    await m.db('accounts').where({ id: accounts[0]!.id }).update({ contact_name: '田中 次郎' });
    expect(await m.db('accounts').where({ id: accounts[0]!.id }).first()).toMatchObject({ contact_name: '田中 次郎' });
  });
});
