import { afterEach, describe, expect, it } from 'vitest';
import { localMigrations, migrateLocal } from '../../../src-main/store/migrations';
import { readSyncState } from '../../../src-main/store/sync-state-repo';
import { ALL_MIGRATIONS, appliedMigrations, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

describe('migration 0028_sync_error_code on an offline counter', () => {
  it('keeps every row and the last error, its code not yet known', async () => {
    m = await databaseAt('0027_search_indexes_set_aside');
    await populateThrough(m.db, '0027_search_indexes_set_aside');
    await m.db('sync_state').update({ offline_since: '2026-12-07T09:00:00.000Z', last_error: 'connect ECONNREFUSED 127.0.0.1:5432' });
    const before = await snapshotThrough(m.db, '0027_search_indexes_set_aside');

    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0027_search_indexes_set_aside')).toMatchObject(before);
    expect(await readSyncState(m.db)).toMatchObject({ last_error: 'connect ECONNREFUSED 127.0.0.1:5432', last_error_code: null });
  });

  it('goes back down without the code column', async () => {
    m = await databaseAt('0028_sync_error_code');
    await m.db('sync_state').update({ last_error: 'x', last_error_code: 'ECONNREFUSED' });
    await localMigrations.find(([name]) => name === '0028_sync_error_code')![1].down(m.db);
    const columns = ((await m.db.raw(`SELECT name FROM pragma_table_info('sync_state')`)) as Array<{ name: string }>).map((c) => c.name);
    expect(columns).not.toContain('last_error_code');
    expect(columns).toContain('last_error');
  });
});
