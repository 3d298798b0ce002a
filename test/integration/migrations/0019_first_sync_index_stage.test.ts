import { afterEach, describe, expect, it } from 'vitest';
import { firstSyncProgress } from '../../../src-main/services/sync/first-sync';
import { localMigrations, migrateLocal } from '../../../src-main/store/migrations';
import { readSyncState } from '../../../src-main/store/sync-state-repo';
import { ALL_MIGRATIONS, appliedMigrations, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

const SET_ASIDE = JSON.stringify(['CREATE INDEX `account_search_name_f_index` on `account_search` (`name_f`)']);

describe('migration 0019_first_sync_index_stage on a store in the middle of its first sync', () => {
  it('keeps the copy progress and the indexes the older code set aside, and starts with no index stage', async () => {
    m = await databaseAt('0018_limit_events_travel');
    await populateThrough(m.db, '0018_limit_events_travel');
    await m.db('sync_state').update({
      client_id: '0190a000-0000-7000-8000-0000000000cc',
      first_sync: 'paging',
      first_sync_table: 'accounts',
      first_sync_after: '0190a000-0000-7000-8000-000000000010',
      first_sync_rows: 40_000,
      first_sync_total: 200_300,
      first_sync_started_at: '2026-11-29T08:00:00.000Z',
      first_sync_rate: 52_000,
      first_sync_set_aside: SET_ASIDE,
    });
    const before = await snapshotThrough(m.db, '0018_limit_events_travel');

    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0018_limit_events_travel')).toMatchObject(before);
    const state = await readSyncState(m.db);
    expect(state).toMatchObject({
      first_sync: 'paging',
      first_sync_rows: 40_000,
      first_sync_set_aside: SET_ASIDE,
      first_sync_copied_at: null,
      first_sync_index_after: null,
      first_sync_indexed: 0,
      first_sync_index_total: 0,
      first_sync_index_rate: null,
    });
    expect(firstSyncProgress(state)).toMatchObject({ state: 'paging', table: 'accounts', rows: 40_000, total: 200_300, secondsLeft: 4, copiedAt: null });
  });

  it('goes back down: a store in the index stage returns to the copy of its last page', async () => {
    m = await databaseAt('0019_first_sync_index_stage');
    await m.db('sync_state').update({
      first_sync: 'indexing',
      first_sync_rows: 200_300,
      first_sync_total: 200_300,
      first_sync_copied_at: '2026-11-29T08:00:04.000Z',
      first_sync_indexed: 60_000,
      first_sync_index_total: 200_000,
      first_sync_index_rate: 40_000,
      first_sync_set_aside: SET_ASIDE,
    });
    expect(firstSyncProgress(await readSyncState(m.db))).toMatchObject({ state: 'indexing', table: null, secondsLeft: 4, index: { accounts: 60_000, total: 200_000, ratePerSecond: 40_000 } });
    const step = localMigrations.find(([name]) => name === '0019_first_sync_index_stage')![1];
    await step.down(m.db);
    const row = (await m.db('sync_state').first()) as Record<string, unknown>;
    expect(row).toMatchObject({ first_sync: 'paging', first_sync_rows: 200_300, first_sync_set_aside: SET_ASIDE });
    expect(Object.keys(row).filter((k) => k.startsWith('first_sync_ind') || k === 'first_sync_copied_at')).toEqual([]);
  });
});
