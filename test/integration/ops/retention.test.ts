import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { appendAudit, latestPurgeMarker, verifyAuditChain } from '../../../src-main/store/audit-repo';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { kiosk, manualClock, type ManualClock } from '../support/test-app';
import { fullReset, startOpsApp, staff } from './ops-support';

const DAY = 86_400_000;
/** A counter in use for `days`: something is audited at least every 20 days, so the log's own timeline keeps up with the clock. */
async function inUse(app: App, clock: ManualClock, days: number): Promise<void> {
  for (let done = 0; done < days; done += 20) {
    clock.advance(Math.min(20, days - done) * DAY);
    await appendAudit(app.db, { actor: 'test', action: 'demo-data.added' }, new Date(clock.nowMs()).toISOString());
  }
}
const count = async (app: App, table: string) => Number(((await app.db(table).count<{ n: number }[]>({ n: '*' })) as Array<{ n: number }>)[0]!.n);

describe('retention (APPI)', () => {
  let dir: TempDir;
  let app: App;
  let clock: ManualClock;
  beforeEach(async () => {
    dir = await makeTempDir();
    clock = manualClock(Date.parse('2026-01-05T01:00:00Z'));
    app = await startOpsApp({ dataDir: dir.path, clock, app: { startMailWorker: true } });
  });
  afterEach(async () => {
    await app.close();
    await dir.remove();
  });

  it('purges old requests, attempts, mail and maildrop files, keeps recent ones, and the audit chain still verifies', async () => {
    const valid = { markerValid: app.retention.markerValid };
    // Old history: a finished reset, a request left to expire, a wrong code.
    await fullReset(app, { jsaId: '12345678901', email: 'tanaka@example.co.jp' }, 'Old-history-pass-2026');
    await kiosk(app).ok('reset.request', { jsaId: '23456789012', email: 'shared@example.co.jp' });
    await kiosk(app).call('reset.verifyCode', { identifier: '23456789012', code: 'ZZZZZZZZZZ' });
    await app.mailWorker.drainOnce();
    const auditBefore = await count(app, 'audit_log');
    expect(await count(app, 'reset_requests')).toBe(2);
    expect(await count(app, 'mail_outbox')).toBeGreaterThanOrEqual(3);
    // A maildrop file as old as the history.
    const maildrop = join(dir.path, 'maildrop');
    mkdirSync(maildrop, { recursive: true });
    for (const name of readdirSync(maildrop)) utimesSync(join(maildrop, name), new Date(clock.nowMs()), new Date(clock.nowMs()));

    // 100 days on (retentionDays 90): a new request that must survive.
    clock.advance(100 * DAY);
    const recent = 'recent.eml';
    writeFileSync(join(maildrop, recent), 'x');
    utimesSync(join(maildrop, recent), new Date(clock.nowMs()), new Date(clock.nowMs()));
    await kiosk(app).ok('reset.request', { jsaId: '12345678901', email: 'tanaka@example.co.jp' });
    await app.mailWorker.drainOnce();

    const report = await staff(app, 'admin').ok('ops.purgeNow', {});
    expect(report).toMatchObject({ resetRequests: 2, auditEntries: 0 });
    expect(report.attemptRecords).toBeGreaterThanOrEqual(3);
    expect(report.mail).toBeGreaterThanOrEqual(3);
    expect(report.maildropFiles).toBeGreaterThanOrEqual(3);
    expect(await count(app, 'reset_requests')).toBe(1);
    expect(await app.db('mail_outbox').count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 1 }]);
    expect(readdirSync(maildrop).filter((n) => n.endsWith('.eml'))).toContain(recent);
    // The audit log is kept longer (auditRetentionDays 400) and still verifies from the genesis.
    expect(await count(app, 'audit_log')).toBeGreaterThan(auditBefore);
    expect(await verifyAuditChain(app.db, 5000, valid)).not.toHaveProperty('firstBreak');

    // The counter in use for 380 days more: the old audit entries go, a signed marker stays (the
    // 100 days above count as 31 along the log: a gap that long may be a clock jump).
    await inUse(app, clock, 380);
    const purged = await app.retention.purge('system');
    expect(purged.auditEntries).toBeGreaterThan(auditBefore - 1);
    const marker = (await latestPurgeMarker(app.db))!;
    expect(marker.purged).toBe(purged.auditEntries);
    const first = (await app.db('audit_log').orderBy('seq').first('seq', 'prev_hash')) as { seq: number; prev_hash: string };
    expect(first.seq).toBe(marker.throughSeq + 1);
    const verified = await verifyAuditChain(app.db, 5000, valid);
    expect(verified.firstBreak).toBeUndefined();
    expect(verified.startsAfter).toEqual({ throughSeq: marker.throughSeq, purgedAt: marker.purgedAt });
    // With small pages too (the walk pages by seq from the marker on).
    expect((await verifyAuditChain(app.db, 2, valid)).firstBreak).toBeUndefined();
    // A later purge that finds nothing old keeps the marker and the chain.
    await app.retention.purge('system');
    expect((await verifyAuditChain(app.db, 5000, valid)).firstBreak).toBeUndefined();

    // Without the deployment secret the marker does not vouch for the start.
    expect((await verifyAuditChain(app.db, 5000, { markerValid: () => false })).firstBreak).toEqual({ seq: first.seq, reason: 'marker' });
    expect((await verifyAuditChain(app.db)).firstBreak?.reason).toBe('marker');
  });

  it('still refuses UPDATE and DELETE on the audit log, and notices rows removed past the marker', async () => {
    await expect(app.db('audit_log').where('seq', 1).delete()).rejects.toThrow(/append-only/);
    await expect(app.db('audit_log').where('seq', 1).update({ actor: 'x' })).rejects.toThrow(/append-only/);
    for (let i = 0; i < 5; i += 1) await appendAudit(app.db, { actor: 'test', action: 'demo-data.added' }, new Date(clock.nowMs()).toISOString());
    await inUse(app, clock, 420);
    await app.retention.purge('system');
    const valid = { markerValid: app.retention.markerValid };
    expect((await verifyAuditChain(app.db, 5000, valid)).firstBreak).toBeUndefined();
    // Somebody removes the first kept entry with the trigger's own permit: the chain breaks.
    const first = (await app.db('audit_log').orderBy('seq').first('seq')) as { seq: number };
    await app.db.transaction(async (tx) => {
      await tx('audit_purge_permit').insert({ through_seq: first.seq });
      await tx('audit_log').where('seq', first.seq).delete();
      await tx('audit_purge_permit').delete();
    });
    expect((await verifyAuditChain(app.db, 5000, valid)).firstBreak?.reason).toBe('marker');
  });

  it('says what is kept and for how long', async () => {
    await app.settings.update({ retentionDays: 30, backupKeep: 7 }, 'test');
    const r = await staff(app, 'supervisor').ok('ops.retention', {});
    const byWhat = Object.fromEntries(r.items.map((i) => [i.what, i]));
    expect(byWhat.resetRequests).toMatchObject({ keptDays: 30 });
    expect(byWhat.attemptRecords).toMatchObject({ keptDays: 30 });
    expect(byWhat.mail).toMatchObject({ keptDays: 30 });
    expect(byWhat.mailSecrets).toMatchObject({ keptDays: 1 });
    expect(byWhat.auditLog).toMatchObject({ keptDays: 400 });
    expect(byWhat.backups).toMatchObject({ keptCount: 7 });
    expect(r.lastPurge).toBeNull();
    await app.retention.purge('system');
    expect((await staff(app, 'supervisor').ok('ops.retention', {})).lastPurge?.at).toBe(new Date(clock.nowMs()).toISOString());
    await expect(app.settings.update({ retentionDays: 1 }, 'test')).rejects.toThrow();
  });
});
