import { afterEach, describe, expect, it } from 'vitest';
import { migrateLocal } from '../../../src-main/store/migrations';
import { claimMail, dueMails, enqueueMail, markMailSent, outboxDepth } from '../../../src-main/store/mail-outbox-repo';
import { ALL_MIGRATIONS, appliedMigrations, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

async function migrated(): Promise<MigrationDb> {
  const db = await databaseAt('0003_limits_and_locks');
  await populateThrough(db.db, '0003_limits_and_locks');
  return db;
}

describe('migration 0004_mail_outbox on a store holding accounts, requests, counters and locks', () => {
  it('keeps every row of the earlier tables', async () => {
    m = await migrated();
    const before = await snapshotThrough(m.db, '0003_limits_and_locks');
    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0003_limits_and_locks')).toMatchObject(before); // later steps may add columns; every earlier value stays
    expect(before.account_locks).toHaveLength(2);
    expect(before.limit_events).toHaveLength(3);
  });

  it('adds an outbox that queues, claims once and marks sent', async () => {
    m = await migrated();
    await migrateLocal(m.db);
    const now = 1_772_400_000_000;
    await enqueueMail(
      m.db,
      { id: 'm1', template: 'reset-code', locale: 'ja', to_address: 'tanaka@example.co.jp', params_json: '{"supportEmail":"webdesk@jisa.or.jp"}', secret_params: 'sealed', related_id: 'r1' },
      now,
    );
    expect(await outboxDepth(m.db)).toBe(1);
    expect((await dueMails(m.db, now - 1, 10)).map((r) => r.id)).toEqual([]);
    expect((await dueMails(m.db, now, 10)).map((r) => r.id)).toEqual(['m1']);
    expect(await claimMail(m.db, 'm1')).toBe(true);
    expect(await claimMail(m.db, 'm1')).toBe(false);
    await markMailSent(m.db, 'm1', '<m1@jsa-webdesk.local>', new Date(now).toISOString());
    expect(await m.db('mail_outbox').where({ id: 'm1' }).first()).toMatchObject({ state: 'sent', attempts: 1, message_id: '<m1@jsa-webdesk.local>' });
    expect(await outboxDepth(m.db)).toBe(0);
  });
});
