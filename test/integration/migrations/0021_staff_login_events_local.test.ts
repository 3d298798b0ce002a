import { afterEach, describe, expect, it } from 'vitest';
import { migrateLocal } from '../../../src-main/store/migrations';
import { ALL_MIGRATIONS, appliedMigrations, databaseAt, limitEvents, populateThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

const CLIENT = '0190a000-0000-7000-8000-0000000000dd';

describe('migration 0021_staff_login_events_local on a synced store with limit events and a waiting outbox', () => {
  it('keeps events and outbox, and from then on leaves staff login failures at this kiosk while the rest still travel', async () => {
    m = await databaseAt('0020_search_keys_without_copies');
    await populateThrough(m.db, '0020_search_keys_without_copies');
    await m.db('sync_guard').update({ capture: 1 });
    await m.db('sync_state').update({ client_id: CLIENT, cursor_xid: '812', cursor_id: 40, first_sync: 'done' });
    const now = 1_772_400_000_000;
    // Earlier steps build their triggers from today's sync-tables.ts: put back the trigger a
    // store made before this step has, whose WHEN does not know the staff prefix.
    const trigger = (await m.db('sqlite_master').where({ name: 'sync_capture_limit_events_insert' }).first('sql')) as { sql: string };
    const before = trigger.sql.replace(" OR NEW.bucket GLOB 'stafflogin:*'", '');
    expect(before).not.toBe(trigger.sql);
    await m.db.raw('DROP TRIGGER sync_capture_limit_events_insert');
    await m.db.raw(before);
    await m.db('limit_events').insert({ bucket: 'stafflogin:suzuki', at_ms: now - 1 });
    const outbox = await m.db('sync_outbox').orderBy('seq').select('*');
    expect(outbox.map((r: { row_json: string }) => r.row_json).join()).toContain('stafflogin:suzuki');
    const events = await m.db('limit_events').orderBy('id').select('*');
    expect(events.map(({ bucket, at_ms }: { bucket: string; at_ms: number }) => ({ bucket, at_ms })).slice(0, limitEvents.length)).toEqual(limitEvents);

    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await m.db('limit_events').orderBy('id').select('*')).toEqual(events);
    expect(await m.db('sync_outbox').orderBy('seq').select('*')).toEqual(outbox);

    for (const bucket of ['stafflogin:suzuki', 'stafflogin:', 'loginfail:acc-1', 'loginfail-id:99999999998', 'req:kiosk:kiosk-a']) {
      await m.db('limit_events').insert({ bucket, at_ms: now });
    }
    const captured = (await m.db('sync_outbox').orderBy('seq').select('row_json')) as Array<{ row_json: string }>;
    const buckets = captured.slice(outbox.length).map((r) => (JSON.parse(r.row_json) as { bucket: string }).bucket);
    expect(buckets).toEqual(['loginfail:acc-1', 'loginfail-id:99999999998']);
  });
});
