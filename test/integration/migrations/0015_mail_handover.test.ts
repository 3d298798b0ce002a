import { afterEach, describe, expect, it } from 'vitest';
import { migrateLocal } from '../../../src-main/store/migrations';
import { dueMails, outboxDepth, settleInterrupted, unknownMailCount } from '../../../src-main/store/mail-outbox-repo';
import { ALL_MIGRATIONS, appliedMigrations, databaseAt, mails, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

/** A store at 0013 holding the fixture rows, plus a mail a pass had claimed when the old app stopped. */
async function migrated(): Promise<MigrationDb> {
  const db = await databaseAt('0013_ops');
  await populateThrough(db.db, '0013_ops');
  await db.db('mail_outbox').insert({ ...mails[1]!, id: '01957a3c-2222-7000-8000-000000000003', state: 'sending', created_at: '2026-03-01T01:07:00.000Z' });
  return db;
}

describe('migration 0015_mail_handover on a store with sent, queued and claimed mail', () => {
  it('keeps every row and value, with no handover time for mail from before it', async () => {
    m = await migrated();
    const before = await snapshotThrough(m.db, '0006_settings');
    const claimed = await m.db('mail_outbox').where({ state: 'sending' }).first();
    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0006_settings')).toMatchObject(before);
    const rows = (await m.db('mail_outbox').orderBy('id').select('id', 'handover_at')) as Array<{ id: string; handover_at: string | null }>;
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.handover_at === null)).toBe(true);
    expect(await m.db('mail_outbox').where({ state: 'sending' }).first()).toMatchObject({ ...claimed, handover_at: null });
  });

  it('lets the old rows go through the new states: claimed mail is sent again, none is unknown', async () => {
    m = await migrated();
    await migrateLocal(m.db);
    // A row an older version left `sending` never had its handover recorded, so it is safe to send again.
    expect(await settleInterrupted(m.db)).toEqual({ requeued: 1, unknown: 0 });
    expect(await unknownMailCount(m.db)).toBe(0);
    expect(await outboxDepth(m.db)).toBe(2);
    // Oldest first, through the new age index.
    expect((await dueMails(m.db, Date.parse('2030-01-01'), 10)).map((r) => r.id)).toEqual([mails[1]!.id, '01957a3c-2222-7000-8000-000000000003']);
    const plan = (await m.db.raw(
      "EXPLAIN QUERY PLAN SELECT * FROM mail_outbox WHERE state = 'queued' AND next_attempt_ms <= 0 ORDER BY created_at, id LIMIT 20",
    )) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/mail_outbox_state_age/);
    expect(plan.map((p) => p.detail).join(' ')).not.toMatch(/TEMP B-TREE/);
  });
});
