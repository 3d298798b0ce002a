import { afterEach, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../../src-main/store/audit-repo';
import { migrateLocal } from '../../../src-main/store/migrations';
import { ALL_MIGRATIONS, appliedMigrations, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

async function migrated(): Promise<MigrationDb> {
  const db = await databaseAt('0004_mail_outbox');
  await populateThrough(db.db, '0004_mail_outbox');
  return db;
}

describe('migration 0005_audit_log on a store holding queued and sent mail', () => {
  it('keeps every row of the earlier tables, the outbox included', async () => {
    m = await migrated();
    const before = await snapshotThrough(m.db, '0004_mail_outbox');
    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0004_mail_outbox')).toMatchObject(before); // later steps may add columns; every earlier value stays
    expect(before.mail_outbox).toHaveLength(2);
  });

  it('adds a hash-chained audit log', async () => {
    m = await migrated();
    await migrateLocal(m.db);
    await appendAudit(m.db, { actor: 'system', action: 'demo-data.added', detail: { to: '0005_audit_log' } }, '2026-03-02T00:00:00.000Z');
    await appendAudit(m.db, { actor: 'kiosk', action: 'reset.requested', subject: '12345678901' }, '2026-03-02T00:01:00.000Z');
    expect(await verifyAuditChain(m.db)).toEqual({ checked: 2 });
  });

  it('refuses to change or delete an audit entry', async () => {
    m = await migrated();
    await migrateLocal(m.db);
    await appendAudit(m.db, { actor: 'kiosk', action: 'reset.requested', subject: '12345678901' }, '2026-03-02T00:01:00.000Z');
    await expect(m.db('audit_log').update({ actor: 'someone else' })).rejects.toThrow(/audit_log is append-only/);
    await expect(m.db('audit_log').delete()).rejects.toThrow(/audit_log is append-only/);
    expect(await m.db('audit_log').count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});
