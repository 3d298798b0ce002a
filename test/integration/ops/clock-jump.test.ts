import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { auditDetailLabels } from '../../../src-main/contract';
import { appendAudit, verifyAuditChain } from '../../../src-main/store/audit-repo';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { kiosk, manualClock, type ManualClock } from '../support/test-app';
import { startOpsApp, staff } from './ops-support';

const DAY = 86_400_000;
const count = async (app: App, table: string) => Number(((await app.db(table).count<{ n: number }[]>({ n: '*' })) as Array<{ n: number }>)[0]!.n);

describe('a wall clock far ahead for a while (dead RTC battery, bad NTP)', () => {
  let dir: TempDir;
  let app: App;
  let clock: ManualClock;
  beforeEach(async () => {
    dir = await makeTempDir();
    clock = manualClock(Date.parse('2026-05-01T01:00:00Z'));
    app = await startOpsApp({ dataDir: dir.path, clock });
  });
  afterEach(async () => {
    await app.close();
    await dir.remove();
  });

  it('purges nothing and takes no backup 500 days ahead, says clock-implausible, and resumes once the clock is right', async () => {
    await kiosk(app).ok('reset.request', { jsaId: '12345678901', email: 'tanaka@example.co.jp' });
    await kiosk(app).ok('reset.request', { jsaId: '23456789012', email: 'shared@example.co.jp' });
    await app.maintenance.runOnce();
    const backupsBefore = readdirSync(join(dir.path, 'backups'));
    expect(backupsBefore).toHaveLength(1);
    const audit = await count(app, 'audit_log');
    expect((await app.health()).problems).not.toContain('clock-implausible');

    clock.advance(500 * DAY);
    // Something written under the wrong clock (a customer at the counter) does not make it right.
    await kiosk(app).ok('reset.request', { jsaId: '12345678901', email: 'tanaka@example.co.jp' });
    await app.maintenance.runOnce();
    await app.maintenance.runOnce();
    expect(await count(app, 'reset_requests')).toBe(3);
    expect(await count(app, 'limit_events')).toBeGreaterThan(0);
    expect(await count(app, 'mail_outbox')).toBe(3);
    expect(await count(app, 'audit_log')).toBe(audit + 1);
    expect(readdirSync(join(dir.path, 'backups'))).toEqual(backupsBefore);
    expect((await app.health()).problems).toContain('clock-implausible');

    // The clock put right a day after the first start: the daily backup and purge run again.
    clock.advance(-499 * DAY);
    expect((await app.health()).problems).not.toContain('clock-implausible');
    await app.maintenance.runOnce();
    expect(readdirSync(join(dir.path, 'backups'))).toHaveLength(2);
    expect((await staff(app, 'supervisor').ok('ops.retention', {})).lastPurge?.at).toBe(new Date(clock.nowMs()).toISOString());
    expect(await count(app, 'reset_requests')).toBe(3);
    expect((await verifyAuditChain(app.db, 5000, { markerValid: app.retention.markerValid })).firstBreak).toBeUndefined();
  });

  it('counts a backup or purge stamped in the future as not done', async () => {
    await app.maintenance.runOnce();
    // What an earlier version left behind after a start with the clock ahead: a backup and a purge dated 2028.
    writeFileSync(join(dir.path, 'backups', 'webdesk-20280101T000000Z.sqlite3'), 'x');
    await appendAudit(app.db, { actor: 'system', action: 'retention.purged', detail: { at: '2028-01-01T00:00:00.000Z', resetRequests: 0, attemptRecords: 0, mailSecrets: 0, mail: 0, maildropFiles: 0, auditEntries: 0 } }, '2028-01-01T00:00:00.000Z');
    clock.advance(2 * DAY);
    expect((await app.health()).problems).toContain('backup-overdue');
    expect((await app.health()).problems).not.toContain('clock-implausible');
    // The 2028 dates are still shown, flagged, so the screens can say they do not count.
    const sup = staff(app, 'supervisor');
    expect((await app.health()).retention).toEqual({ lastPurgeAt: '2028-01-01T00:00:00.000Z', lastPurgeAhead: true });
    expect((await sup.ok('ops.retention', {})).lastPurgeAhead).toBe(true);
    expect((await sup.ok('ops.backups', {})).items.map((b) => [b.name, b.ahead])).toEqual([
      ['webdesk-20280101T000000Z.sqlite3', true],
      [expect.stringMatching(/^webdesk-20260501T/), false],
    ]);
    await app.maintenance.runOnce();
    const names = readdirSync(join(dir.path, 'backups'));
    expect(names).toHaveLength(3);
    expect((await app.health()).problems).not.toContain('backup-overdue');
    // Once a backup and a purge count again, the figures show those, not 2028.
    const after = await app.health();
    expect(after.backups).toMatchObject({ newestAt: expect.stringMatching(/^2026-05-03T/), newestAhead: false });
    expect(after.retention).toEqual({ lastPurgeAt: new Date(clock.nowMs()).toISOString(), lastPurgeAhead: false });
    expect((await sup.ok('ops.retention', {})).lastPurgeAhead).toBe(false);
    expect(await app.retention.lastPurge(clock.nowMs())).toMatchObject({ at: new Date(clock.nowMs()).toISOString() });
  });

  it('prunes a backup stamped in the future first, not last (it holds personal data like the rest)', async () => {
    await app.settings.update({ backupKeep: 2 }, 'test');
    await app.maintenance.runOnce();
    writeFileSync(join(dir.path, 'backups', 'webdesk-20280101T000000Z.sqlite3'), 'x');
    for (let day = 0; day < 3; day += 1) {
      clock.advance(DAY);
      await app.maintenance.runOnce();
    }
    const names = readdirSync(join(dir.path, 'backups')).sort();
    expect(names).toHaveLength(2);
    expect(names).not.toContain('webdesk-20280101T000000Z.sqlite3');
    expect(names.every((n) => n.startsWith('webdesk-202605'))).toBe(true);
  });

  it('never drops audit entries for a jump, even when an admin purges under the wrong clock', async () => {
    await kiosk(app).ok('reset.request', { jsaId: '12345678901', email: 'tanaka@example.co.jp' });
    await app.maintenance.runOnce();
    const audit = await count(app, 'audit_log');
    clock.advance(500 * DAY);
    // Not without the admin having been shown the clock problem (a screen loaded before it, a bare call).
    const refused = await staff(app, 'admin').call('ops.purgeNow', {});
    expect(refused.ok ? 'ok' : refused.error).toEqual({ code: 'CONFLICT', params: { reason: 'clock-implausible' } });
    expect(await count(app, 'reset_requests')).toBe(1);
    expect(await count(app, 'audit_log')).toBe(audit);
    const health = await app.health();
    expect(health.problems).toContain('clock-implausible');
    expect(health.clock).toEqual({ now: new Date(clock.nowMs()).toISOString(), referenceAt: expect.any(String) });
    expect(clock.nowMs() - Date.parse(health.clock.referenceAt!)).toBeGreaterThan(499 * DAY);
    const report = await staff(app, 'admin').ok('ops.purgeNow', { clockChecked: true });
    // The data past retention by this clock goes (an admin said the clock is right) …
    expect(report.resetRequests).toBe(1);
    // … but the audit log counts the jump as one capped step, not 500 days.
    expect(report.auditEntries).toBe(0);
    expect(await count(app, 'audit_log')).toBe(audit + 1);
    // Support sees that a person let this purge through under a distrusted clock.
    const purged = (await app.db('audit_log').where('action', 'retention.purged').orderBy('seq', 'desc').first('detail_json', 'actor')) as { detail_json: string; actor: string };
    expect(purged.actor).toBe('staff:test-admin');
    expect(JSON.parse(purged.detail_json)).toMatchObject({ clockOverride: true });
    // …in words on 監査ログ, in both languages, as every other figure of the purge.
    const unlabelled = Object.keys(JSON.parse(purged.detail_json) as object).filter((key) => !auditDetailLabels[key]?.ja || !auditDetailLabels[key]?.en);
    expect(unlabelled).toEqual([]);
    // The admin's purge is the new reference: the chores trust the clock again.
    expect((await app.health()).problems).not.toContain('clock-implausible');
  });

  it('drops audit entries once the log itself has aged past auditRetentionDays', async () => {
    await kiosk(app).ok('reset.request', { jsaId: '12345678901', email: 'tanaka@example.co.jp' });
    const audit = await count(app, 'audit_log');
    // A counter in use: the chores run daily (twenty days at a time here) for 420 days.
    for (let day = 0; day < 420; day += 20) {
      await app.maintenance.runOnce();
      clock.advance(20 * DAY);
    }
    await app.maintenance.runOnce();
    expect((await app.health()).problems).not.toContain('clock-implausible');
    const marker = (await app.db('audit_log').where('action', 'audit.purged').orderBy('seq', 'desc').first('detail_json')) as { detail_json: string };
    expect(JSON.parse(marker.detail_json).purged).toBeGreaterThanOrEqual(audit);
  });
});
