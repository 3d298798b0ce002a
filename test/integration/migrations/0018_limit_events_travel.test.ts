import { afterEach, describe, expect, it } from 'vitest';
import { migrateLocal } from '../../../src-main/store/migrations';
import { purgeAttemptRecords } from '../../../src-main/store/retention-repo';
import { ALL_MIGRATIONS, appliedMigrations, databaseAt, limitEvents, populateThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

const CLIENT = '0190a000-0000-7000-8000-0000000000cc';

describe('migration 0018_limit_events_travel on a synced store with limit events and a waiting outbox', () => {
  it('keeps the events and the outbox, then captures new events that travel and nothing else', async () => {
    m = await databaseAt('0016_sync_refresh');
    await populateThrough(m.db, '0016_sync_refresh');
    await m.db('sync_guard').update({ capture: 1 });
    await m.db('sync_state').update({ client_id: CLIENT, cursor_xid: '812', cursor_id: 40, first_sync: 'done' });
    await m.db('account_locks').where({ kind: 'login' }).update({ unlocked_by: 'staff:移行前' });
    const outbox = await m.db('sync_outbox').select('*');
    expect(outbox).toHaveLength(1);
    const before = (await m.db('limit_events').orderBy('id').select('id', 'bucket', 'at_ms')) as Array<{ id: number }>;
    expect(before.map(({ id: _id, ...rest }) => rest)).toEqual(limitEvents);

    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await m.db('limit_events').orderBy('id').select('*')).toEqual(before.map((row) => ({ ...row, sync_key: null })));
    expect(await m.db('sync_outbox').select('*')).toEqual(outbox);

    const now = 1_772_400_000_000;
    for (const bucket of ['req:id:12345678901', 'req:email:tanaka@example.co.jp', 'loginfail:acc-1', 'req:kiosk:kiosk-a', 'inq:kiosk:kiosk-a', 'codefail:acc-1']) {
      await m.db('limit_events').insert({ bucket, at_ms: now });
    }
    // The retention purge and a purge by hand are local: each replica and central purge by age.
    expect(await purgeAttemptRecords(m.db, now - 1, '2026-01-01T00:00:00.000Z')).toBe(limitEvents.length);
    await m.db('limit_events').where('bucket', 'loginfail:acc-1').delete();

    const captured = (await m.db('sync_outbox').orderBy('seq').select('table_name', 'op', 'row_key', 'row_json')) as Array<Record<string, string>>;
    const ids = (await m.db('limit_events').whereIn('bucket', ['req:id:12345678901', 'req:email:tanaka@example.co.jp']).orderBy('id').select('id')) as Array<{ id: number }>;
    const key = (n: number) => `${CLIENT}:${ids[n]!.id}`;
    expect(captured.slice(1)).toEqual([
      { table_name: 'limit_events', op: 'insert', row_key: key(0), row_json: JSON.stringify({ key: key(0), bucket: 'req:id:12345678901', at_ms: now }) },
      { table_name: 'limit_events', op: 'insert', row_key: key(1), row_json: JSON.stringify({ key: key(1), bucket: 'req:email:tanaka@example.co.jp', at_ms: now }) },
      { table_name: 'limit_events', op: 'insert', row_key: expect.stringMatching(new RegExp(`^${CLIENT}:\\d+$`)), row_json: expect.stringContaining('"loginfail:acc-1"') },
    ]);
  });
});
