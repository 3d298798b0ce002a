import { afterEach, describe, expect, it } from 'vitest';
import { foldedSearchRow, writeFoldedSearchRows, setWriterFolds } from '../../../src-main/store/account-search-fold';
import { refreshStaleSearchRows, searchAccounts } from '../../../src-main/store/account-search-repo';
import { auditHash } from '../../../src-main/store/audit-repo';
import { migrateLocal } from '../../../src-main/store/migrations';
import * as step from '../../../migrations/local/0014_search_fold_in_writer';
import { accounts, auditRows, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

async function migrated(): Promise<MigrationDb> {
  const db = await databaseAt('0013_ops');
  await populateThrough(db.db, '0013_ops', auditRows(auditHash));
  await refreshStaleSearchRows(db.db);
  return db;
}

const newAccount = { ...accounts[0]!, id: '01957a3c-0000-7000-8000-0000000000aa', jsa_id: '22222222222', contact_name: 'すずき はなこ', company: '有限会社みほん', phone: '06-1111-2222' };

describe('migration 0014_search_fold_in_writer on a store holding accounts', () => {
  it('keeps every earlier row and search key, and the triggers still mark ordinary writes stale', async () => {
    m = await migrated();
    const before = await snapshotThrough(m.db, '0013_ops');
    const keysBefore = await m.db('account_search').orderBy('rid').select();
    await migrateLocal(m.db, { to: '0014_search_fold_in_writer' });
    expect(await snapshotThrough(m.db, '0013_ops')).toEqual(before);
    expect(await m.db('account_search').orderBy('rid').select()).toEqual(keysBefore);
    expect(await m.db('sync_state').first('first_sync_set_aside')).toEqual({ first_sync_set_aside: null });

    await m.db('accounts').where({ id: accounts[0]!.id }).update({ contact_name: 'ヤマモト サブロウ' });
    await m.db('accounts').insert(newAccount);
    expect(await m.db('account_search').where({ stale: 1 }).orderBy('account_id').pluck('account_id')).toEqual([accounts[0]!.id, newAccount.id]);
    expect(await refreshStaleSearchRows(m.db)).toBe(2);
    expect((await searchAccounts(m.db, 'やまもと', 'name', 1, 10)).rows.map((r) => r.jsa_id)).toEqual(['12345678901']);
    expect((await searchAccounts(m.db, 'スズキ', 'name', 1, 10)).rows.map((r) => r.jsa_id)).toEqual(['22222222222']);
  });

  it('lets a writer that folds its rows write them fresh, with no stale row left for the first search', async () => {
    m = await migrated();
    await migrateLocal(m.db, { to: '0014_search_fold_in_writer' });
    await m.db.transaction(async (tx) => {
      await setWriterFolds(tx, true);
      await tx('accounts').insert(newAccount);
      await tx('accounts').where({ id: accounts[0]!.id }).update({ company: '株式会社れい' });
      expect(await tx('account_search').where({ stale: 1 }).count({ n: '*' })).toEqual([{ n: 0 }]);
      await writeFoldedSearchRows(tx, JSON.stringify([newAccount, { ...accounts[0]!, company: '株式会社れい' }].map(foldedSearchRow)));
      await setWriterFolds(tx, false);
    });
    expect(await m.db('account_search').where({ stale: 1 }).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect((await searchAccounts(m.db, 'はなこ', 'name', 1, 10)).rows.map((r) => r.jsa_id)).toEqual(['22222222222']);
    expect((await searchAccounts(m.db, 'れい', 'company', 1, 10)).rows.map((r) => r.jsa_id)).toEqual(['12345678901']);
    // The old company's trigram row went with the rewrite.
    expect((await searchAccounts(m.db, 'サンプル商事', 'company', 1, 10)).total).toBe(0);
    expect(await m.db.raw('SELECT count(*) AS n FROM account_search_fts')).toEqual([{ n: accounts.length + 1 }]);
  });

  it('goes down cleanly: the triggers mark every write stale again', async () => {
    m = await migrated();
    await migrateLocal(m.db, { to: '0014_search_fold_in_writer' });
    await step.down(m.db);
    expect(await m.db.schema.hasTable('account_search_guard')).toBe(false);
    expect(await m.db.schema.hasColumn('sync_state', 'first_sync_set_aside')).toBe(false);
    await m.db('accounts').insert(newAccount);
    expect(await m.db('account_search').where({ stale: 1 }).pluck('account_id')).toEqual([newAccount.id]);
  });
});
