import { afterEach, describe, expect, it } from 'vitest';
import { migrateLocal } from '../../../src-main/store/migrations';
import { activeLock, addLock, countEventsSince, lastEventAt, liftLocks, recordEvent } from '../../../src-main/store/limits-repo';
import { ALL_MIGRATIONS, accounts, appliedMigrations, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

async function migrated(): Promise<MigrationDb> {
  const db = await databaseAt('0002_reset_requests');
  await populateThrough(db.db, '0002_reset_requests');
  return db;
}

describe('migration 0003_limits_and_locks on a store holding accounts and reset requests', () => {
  it('keeps accounts, history and requests as they were', async () => {
    m = await migrated();
    const before = await snapshotThrough(m.db, '0002_reset_requests');
    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0002_reset_requests')).toMatchObject(before); // later steps may add columns; every earlier value stays
    expect(before.reset_requests).toHaveLength(2);
  });

  it('adds sliding-window counters', async () => {
    m = await migrated();
    await migrateLocal(m.db);
    const t = 1_772_400_000_000;
    await recordEvent(m.db, 'req:id:12345678901', t - 2 * 3_600_000);
    await recordEvent(m.db, 'req:id:12345678901', t - 60_000);
    await recordEvent(m.db, 'req:id:12345678901', t);
    expect(await countEventsSince(m.db, 'req:id:12345678901', t - 3_600_000)).toBe(2);
    expect(await lastEventAt(m.db, 'req:id:12345678901', t)).toBe(t);
    expect(await lastEventAt(m.db, 'req:id:12345678901', t - 1)).toBe(t - 60_000);
    expect(await lastEventAt(m.db, 'req:id:99999999999', t)).toBeUndefined();
  });

  it('adds locks on the existing accounts that staff can lift', async () => {
    m = await migrated();
    await migrateLocal(m.db);
    await addLock(m.db, accounts[0]!.id, 'reset', 'too-many-code-failures', '2026-03-02T00:00:00.000Z');
    expect(await activeLock(m.db, accounts[0]!.id, 'reset')).toMatchObject({ reason: 'too-many-code-failures', unlocked_at: null });
    expect(await activeLock(m.db, accounts[0]!.id, 'login')).toBeUndefined();
    expect(await liftLocks(m.db, accounts[0]!.id, 'reset', 'staff:admin', '2026-03-02T01:00:00.000Z')).toBe(1);
    expect(await activeLock(m.db, accounts[0]!.id, 'reset')).toBeUndefined();
    await expect(addLock(m.db, 'missing', 'reset', 'x', 't')).rejects.toThrow(/FOREIGN KEY/);
  });
});
