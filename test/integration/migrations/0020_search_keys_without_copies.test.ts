import { afterEach, describe, expect, it } from 'vitest';
import * as step from '../../../migrations/local/0020_search_keys_without_copies';
import { refreshStaleSearchRows, searchAccounts } from '../../../src-main/store/account-search-repo';
import { migrateLocal } from '../../../src-main/store/migrations';
import { accounts, ALL_MIGRATIONS, appliedMigrations, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

const columnsOf = async (m: MigrationDb) => ((await m.db.raw(`SELECT name FROM pragma_table_info('account_search') ORDER BY cid`)) as Array<{ name: string }>).map((r) => r.name);
const found = async (m: MigrationDb, query: string, field: 'jsaId' | 'email' | 'name') => (await searchAccounts(m.db, query, field, 1, 10)).rows.map((r) => r.jsa_id);

describe('migration 0020_search_keys_without_copies on a store holding folded accounts', () => {
  it('drops the copied JSA-ID and address keys, keeps every other key, and the lookups still find the accounts', async () => {
    m = await databaseAt('0019_first_sync_index_stage');
    await populateThrough(m.db, '0019_first_sync_index_stage');
    await refreshStaleSearchRows(m.db);
    const before = await snapshotThrough(m.db, '0019_first_sync_index_stage');
    const keysBefore = (await m.db('account_search').orderBy('rid').select()) as Array<Record<string, unknown>>;
    // A first sync of the older code that had set the search indexes aside.
    const setAside = (await m.db.raw(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'account_search' AND name LIKE '%_index' ORDER BY name`)) as Array<{ sql: string }>;
    await m.db('sync_state').update({ first_sync: 'paging', first_sync_set_aside: JSON.stringify(setAside.map((r) => r.sql)) });

    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    // 0023 adds reset_requests.key_id, NULL on rows from before it.
    expect(await snapshotThrough(m.db, '0019_first_sync_index_stage')).toEqual({ ...before, reset_requests: before.reset_requests!.map((r) => ({ ...r, key_id: null })) });
    expect(await columnsOf(m)).toEqual(['rid', 'account_id', 'stale', 'name_f', 'name_last_f', 'company_f', 'phone_d', 'phone_r']);
    expect(await m.db('account_search').orderBy('rid').select()).toEqual(keysBefore.map(({ jsa_id: _j, email_f: _e, ...rest }) => rest));
    const kept = JSON.parse(((await m.db('sync_state').first('first_sync_set_aside')) as { first_sync_set_aside: string }).first_sync_set_aside) as string[];
    expect(kept).toHaveLength(setAside.length - 2);
    expect(kept.join('\n')).not.toMatch(/jsa_id|email_f/);

    const account = accounts[0]!;
    expect(await found(m, `${account.jsa_id.slice(0, 6)}`, 'jsaId')).toContain(account.jsa_id);
    expect(await found(m, account.email.toUpperCase(), 'email')).toEqual([account.jsa_id]);
    expect(await found(m, account.contact_name, 'name')).toContain(account.jsa_id);
  });

  it('goes back down: the columns and indexes return and every row is folded again', async () => {
    m = await databaseAt('0020_search_keys_without_copies');
    await populateThrough(m.db, '0019_first_sync_index_stage');
    await refreshStaleSearchRows(m.db);
    await step.down(m.db);
    expect(await columnsOf(m)).toEqual(['rid', 'account_id', 'stale', 'name_f', 'name_last_f', 'company_f', 'phone_d', 'phone_r', 'jsa_id', 'email_f']);
    expect(await m.db('account_search').where({ stale: 0 }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
