import { afterEach, describe, expect, it } from 'vitest';
import { setAsideSearchIndexesRecorded } from '../../../src-main/store/account-search-fold';
import { localMigrations, migrateLocal } from '../../../src-main/store/migrations';
import { ALL_MIGRATIONS, appliedMigrations, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

const searchIndexes = async (m: MigrationDb) =>
  ((await m.db.raw(`SELECT name FROM pragma_index_list('account_search') ORDER BY name`)) as Array<{ name: string }>).map((r) => r.name);

describe('migration 0027_search_indexes_set_aside', () => {
  it('keeps every row and starts with nothing set aside', async () => {
    m = await databaseAt('0024_audit_stream');
    await populateThrough(m.db, '0024_audit_stream');
    const before = await snapshotThrough(m.db, '0024_audit_stream');
    const indexes = await searchIndexes(m);

    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0024_audit_stream')).toMatchObject(before);
    expect(await m.db('search_indexes_set_aside').select('*')).toEqual([]);
    expect(await searchIndexes(m)).toEqual(indexes);
  });

  it('goes back down with the indexes an import had set aside built again (an older version would not know to)', async () => {
    m = await databaseAt('0027_search_indexes_set_aside');
    const indexes = await searchIndexes(m);
    expect(await m.db.transaction((tx) => setAsideSearchIndexesRecorded(tx, 'import:test', '2026-12-07T01:00:00.000Z'))).toBe(6);
    expect(await searchIndexes(m)).toEqual(['account_search_account_id_unique']);

    await localMigrations.find(([name]) => name === '0027_search_indexes_set_aside')![1].down(m.db);
    expect(await searchIndexes(m)).toEqual(indexes);
    expect(await m.db.schema.hasTable('search_indexes_set_aside')).toBe(false);
  });
});
