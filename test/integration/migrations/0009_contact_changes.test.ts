import { afterEach, describe, expect, it } from 'vitest';
import { auditHash } from '../../../src-main/store/audit-repo';
import { migrateLocal } from '../../../src-main/store/migrations';
import { ALL_MIGRATIONS, accounts, appliedMigrations, auditRows, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

const inquiry = {
  id: '01957a3c-3333-7000-8000-000000000001',
  reference: 'WD-7K3M9QXA',
  kind: 'jsa_id_unknown',
  status: 'open',
  data_json: JSON.stringify({ postalCode: '108-0073', company: '株式会社サンプル商事', name: '山田 花子', phone: '03-1234-5678', email: 'yamada@example.co.jp' }),
  reply_email: 'yamada@example.co.jp',
  kiosk_id: 'tokyo-01',
  created_at: '2026-03-02T00:00:00.000Z',
};

/** A store as 0007 left it: every earlier table filled, plus an open inquiry. */
async function at0007(): Promise<MigrationDb> {
  const db = await databaseAt('0007_inquiries');
  await populateThrough(db.db, '0006_settings', auditRows(auditHash));
  await db.db('inquiries').insert(inquiry);
  return db;
}

const change = {
  id: '01957a3c-4444-7000-8000-000000000001',
  account_id: accounts[0]!.id,
  old_email: 'Tanaka@Example.co.jp',
  new_email: 'suzuki@example.co.jp',
  code_hmac: 'ab'.repeat(32),
  status: 'pending',
  kiosk_id: 'tokyo-01',
  created_by: `customer:${accounts[0]!.id}`,
  created_at: '2026-03-03T00:00:00.000Z',
  expires_at: '2026-03-03T00:30:00.000Z',
};

describe('migration 0009_contact_changes on a populated store', () => {
  it('keeps every earlier row, the inquiry included', async () => {
    m = await at0007();
    const before = await snapshotThrough(m.db, '0006_settings');
    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0006_settings')).toMatchObject(before); // later steps may add columns; every earlier value stays
    expect(await m.db('inquiries').where({ id: inquiry.id }).first()).toMatchObject({ reference: 'WD-7K3M9QXA', status: 'open' });
  });

  it('adds contact_changes with defaults, tied to an existing account', async () => {
    m = await at0007();
    await migrateLocal(m.db);
    await m.db('contact_changes').insert(change);
    expect(await m.db('contact_changes').where({ id: change.id }).first()).toMatchObject({ attempts: 0, locale: 'ja', version: 1, confirmed_at: null });
    await expect(m.db('contact_changes').insert({ ...change, id: 'x', account_id: 'missing' })).rejects.toThrow(/FOREIGN KEY/);
  });

  it('drops an account’s pending changes with the account', async () => {
    m = await at0007();
    await migrateLocal(m.db);
    await m.db('contact_changes').insert(change);
    await m.db('accounts').where({ id: accounts[0]!.id }).delete();
    expect(await m.db('contact_changes').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
