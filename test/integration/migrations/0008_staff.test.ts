import { afterEach, describe, expect, it } from 'vitest';
import { auditHash } from '../../../src-main/store/audit-repo';
import { migrateLocal } from '../../../src-main/store/migrations';
import { accounts, auditRows, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

const inquiry = {
  id: '01957a3c-3333-7000-8000-000000000001',
  reference: 'Q-20260302-0001',
  kind: 'jsa_id_unknown',
  status: 'open',
  data_json: JSON.stringify({ company: '株式会社サンプル商事', name: '田中 一郎' }),
  reply_email: 'ichiro@example.net',
  kiosk_id: 'tokyo-01',
  created_at: '2026-03-02T00:00:00.000Z',
};

async function migrated(): Promise<MigrationDb> {
  const db = await databaseAt('0007_inquiries');
  await populateThrough(db.db, '0007_inquiries', auditRows(auditHash));
  await db.db('inquiries').insert(inquiry);
  return db;
}

describe('migration 0008_staff on a store holding accounts, audit and an open inquiry', () => {
  it('keeps every earlier row and the inquiry', async () => {
    m = await migrated();
    const before = await snapshotThrough(m.db, '0007_inquiries');
    await migrateLocal(m.db, { to: '0008_staff' });
    expect(await snapshotThrough(m.db, '0007_inquiries')).toEqual(before);
    expect(await m.db('inquiries').where({ id: inquiry.id }).first()).toMatchObject({ status: 'open', version: 1 });
  });

  it('adds staff users with unique names, their password history, and reviews tied to inquiries', async () => {
    m = await migrated();
    await migrateLocal(m.db, { to: '0008_staff' });
    const staff = { id: 's1', username: 'admin', display_name: '管理者', role: 'admin', password_hash: '$scrypt$x', created_by: 'system', created_at: '2026-03-02T00:00:00.000Z' };
    await m.db('staff_users').insert(staff);
    expect(await m.db('staff_users').first()).toMatchObject({ must_change_password: 1, failed_logins: 0, locked_at: null, version: 1 });
    await expect(m.db('staff_users').insert({ ...staff, id: 's2' })).rejects.toThrow(/UNIQUE constraint failed: staff_users\.username/);
    await m.db('staff_password_history').insert({ staff_id: 's1', password_hash: '$scrypt$x', created_at: staff.created_at });
    await m.db('inquiry_reviews').insert({
      inquiry_id: inquiry.id,
      account_id: accounts[0]!.id,
      decision: 'approved',
      reason_template: 'identity-confirmed',
      comparison_json: '{}',
      decided_by: 'staff:s1',
      decided_at: staff.created_at,
    });
    // Removing an account keeps the review (what was decided) without the link.
    await m.db('accounts').where({ id: accounts[0]!.id }).delete();
    expect(await m.db('inquiry_reviews').first()).toMatchObject({ account_id: null, reason_text: '' });
    await m.db('staff_users').where({ id: 's1' }).delete();
    expect(await m.db('staff_password_history').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
