import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { addLock } from '../../../src-main/store/limits-repo';
import { codeAndTokenFrom, startMailbox, type Mailbox } from '../../support/mailbox';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { kiosk, manualClock, startTestApp, type ManualClock } from '../support/test-app';
import { readyAdmin, readyStaff, STAFF_PASSWORD, ADMIN_PASSWORD, type StaffClient } from './staff-support';

let dir: TempDir;
let app: App;
let clock: ManualClock;
let mailbox: Mailbox;
let agent: StaffClient;
let supervisor: StaffClient;
let tanakaId: string;

beforeAll(async () => {
  dir = await makeTempDir();
  mailbox = await startMailbox();
  clock = manualClock();
  app = await startTestApp({ dataDir: dir.path, smtpUrl: mailbox.url, clock });
  const admin = await readyAdmin(app);
  agent = await readyStaff(app, admin, 'agent');
  supervisor = await readyStaff(app, admin, 'supervisor');
  tanakaId = (await agent.ok('staff.accounts.search', { query: '12345678901' })).items[0]!.accountId;
});
afterAll(async () => {
  await app.close();
  await mailbox.close();
  await dir.remove();
});

const NEW_PASSWORD = 'aozora-no-shita-de-2026';

describe('reset on the customer’s behalf', () => {
  it('sends the code to the registered address, living 24 h, and the customer sets a new password with it', async () => {
    const sent = await agent.ok('staff.reset.send', { accountId: tanakaId, locale: 'ja' });
    expect(sent.maskedEmail).toBe('t•••••@example.co.jp');
    expect(Date.parse(sent.expiresAt) - clock.nowMs()).toBe(24 * 3_600_000);
    // The desk learns where the code went and until when, never the code: nothing else comes back.
    // (A pattern like /[0-9A-Z]{10}/ cannot say that: the random tail of a UUIDv7 request id is
    // all digits often enough to fail a CI run.)
    expect(Object.keys(sent).sort()).toEqual(['expiresAt', 'maskedEmail', 'requestId']);
    const mail = await mailbox.next((m) => m.envelopeTo.includes('tanaka@example.co.jp') && m.subject.includes('変更権限コード'), 'code mail');
    expect(mail.text).toContain('有効期限は 24 時間');
    const { code, token } = codeAndTokenFrom(mail);
    expect(JSON.stringify(sent)).not.toContain(code);
    expect(JSON.stringify(sent)).not.toContain(token);

    // The staff views never show the code: the outbox renders it masked.
    const outbox = await agent.ok('staff.outbox.list', {});
    const row = outbox.items.find((m) => m.template === 'reset-code')!;
    // It carries a code with a lifetime: a late resend would arrive expired, and staff are told.
    expect(row.carriesCode).toBe(true);
    expect(outbox.items.filter((m) => m.template === 'password-changed').every((m) => !m.carriesCode)).toBe(true);
    const rendered = await agent.ok('staff.outbox.get', { mailId: row.mailId });
    expect(rendered.text).not.toContain(code);
    expect(rendered.text).not.toContain(token);
    expect(rendered.text).toContain('••••••••••');

    clock.advance(23 * 3_600_000);
    const customer = kiosk(app);
    const verified = await customer.ok('reset.verifyCode', { token, code });
    await customer.ok('reset.complete', { grant: verified.grant, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    await mailbox.next((m) => m.subject.includes('パスワードが変更されました'), 'password changed notice');
    await customer.ok('account.login', { jsaId: '12345678901', password: NEW_PASSWORD });

    const detail = await agent.ok('staff.accounts.get', { accountId: tanakaId });
    expect(detail.requests[0]).toMatchObject({ channel: 'staff', status: 'used' });
    expect(detail.history.map((h) => h.action)).toEqual(expect.arrayContaining(['reset.requested', 'reset.code-verified', 'reset.completed']));
  });

  it('keeps no password or code in any audit entry after a full reset flow', async () => {
    clock.advance(120_000);
    await agent.ok('staff.reset.send', { accountId: tanakaId, locale: 'en' });
    const mail = await mailbox.next((m) => m.subject.includes('authorization code'), 'code mail (en)');
    const { code, token } = codeAndTokenFrom(mail);
    const customer = kiosk(app);
    // A wrong code first, then the right one typed with a hyphen, as on the phone.
    await customer.call('reset.verifyCode', { identifier: '12345678901', code: 'AAAAAAAAAA' });
    const verified = await customer.ok('reset.verifyCode', { identifier: '12345678901', code: `${code.slice(0, 5)}-${code.slice(5)}` });
    const second = 'yuuhi-ga-shizumu-2026';
    await customer.ok('reset.complete', { grant: verified.grant, password: second, confirm: second });
    const rows = (await app.db('audit_log').select('detail_json', 'subject', 'action', 'actor')) as Array<Record<string, string>>;
    const everything = JSON.stringify(rows);
    for (const secret of [code, token, verified.grant, NEW_PASSWORD, second, STAFF_PASSWORD, ADMIN_PASSWORD, app.firstAdmin!.password]) {
      expect(everything, 'audit log').not.toContain(secret);
    }
  });

  it('resends the same code after the cooldown, and cancels a pending request', async () => {
    clock.advance(120_000);
    const sent = await agent.ok('staff.reset.send', { accountId: tanakaId, locale: 'ja' });
    expect(await agent.fails('staff.reset.send', { accountId: tanakaId, locale: 'ja' })).toBe('COOLDOWN');
    const first = codeAndTokenFrom(await mailbox.next((m) => m.subject.includes('変更権限コード'), 'first code mail'));
    const early = await agent.call('staff.reset.resend', { requestId: sent.requestId });
    expect(early.ok ? undefined : early.error.code).toBe('COOLDOWN');
    clock.advance(61_000);
    await agent.ok('staff.reset.resend', { requestId: sent.requestId });
    const again = codeAndTokenFrom(await mailbox.next((m) => m.subject.includes('変更権限コード'), 'resent code mail'));
    expect(again).toEqual(first);

    await agent.ok('staff.reset.cancel', { requestId: sent.requestId });
    const customer = kiosk(app);
    const result = await customer.call('reset.verifyCode', { token: first.token, code: first.code });
    expect(result.ok ? undefined : result.error.code).toBe('CODE_EXPIRED');
    expect(await agent.fails('staff.reset.cancel', { requestId: sent.requestId })).toBe('CONFLICT');
  });

  it('refuses a reset while the reset path is locked; a supervisor unlocks it, an agent may not', async () => {
    clock.advance(120_000);
    await addLock(app.db, tanakaId, 'reset', 'too-many-code-failures', new Date(clock.nowMs()).toISOString());
    await addLock(app.db, tanakaId, 'login', 'too-many-login-failures', new Date(clock.nowMs()).toISOString());
    expect((await agent.ok('staff.accounts.get', { accountId: tanakaId })).account.locks.sort()).toEqual(['login', 'reset']);
    expect(await agent.fails('staff.reset.send', { accountId: tanakaId, locale: 'ja' })).toBe('RESET_LOCKED');
    expect(await agent.fails('staff.locks.lift', { accountId: tanakaId, kind: 'reset' })).toBe('FORBIDDEN');
    expect(await supervisor.ok('staff.locks.lift', { accountId: tanakaId, kind: 'reset', reason: '本人確認済み' })).toEqual({ lifted: 1 });
    expect(await supervisor.ok('staff.locks.lift', { accountId: tanakaId, kind: 'login' })).toEqual({ lifted: 1 });
    // A second desk pressing 解除 for the same lock: nothing lifted, nothing recorded.
    const unlockEntries = () => app.db('audit_log').whereIn('action', ['reset.unlocked', 'login.unlocked']).count({ n: '*' }).first();
    const before = await unlockEntries();
    expect(await supervisor.ok('staff.locks.lift', { accountId: tanakaId, kind: 'reset' })).toEqual({ lifted: 0 });
    expect(await unlockEntries()).toEqual(before);
    await agent.ok('staff.reset.send', { accountId: tanakaId, locale: 'ja' });
    const detail = await agent.ok('staff.accounts.get', { accountId: tanakaId });
    expect(detail.account.locks).toEqual([]);
    expect(detail.locks.every((l) => l.unlockedBy?.startsWith('staff:'))).toBe(true);
  });

  it('lets a supervisor retry a failed mail now, and counts the day on the dashboard', async () => {
    // Let the running worker finish with every queued mail first, so it cannot overwrite the failure set below.
    await app.mailWorker.drainOnce();
    const failed = (await app.db('mail_outbox').orderBy('id', 'desc').first()) as { id: string };
    // A peer's refusal as Postfix words it, naming the recipient.
    await app.db('mail_outbox').where({ id: failed.id }).update({ state: 'failed', last_error: '550 5.1.1 <tanaka@example.co.jp>: Recipient address rejected', attempts: 12 });
    const listed = await agent.ok('staff.outbox.list', { state: 'failed' });
    expect(listed.items[0]).toMatchObject({ mailId: failed.id, lastError: '550 5.1.1 <t***@example.co.jp>: Recipient address rejected', attempts: 12 });
    expect(await agent.fails('staff.outbox.retry', { mailId: failed.id })).toBe('FORBIDDEN');
    expect(await supervisor.ok('staff.outbox.retry', { mailId: failed.id })).toEqual({ queued: true });
    await app.mailWorker.drainOnce();
    expect(((await app.db('mail_outbox').where({ id: failed.id }).first()) as { state: string }).state).toBe('sent');
    // Sent meanwhile: not queued again; a mail that does not exist is not found.
    const retries = () => app.db('audit_log').where({ action: 'mail.retried' }).count({ n: '*' }).first();
    const before = await retries();
    expect(await supervisor.ok('staff.outbox.retry', { mailId: failed.id })).toEqual({ queued: false });
    expect(await supervisor.fails('staff.outbox.retry', { mailId: '01900000-0000-7000-8000-000000000000' })).toBe('NOT_FOUND');
    expect(await retries()).toEqual(before);
    // A failed code mail whose code and link the retention purge dropped (a day on): not sent blank.
    const codeMail = (await app.db('mail_outbox').where({ template: 'reset-code' }).orderBy('id').first()) as { id: string };
    await app.db('mail_outbox').where({ id: codeMail.id }).update({ state: 'failed', secret_params: null });
    expect(await supervisor.call('staff.outbox.retry', { mailId: codeMail.id })).toEqual({ ok: false, error: { code: 'CONFLICT', params: { reason: 'mail-code-gone' } } });
    expect(await app.db('mail_outbox').where({ id: codeMail.id }).first('state')).toEqual({ state: 'failed' });

    const dash = await agent.ok('staff.dashboard', { days: 7 });
    expect(dash.days).toHaveLength(7);
    expect(dash.totals.requests).toBeGreaterThanOrEqual(4);
    expect(dash.totals.completed).toBe(2);
    expect(dash.totals.completionRate).toBeCloseTo(2 / dash.totals.requests);
    // 23 h for the first (the clock moved while the code waited), about 0 for the second.
    expect(dash.totals.medianMinutesToComplete).toBeCloseTo((23 * 60 + 0) / 2, 0);
    expect(dash.days.reduce((n, d) => n + d.byStaff, 0)).toBe(dash.totals.requests);
  });
});
