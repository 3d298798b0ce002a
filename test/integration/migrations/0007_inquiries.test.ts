import { afterEach, describe, expect, it } from 'vitest';
import { createSettingsService } from '../../../src-main/services/settings-service';
import { auditHash } from '../../../src-main/store/audit-repo';
import { migrateLocal } from '../../../src-main/store/migrations';
import { ALL_MIGRATIONS, accounts, appliedMigrations, auditRows, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

async function migrated(): Promise<MigrationDb> {
  const db = await databaseAt('0006_settings');
  await populateThrough(db.db, '0006_settings', auditRows(auditHash));
  return db;
}

const inquiry = {
  id: '01957a3c-3333-7000-8000-000000000001',
  reference: 'Q-20260302-0001',
  kind: 'contact_change',
  status: 'open',
  data_json: JSON.stringify({ company: '株式会社サンプル商事', predecessor: '田中 一郎', newContact: '山本 三郎', phone: '03-1234-5678' }),
  reply_email: 'yamamoto@example.co.jp',
  kiosk_id: 'tokyo-01',
  account_id: accounts[0]!.id,
  created_at: '2026-03-02T00:00:00.000Z',
};

describe('migration 0007_inquiries on a store holding stored settings', () => {
  it('keeps every row of the earlier tables and the admin’s settings', async () => {
    m = await migrated();
    const before = await snapshotThrough(m.db, '0006_settings');
    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0006_settings')).toMatchObject(before); // later steps may add columns; every earlier value stays
    const settings = await createSettingsService(m.db, { nowMs: () => 0 }).get();
    expect(settings).toMatchObject({ codeLifetimeMinutes: 20, supportEmail: 'counter@example.jp', passwordPolicy: { minLength: 14, requireDigit: true } });
  });

  it('adds inquiries tied to an account, with defaults and a unique reference', async () => {
    m = await migrated();
    await migrateLocal(m.db);
    await m.db('inquiries').insert(inquiry);
    expect(await m.db('inquiries').where({ reference: 'Q-20260302-0001' }).first()).toMatchObject({ locale: 'ja', version: 1, decided_by: null });
    await expect(m.db('inquiries').insert({ ...inquiry, id: 'other' })).rejects.toThrow(/UNIQUE constraint failed: inquiries\.reference/);
    await expect(m.db('inquiries').insert({ ...inquiry, id: 'x', reference: 'Q-2', account_id: 'missing' })).rejects.toThrow(/FOREIGN KEY/);
  });

  it('keeps an inquiry when its account is removed, without the link', async () => {
    m = await migrated();
    await migrateLocal(m.db);
    await m.db('inquiries').insert(inquiry);
    await m.db('accounts').where({ id: accounts[0]!.id }).delete();
    expect(await m.db('inquiries').where({ id: inquiry.id }).first()).toMatchObject({ account_id: null, reply_email: 'yamamoto@example.co.jp' });
  });
});
