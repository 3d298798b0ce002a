import { afterEach, describe, expect, it } from 'vitest';
import { migrateLocal } from '../../../src-main/store/migrations';
import { ALL_MIGRATIONS, appliedMigrations, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

describe('migration 0010_sync on a store holding accounts, requests, mail, audit, settings and inquiries', () => {
  it('keeps every earlier row and captures nothing while the kiosk is standalone', async () => {
    m = await databaseAt('0007_inquiries');
    await populateThrough(m.db, '0007_inquiries');
    const before = await snapshotThrough(m.db, '0007_inquiries');
    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0007_inquiries')).toMatchObject(before);
    expect(await m.db('sync_guard').first()).toMatchObject({ capture: 0, applying: 0 });
    // A write on a standalone store leaves the sync outbox empty.
    await m.db('accounts').update({ contact_name: '変更後 名前', version: m.db.raw('version + 1') });
    expect(await m.db('sync_outbox').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
