import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { auditVerifyReport } from '../../../src-main/services/audit-service';
import { csvCell } from '../../../src-main/domain/spreadsheet-cell';
import { appendAudit } from '../../../src-main/store/audit-repo';
import { buildCli } from '../../support/cli-bundle';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { manualClock, startTestApp, type ManualClock } from '../support/test-app';
import { readyAdmin, readyStaff, type StaffClient } from './staff-support';

let dir: TempDir;
let app: App;
let clock: ManualClock;
let admin: StaffClient;
let supervisor: StaffClient;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-07T14:59:59.600Z'), shouldAdvanceTime: true });
  dir = await makeTempDir();
  // The app's own clock, held still: the test's 'today' is the day its entries were stamped,
  // even when the file runs across midnight in Japan (15:00 UTC).
  clock = manualClock();
  app = await startTestApp({ dataDir: dir.path, startMailWorker: false, clock });
  admin = await readyAdmin(app);
  supervisor = await readyStaff(app, admin, 'supervisor');
});
afterEach(async () => {
  await app.close();
  await dir.remove();
});

describe('audit log viewer', () => {
  it('filters by action prefix, actor and subject, pages newest first, and lists the actions', async () => {
    const { settings, revision } = await admin.ok('staff.settings.get', {});
    await admin.ok('staff.settings.update', { settings: { ...settings, supportEmail: 'help@example.jp' }, revision });
    const all = await supervisor.ok('staff.audit.list', { pageSize: 5 });
    expect(all.items).toHaveLength(5);
    expect(all.items[0]!.seq).toBeGreaterThan(all.items[1]!.seq);
    expect(all.actions).toEqual(expect.arrayContaining(['staff.created', 'staff.login', 'settings.changed']));
    const adminId = (await admin.ok('staff.me', {})).staffId;
    const byAdmin = await supervisor.ok('staff.audit.list', { actor: `staff:${adminId}`, action: 'settings.' });
    expect(byAdmin.items.map((i) => [i.action, i.subject])).toEqual([['settings.changed', 'supportEmail']]);
    expect(byAdmin.items[0]!.fields).toEqual([
      { key: 'from', value: 'webdesk@jisa.or.jp' },
      { key: 'to', value: 'help@example.jp' },
    ]);
    // The actor in words, from the staff table at read time.
    expect(byAdmin.items[0]!.actorView).toMatchObject({ kind: 'staff', username: 'admin', disabled: false });
    expect(byAdmin.actors.map((a) => a.username)).toEqual(expect.arrayContaining(['admin']));
    const today = new Date(clock.nowMs() + 9 * 3_600_000).toISOString().slice(0, 10);
    expect((await supervisor.ok('staff.audit.list', { from: today, to: today })).total).toBe(all.total);
    expect((await supervisor.ok('staff.audit.list', { from: '2001-01-01', to: '2001-01-31' })).total).toBe(0);
    // A day that does not exist is the supervisor's typing, not a server error (it was a 500).
    for (const day of ['9999-99-99', '2026-02-30', '2026-13-01']) {
      expect(await supervisor.fails('staff.audit.list', { from: day })).toBe('INVALID_INPUT');
      expect(await supervisor.fails('staff.audit.export', { to: day })).toBe('INVALID_INPUT');
    }
  });

  it('names every actor at read time: 氏名（ユーザー名）, a renamed user by the new name, a disabled one still shown', async () => {
    const agent = await readyStaff(app, admin, 'agent', 'sato');
    const agentId = (await agent.ok('staff.me', {})).staffId;
    // A rename (as an admin's tool or a sync might do) changes what the old entries read.
    await app.db('staff_users').where({ id: agentId }).update({ display_name: '佐藤 花子' });
    await admin.ok('staff.users.update', { staffId: agentId, disabled: true });

    const byName = await supervisor.ok('staff.audit.list', { actorName: 'さとう' });
    expect(byName.total).toBe(0);
    const byKanji = await supervisor.ok('staff.audit.list', { actorName: '佐藤　花子' });
    expect(byKanji.items.map((i) => i.action)).toEqual(expect.arrayContaining(['staff.login', 'staff.password-changed']));
    expect(byKanji.items.every((i) => i.actorView.displayName === '佐藤 花子' && i.actorView.username === 'sato' && i.actorView.disabled)).toBe(true);
    expect((await supervisor.ok('staff.audit.list', { actorName: 'SATO' })).total).toBe(byKanji.total);
    expect((await supervisor.ok('staff.audit.list', { actorName: '誰もいない' })).total).toBe(0);
    expect(byKanji.actors.find((a) => a.username === 'sato')).toMatchObject({ displayName: '佐藤 花子', disabled: true });

    const system = await supervisor.ok('staff.audit.list', { actor: 'system' });
    expect(system.items.every((i) => i.actorView.kind === 'system' && i.actorView.displayName === null)).toBe(true);
    // Subjects are masked by the staff rule: a JSA-ID shows its last four digits.
    await app.db.transaction((tx) => appendAudit(tx, { actor: 'kiosk', action: 'reset.requested', subject: '12345678901', detail: { channel: 'jsa_id' } }, new Date().toISOString()));
    const kiosk = await supervisor.ok('staff.audit.list', { actor: 'kiosk' });
    expect(kiosk.items[0]).toMatchObject({ subject: '•••••••8901', actorView: { kind: 'kiosk' }, fields: [{ key: 'channel', value: 'jsa_id' }] });
  });

  it('exports CSV in UTF-8 with a BOM and CRLF, every cell quoted', async () => {
    await admin.ok('staff.users.create', { username: 'tester', displayName: '=HYPERLINK("x")', role: 'agent' });
    const exported = await supervisor.ok('staff.audit.export', { action: 'staff.' });
    expect(exported.csv.startsWith('\uFEFF"seq","at","actor","actor_name","action","action_label"')).toBe(true);
    // Label and code side by side.
    expect(exported.csv).toMatch(/"staff\.created","スタッフの追加"/);
    expect(exported.csv.split('\r\n').length).toBe(exported.rows + 2);
    expect(exported.filename).toMatch(/^audit-\d{8}T\d{6}\.csv$/);
    expect(exported.csv).not.toMatch(/,"=/);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a"b')).toBe('"a""b"');
    // The export itself is recorded, after the rows it exported.
    expect((await supervisor.ok('staff.audit.list', { action: 'audit.exported' })).total).toBe(1);
  });

  it('verifies the chain, and names the first entry a tamperer changed', async () => {
    expect(await supervisor.ok('staff.audit.verify', {})).toEqual({ checked: expect.any(Number) });
    expect((await auditVerifyReport(app.db)).ok).toBe(true);
    const victim = (await app.db('audit_log').where({ action: 'staff.created' }).orderBy('seq', 'desc').first()) as { seq: number };
    // The append-only trigger must go first: that is what an attacker with the file would do.
    await expect(app.db('audit_log').where({ seq: victim.seq }).update({ actor: 'someone-else' })).rejects.toThrow(/append-only/);
    await app.db.raw('DROP TRIGGER audit_log_no_update');
    await app.db('audit_log').where({ seq: victim.seq }).update({ detail_json: '{"username":"innocent","role":"agent"}' });
    expect(await supervisor.ok('staff.audit.verify', {})).toMatchObject({ firstBreak: { seq: victim.seq, reason: 'hash' } });
    const report = await auditVerifyReport(app.db);
    expect(report).toEqual({ ok: false, line: expect.stringContaining(`chain broken at seq ${victim.seq}`) });

    // The command operators run (`npm run audit:verify`), bundled from the current sources.
    const cli = await buildCli();
    await app.close();
    const run = spawnSync(process.execPath, [cli, 'audit-verify'], { env: { ...process.env, WEBDESK_DATA_DIR: dir.path, WEBDESK_LOG_LEVEL: 'silent' }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`chain broken at seq ${victim.seq}`);
    app = await startTestApp({ dataDir: dir.path, startMailWorker: false });
  });

  it('records 今すぐバックアップ (with the backups it pruned) and the support data export once each, with who did it', async () => {
    const adminId = (await admin.ok('staff.me', {})).staffId;
    const supervisorId = (await supervisor.ok('staff.me', {})).staffId;
    const { settings, revision } = await admin.ok('staff.settings.get', {});
    await admin.ok('staff.settings.update', { settings: { ...settings, backupKeep: 1 }, revision });
    const first = await admin.ok('ops.backupNow', {});
    const second = await admin.ok('ops.backupNow', {});
    const bundle = await supervisor.ok('ops.supportBundle', {});
    const rows = await app.db('audit_log').whereIn('action', ['ops.backup-taken', 'ops.support-bundle-exported']).orderBy('seq');
    expect(rows.map((r: { actor: string; action: string; detail_json: string }) => [r.actor, r.action, JSON.parse(r.detail_json)])).toEqual([
      [`staff:${adminId}`, 'ops.backup-taken', { file: first.name, bytes: first.bytes, pruned: 0 }],
      [`staff:${adminId}`, 'ops.backup-taken', { file: second.name, bytes: second.bytes, pruned: 1 }],
      [`staff:${supervisorId}`, 'ops.support-bundle-exported', { file: bundle.fileName, bytes: bundle.bytes }],
    ]);
  });

  it('lets an admin change settings (validated and audited) and shows the kiosk id read-only', async () => {
    const current = await admin.ok('staff.settings.get', {});
    expect(current.kioskId).toBe(app.config.kioskId);
    const next = { ...current.settings, staffCodeLifetimeHours: 8, passwordPolicy: { ...current.settings.passwordPolicy, minLength: 14 } };
    const saved = await admin.ok('staff.settings.update', { settings: next, revision: current.revision });
    expect(saved.settings.staffCodeLifetimeHours).toBe(8);
    const bad = await admin.call('staff.settings.update', { settings: { ...next, staffCodeLifetimeHours: 48 }, revision: saved.revision });
    expect(bad.ok ? undefined : bad.error.code).toBe('INVALID_INPUT');
    const changed = await supervisor.ok('staff.audit.list', { action: 'settings.changed' });
    expect(changed.items.map((i) => i.subject).sort()).toEqual(['passwordPolicy', 'staffCodeLifetimeHours']);
  });
});
