import { afterEach, describe, expect, it } from 'vitest';
import { defaultRuntimeSettings } from '../../../src-main/domain/runtime-settings';
import { createSettingsService } from '../../../src-main/services/settings-service';
import { appendAudit, auditHash, verifyAuditChain } from '../../../src-main/store/audit-repo';
import { migrateLocal } from '../../../src-main/store/migrations';
import { readSettings } from '../../../src-main/store/settings-repo';
import { ALL_MIGRATIONS, appliedMigrations, auditRows, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

const clock = { nowMs: () => Date.parse('2026-03-02T00:00:00.000Z') };

async function migrated(): Promise<MigrationDb> {
  const db = await databaseAt('0005_audit_log');
  await populateThrough(db.db, '0005_audit_log', auditRows(auditHash));
  return db;
}

describe('migration 0006_settings on a store holding an audit trail', () => {
  it('keeps every row of the earlier tables, and the audit chain still verifies', async () => {
    m = await migrated();
    const before = await snapshotThrough(m.db, '0005_audit_log');
    expect(await verifyAuditChain(m.db)).toEqual({ checked: 2 });
    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0005_audit_log')).toMatchObject(before); // later steps may add columns; every earlier value stays
    expect(await verifyAuditChain(m.db)).toEqual({ checked: 2 });
  });

  it('starts with the DESIGN §6 defaults and stores a change with an audit entry on the old chain', async () => {
    m = await migrated();
    await migrateLocal(m.db);
    expect(await readSettings(m.db)).toEqual({});
    const settings = createSettingsService(m.db, clock);
    expect(await settings.get()).toEqual(defaultRuntimeSettings);
    await settings.update({ codeLifetimeMinutes: 20, uniformResponses: true }, 'staff:admin');
    expect(await readSettings(m.db)).toEqual({ codeLifetimeMinutes: 20, uniformResponses: true });
    expect(await createSettingsService(m.db, clock).get()).toMatchObject({ codeLifetimeMinutes: 20, uniformResponses: true });
    const audit = await m.db('audit_log').where({ action: 'settings.changed' }).orderBy('seq').select('subject', 'actor');
    expect(audit).toEqual([
      { subject: 'codeLifetimeMinutes', actor: 'staff:admin' },
      { subject: 'uniformResponses', actor: 'staff:admin' },
    ]);
    await appendAudit(m.db, { actor: 'system', action: 'settings.changed' }, '2026-03-02T00:02:00.000Z');
    expect(await verifyAuditChain(m.db)).toEqual({ checked: 5 });
  });

  it('refuses a setting that would switch a protection off, and stores nothing', async () => {
    m = await migrated();
    await migrateLocal(m.db);
    const settings = createSettingsService(m.db, clock);
    await expect(settings.update({ codeLifetimeMinutes: 0 }, 'staff:admin')).rejects.toThrow();
    expect(await readSettings(m.db)).toEqual({});
  });
});
