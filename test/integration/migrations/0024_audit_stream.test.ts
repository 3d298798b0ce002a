import { afterEach, describe, expect, it } from 'vitest';
import { localMigrations, migrateLocal } from '../../../src-main/store/migrations';
import { readSyncState } from '../../../src-main/store/sync-state-repo';
import { ALL_MIGRATIONS, appliedMigrations, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

describe('migration 0024_audit_stream on a synced store', () => {
  it('keeps every row and starts the audit stream at the beginning of the chain', async () => {
    m = await databaseAt('0020_search_keys_without_copies');
    await populateThrough(m.db, '0020_search_keys_without_copies');
    await m.db('sync_state').update({ client_id: '0190a000-0000-7000-8000-0000000000dd', first_sync: 'done', pushed_total: 12 });
    const before = await snapshotThrough(m.db, '0020_search_keys_without_copies');

    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0020_search_keys_without_copies')).toMatchObject(before);
    expect(await readSyncState(m.db)).toMatchObject({ first_sync: 'done', pushed_total: 12, audit_streamed_seq: 0, audit_streamed_at: null, audit_stream_error: null });
  });

  it('goes back down without the stream columns', async () => {
    m = await databaseAt('0024_audit_stream');
    await m.db('sync_state').update({ audit_streamed_seq: 40, audit_streamed_at: '2026-12-06T10:00:00.000Z' });
    await localMigrations.find(([name]) => name === '0024_audit_stream')![1].down(m.db);
    const columns = ((await m.db.raw(`SELECT name FROM pragma_table_info('sync_state')`)) as Array<{ name: string }>).map((c) => c.name);
    expect(columns).not.toContain('audit_streamed_seq');
    expect(columns).toContain('pushed_total');
  });
});
