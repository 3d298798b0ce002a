import { afterEach, describe, expect, it } from 'vitest';
import * as step from '../../../migrations/local/0022_demo_accounts';
import { migrateLocal } from '../../../src-main/store/migrations';
import { countDemoAccounts, removeDemoAccountsNow } from '../../../src-main/store/demo-accounts-repo';
import { accounts, ALL_MIGRATIONS, appliedMigrations, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

describe('migration 0022_demo_accounts', () => {
  it('marks the three README demo accounts of an older store as demo, keeping every row as it was', async () => {
    m = await databaseAt('0020_search_keys_without_copies');
    await populateThrough(m.db, '0020_search_keys_without_copies');
    const before = await snapshotThrough(m.db, '0020_search_keys_without_copies');
    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    // 0023 adds reset_requests.key_id, NULL on rows from before it; nothing else changes.
    expect(await snapshotThrough(m.db, '0020_search_keys_without_copies')).toEqual({ ...before, reset_requests: before.reset_requests!.map((r) => ({ ...r, key_id: null })) });
    expect(await m.db('demo_accounts').orderBy('account_id').select()).toEqual(
      accounts.map((a) => ({ account_id: a.id, added_at: a.created_at })).sort((x, y) => x.account_id.localeCompare(y.account_id)),
    );
    // Removing them takes their requests and history along (cascade) and leaves the audit chain whole.
    expect(await removeDemoAccountsNow(m.db, { actor: 'staff:admin', reason: 'admin' }, '2026-04-01T00:00:00.000Z')).toBe(3);
    expect(await m.db('accounts').count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await m.db('reset_requests').count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await countDemoAccounts(m.db)).toBe(0);
  });

  it('marks nothing when the accounts are not exactly the demo ones (a real 田中 with another address)', async () => {
    m = await databaseAt('0020_search_keys_without_copies');
    await populateThrough(m.db, '0020_search_keys_without_copies');
    await m.db('accounts').where({ id: accounts[0]!.id }).update({ email_norm: 'ichiro.tanaka@example.co.jp' });
    await migrateLocal(m.db);
    expect(await countDemoAccounts(m.db)).toBe(0);
  });

  it('goes back down: the table is dropped, the accounts stay', async () => {
    m = await databaseAt('0022_demo_accounts');
    await populateThrough(m.db, '0020_search_keys_without_copies');
    await step.down(m.db);
    expect(await m.db.schema.hasTable('demo_accounts')).toBe(false);
    expect(await m.db('accounts').count<{ n: number }[]>({ n: '*' })).toEqual([{ n: accounts.length }]);
  });
});
