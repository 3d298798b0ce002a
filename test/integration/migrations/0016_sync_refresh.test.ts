import { afterEach, describe, expect, it } from 'vitest';
import { migrateLocal } from '../../../src-main/store/migrations';
import { readSyncState } from '../../../src-main/store/sync-state-repo';
import { ALL_MIGRATIONS, appliedMigrations, databaseAt, populateThrough, resetRequests, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

describe('migration 0016_sync_refresh on a synced store with rows and a waiting outbox', () => {
  it('keeps rows, outbox and cursor, and from then on captures deletes and contact changes', async () => {
    m = await databaseAt('0013_ops');
    await populateThrough(m.db, '0013_ops');
    // As the 0010 of its time left it: insert and update triggers only, contact changes not synced.
    await m.db.raw(`DROP TRIGGER IF EXISTS sync_capture_contact_changes_insert`);
    await m.db.raw(`DROP TRIGGER IF EXISTS sync_capture_contact_changes_update`);
    for (const t of ['accounts', 'contact_changes', 'password_history', 'reset_requests', 'account_locks', 'inquiries']) {
      await m.db.raw(`DROP TRIGGER IF EXISTS sync_capture_${t}_delete`);
    }
    await m.db('sync_guard').update({ capture: 1 });
    await m.db('sync_state').update({ client_id: '0190a000-0000-7000-8000-0000000000cc', cursor_xid: '812', cursor_id: 40, first_sync: 'done' });
    await m.db('accounts').where({ id: resetRequests[0]!.account_id }).update({ contact_name: '移行前 更新', version: m.db.raw('version + 1') });
    const before = await snapshotThrough(m.db, '0013_ops');
    const outbox = await m.db('sync_outbox').select('*');
    expect(outbox).toHaveLength(1);

    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0013_ops')).toMatchObject(before); // later steps may add columns (0015: mail_outbox.handover_at, 0018: limit_events.sync_key); every earlier value stays
    expect(await m.db('sync_outbox').select('*')).toEqual(outbox);
    expect(await readSyncState(m.db)).toMatchObject({ cursor_xid: '812', cursor_id: 40, refresh_table: null, refresh_rows: 0 });

    await m.db('reset_requests').where({ id: resetRequests[0]!.id }).delete();
    await m.db('contact_changes').insert({
      id: '0190a000-0000-7000-8000-0000000000dd',
      account_id: resetRequests[0]!.account_id,
      old_email: 'a@example.jp',
      new_email: 'b@example.jp',
      code_hmac: 'x',
      status: 'pending',
      kiosk_id: 'k',
      created_by: 'customer',
      created_at: '2026-01-01T00:00:00.000Z',
      expires_at: '2026-01-01T00:30:00.000Z',
    });
    const captured = (await m.db('sync_outbox').orderBy('seq').select('table_name', 'op', 'row_key')) as Array<Record<string, string>>;
    expect(captured.slice(1)).toEqual([
      { table_name: 'reset_requests', op: 'delete', row_key: resetRequests[0]!.id },
      { table_name: 'contact_changes', op: 'insert', row_key: '0190a000-0000-7000-8000-0000000000dd' },
    ]);
  });
});
