// Several clerks on one counter at once, each in their own browser, sometimes on the same
// customer: a burst of the same call has exactly one effect, the rest are refused in words,
// and the audit log records what happened, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import type { CallResult } from '../../../src-main/contract/errors';
import { updateAccount } from '../../../src-main/store/accounts-repo';
import { addLock } from '../../../src-main/store/limits-repo';
import { writeSetting } from '../../../src-main/store/settings-repo';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { manualClock, startTestApp, type ManualClock } from '../support/test-app';
import { addInquiry, readyAdmin, readyStaff, STAFF_PASSWORD, staffClient, type StaffClient } from './staff-support';

let dir: TempDir;
let app: App;
let clock: ManualClock;
let agents: StaffClient[];
let admins: StaffClient[];
let tanakaId: string;

beforeAll(async () => {
  dir = await makeTempDir();
  clock = manualClock();
  // The mail worker stays off: the outbox rows are the effects counted here.
  app = await startTestApp({ dataDir: dir.path, clock, startMailWorker: false });
  const admin = await readyAdmin(app);
  admins = [admin, await readyStaff(app, admin, 'admin')];
  agents = [await readyStaff(app, admin, 'agent'), await readyStaff(app, admin, 'agent')];
  tanakaId = (await agents[0]!.ok('staff.accounts.search', { query: '12345678901' })).items[0]!.accountId;
});
afterAll(async () => {
  await app.close();
  await dir.remove();
});

const BURST = 20;
/** The same call from alternating desks, all at once. */
const burst = <T>(call: (desk: StaffClient) => Promise<CallResult<T>>) => Promise.all(Array.from({ length: BURST }, (_, i) => call(agents[i % agents.length]!)));
const outcomes = (results: Array<CallResult<unknown>>) => results.map((r) => (r.ok ? 'ok' : r.error.code));
const rows = async (table: string, where: Record<string, unknown>) => Number(((await app.db(table).where(where).count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n);

describe('two desks on the same customer', () => {
  it('sends one reset when 20 presses of 送信 for the same customer arrive at once; the others wait out the cooldown', async () => {
    const results = await burst((desk) => desk.call('staff.reset.send', { accountId: tanakaId, locale: 'ja' }));
    expect(outcomes(results).filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes(results).filter((o) => o !== 'ok')).toEqual(Array(BURST - 1).fill('COOLDOWN'));
    expect(await rows('reset_requests', { account_id: tanakaId })).toBe(1);
    expect(await rows('mail_outbox', { template: 'reset-code' })).toBe(1);
    expect(await rows('audit_log', { action: 'reset.requested' })).toBe(1);
  });

  it('resends once when 20 presses of 再送 for the same request arrive at once', async () => {
    clock.advance(120_000);
    const request = (await app.db('reset_requests').where({ account_id: tanakaId, status: 'pending' }).first()) as { id: string };
    const results = await burst((desk) => desk.call('staff.reset.resend', { requestId: request.id }));
    expect(outcomes(results).filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes(results).filter((o) => o !== 'ok')).toEqual(Array(BURST - 1).fill('COOLDOWN'));
    expect(await rows('mail_outbox', { related_id: request.id })).toBe(2);
    expect(await rows('audit_log', { action: 'reset.resent' })).toBe(1);
  });

  it('queues no resend after another desk cancelled the request, when 再送 and 取消 are pressed at once', async () => {
    clock.advance(120_000);
    const request = (await app.db('reset_requests').where({ account_id: tanakaId, status: 'pending' }).first()) as { id: string };
    const mailsBefore = await rows('mail_outbox', { related_id: request.id });
    const [cancelled, resent] = await Promise.all([
      agents[0]!.call('staff.reset.cancel', { requestId: request.id }),
      agents[1]!.call('staff.reset.resend', { requestId: request.id }),
    ]);
    expect(cancelled.ok).toBe(true);
    const order = ((await app.db('audit_log').whereIn('action', ['reset.cancelled', 'reset.resent']).orderBy('seq')) as Array<{ action: string }>).map((r) => r.action);
    if (resent.ok) {
      // Queued first, then cancelled: allowed (the mail's code is dead, and the cancel says so).
      expect(order.slice(-2)).toEqual(['reset.resent', 'reset.cancelled']);
      expect(await rows('mail_outbox', { related_id: request.id })).toBe(mailsBefore + 1);
    } else {
      // Cancelled first: the stale 再送 is refused, and no mail with a dead code is queued.
      expect(resent.error).toEqual({ code: 'CONFLICT', params: { reason: 'request-closed' } });
      expect(order.at(-1)).toBe('reset.cancelled');
      expect(await rows('mail_outbox', { related_id: request.id })).toBe(mailsBefore);
    }
  });
});

describe('a desk whose screen is older than another desk’s action', () => {
  it('refuses 再送 and 取消 on a request another desk cancelled, saying it is closed, not that a code expired', async () => {
    clock.advance(120_000);
    const sent = await agents[0]!.ok('staff.reset.send', { accountId: tanakaId, locale: 'ja' });
    clock.advance(120_000);
    await agents[0]!.ok('staff.reset.cancel', { requestId: sent.requestId });
    const mails = await rows('mail_outbox', { related_id: sent.requestId });
    // The second desk still shows the request as 未使用 and presses its buttons.
    const resent = await agents[1]!.call('staff.reset.resend', { requestId: sent.requestId });
    const cancelled = await agents[1]!.call('staff.reset.cancel', { requestId: sent.requestId });
    expect([resent.ok ? undefined : resent.error, cancelled.ok ? undefined : cancelled.error]).toEqual([
      { code: 'CONFLICT', params: { reason: 'request-closed' } },
      { code: 'CONFLICT', params: { reason: 'request-closed' } },
    ]);
    expect(await rows('mail_outbox', { related_id: sent.requestId })).toBe(mails);
    expect(await rows('audit_log', { action: 'reset.cancelled' })).toBe(2);
  });

  it('refuses 停止を解除 from a screen that showed an older lock, and keeps the lock the customer set since until it is seen', async () => {
    const now = () => new Date(clock.nowMs()).toISOString();
    await addLock(app.db, tanakaId, 'reset', 'too-many-code-failures', now());
    const deskA = await admins[0]!.ok('staff.accounts.get', { accountId: tanakaId });
    const deskB = await admins[1]!.ok('staff.accounts.get', { accountId: tanakaId });
    expect(await admins[1]!.ok('staff.locks.lift', { accountId: tanakaId, kind: 'reset', revision: deskB.lockRevisions.reset })).toEqual({ lifted: 1 });
    // The customer fails 10 more times at the kiosk: a new lock.
    clock.advance(60_000);
    await addLock(app.db, tanakaId, 'reset', 'too-many-code-failures', now());
    const unlocks = await rows('audit_log', { action: 'reset.unlocked' });
    const stale = await admins[0]!.call('staff.locks.lift', { accountId: tanakaId, kind: 'reset', revision: deskA.lockRevisions.reset });
    expect(stale.ok ? undefined : stale.error).toEqual({ code: 'CONFLICT', params: { reason: 'lock-changed' } });
    const reloaded = await admins[0]!.ok('staff.accounts.get', { accountId: tanakaId });
    expect(reloaded.account.locks).toEqual(['reset']);
    expect(await rows('audit_log', { action: 'reset.unlocked' })).toBe(unlocks);
    // From the screen as it is now, the new lock is lifted.
    expect(await admins[0]!.ok('staff.locks.lift', { accountId: tanakaId, kind: 'reset', revision: reloaded.lockRevisions.reset })).toEqual({ lifted: 1 });
  });
});

describe('a customer whose registered address changed while a desk had them open', () => {
  it('refuses 送信 from the older screen in words and sends nothing; from the screen as it is now the code goes to the new address', async () => {
    clock.advance(120_000);
    const seen = await agents[0]!.ok('staff.accounts.get', { accountId: tanakaId });
    // Another desk approves a 担当者変更 (or the customer changes it on マイページ) meanwhile.
    await app.db.transaction((tx) => updateAccount(tx, tanakaId, { email: 'suzuki@example.co.jp', email_norm: 'suzuki@example.co.jp', contact_name: '鈴木 花子' }, new Date(clock.nowMs()).toISOString()));
    const requestsBefore = await rows('reset_requests', { account_id: tanakaId });
    const stale = await agents[0]!.call('staff.reset.send', { accountId: tanakaId, locale: 'ja', revision: seen.revision });
    expect(stale.ok ? undefined : stale.error).toEqual({ code: 'CONFLICT', params: { reason: 'account-changed' } });
    expect(await rows('reset_requests', { account_id: tanakaId })).toBe(requestsBefore);
    const now = await agents[0]!.ok('staff.accounts.get', { accountId: tanakaId });
    expect(now.account.contactName).toBe('鈴木 花子');
    const sent = await agents[0]!.ok('staff.reset.send', { accountId: tanakaId, locale: 'ja', revision: now.revision });
    expect(sent.maskedEmail).toBe(now.account.maskedEmail);
    expect(((await app.db('mail_outbox').where({ related_id: sent.requestId }).first()) as { to_address: string }).to_address).toBe('suzuki@example.co.jp');
  });
});

describe('two supervisors on the same 本人確認の依頼', () => {
  it('decides once when 10 decisions arrive at once; the others and a later stale one are told it was decided', async () => {
    const supervisors = [await readyStaff(app, admins[0]!, 'supervisor'), await readyStaff(app, admins[0]!, 'supervisor')];
    const inquiryId = await addInquiry(app, { kind: 'jsa_id_unknown', data: { address: '東京都港区芝公園1-1-1', company: '株式会社サンプル商事', department: '総務部', name: '田中 一郎', phone: '03-1234-5678' }, replyEmail: 'asker@example.jp' });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => supervisors[i % 2]!.call('staff.inquiries.decide', { inquiryId, decision: 'refuse', reasonTemplate: 'insufficient-information', reasonText: '' })),
    );
    expect(outcomes(results).filter((o) => o === 'ok')).toHaveLength(1);
    const decided = { code: 'CONFLICT', params: { reason: 'inquiry-decided' } };
    for (const refused of results.filter((r) => !r.ok)) expect(refused.error).toEqual(decided);
    const stale = await supervisors[0]!.call('staff.inquiries.decide', { inquiryId, decision: 'refuse', reasonTemplate: 'other', reasonText: '' });
    expect(stale.ok ? undefined : stale.error).toEqual(decided);
    expect(await rows('audit_log', { action: 'inquiry.refused' })).toBe(1);
  });
});

describe('two 担当者変更 for one account at two desks', () => {
  it('refuses to approve from a screen older than the other desk’s approved change, and leaves the account as that desk set it', async () => {
    const supervisors = [await readyStaff(app, admins[0]!, 'supervisor'), await readyStaff(app, admins[0]!, 'supervisor')];
    const registered = (await app.db('accounts').where({ id: tanakaId }).first()) as { contact_name: string; phone: string; address: string; company: string; department: string };
    const change = (name: string, email: string) =>
      addInquiry(app, {
        kind: 'contact_change',
        data: { address: registered.address, company: registered.company, department: registered.department, predecessorName: registered.contact_name, newContactName: name, phone: registered.phone, email },
        replyEmail: email,
      });
    const first = await change('山本 一郎', 'yamamoto@example.co.jp');
    const second = await change('小林 二郎', 'kobayashi@example.co.jp');
    const seenA = (await supervisors[0]!.ok('staff.inquiries.get', { inquiryId: first })).candidates.find((c) => c.account.accountId === tanakaId)!;
    const seenB = (await supervisors[1]!.ok('staff.inquiries.get', { inquiryId: second })).candidates.find((c) => c.account.accountId === tanakaId)!;
    await supervisors[0]!.ok('staff.inquiries.decide', { inquiryId: first, decision: 'approve', accountId: tanakaId, reasonTemplate: 'identity-confirmed', revision: seenA.revision });
    // B checked the caller against 鈴木's contact; the account is 山本's now.
    const stale = await supervisors[1]!.call('staff.inquiries.decide', { inquiryId: second, decision: 'approve', accountId: tanakaId, reasonTemplate: 'identity-confirmed', revision: seenB.revision });
    expect(stale.ok ? undefined : stale.error).toEqual({ code: 'CONFLICT', params: { reason: 'candidate-changed' } });
    expect(await app.db('accounts').where({ id: tanakaId }).first()).toMatchObject({ contact_name: '山本 一郎', email_norm: 'yamamoto@example.co.jp' });
    expect((await supervisors[1]!.ok('staff.inquiries.get', { inquiryId: second })).inquiry.status).toBe('open');
    expect(await rows('mail_outbox', { to_address: 'kobayashi@example.co.jp' })).toBe(0);
  });
});

describe('two desks on the same mail', () => {
  it('records one retry of a failed mail when 20 presses of 再送 arrive at once', async () => {
    // A request still open: its code mail is worth sending again.
    clock.advance(120_000);
    const { requestId } = await agents[0]!.ok('staff.reset.send', { accountId: tanakaId, locale: 'ja' });
    const mail = (await app.db('mail_outbox').where({ template: 'reset-code', related_id: requestId }).first()) as { id: string };
    // Failed for good after its attempts (the worker is off here, so the row is set so).
    await app.db('mail_outbox').where({ id: mail.id }).update({ state: 'failed' });
    const auditBefore = await rows('audit_log', { action: 'mail.retried' });
    const results = await Promise.all(Array.from({ length: BURST }, (_, i) => admins[i % 2]!.call('staff.outbox.retry', { mailId: mail.id })));
    // Each desk is told the mail is queued (it is, and due now); only the first made it so.
    expect(results.map((r) => (r.ok ? r.value.queued : r.error.code))).toEqual(Array(BURST).fill(true));
    expect(await rows('audit_log', { action: 'mail.retried' })).toBe(auditBefore + 1);
  });

  it('sends no failed code mail again once its request is closed: 再送 from the older outbox screen is refused in words', async () => {
    clock.advance(120_000);
    const { requestId } = await agents[0]!.ok('staff.reset.send', { accountId: tanakaId, locale: 'ja' });
    const mail = (await app.db('mail_outbox').where({ template: 'reset-code', related_id: requestId }).first()) as { id: string };
    await app.db('mail_outbox').where({ id: mail.id }).update({ state: 'failed' });
    // Another desk cancels the request while the outbox screen still lists the failed mail.
    await agents[1]!.ok('staff.reset.cancel', { requestId });
    const auditBefore = await rows('audit_log', { action: 'mail.retried' });
    const retried = await admins[0]!.call('staff.outbox.retry', { mailId: mail.id });
    expect(retried.ok ? undefined : retried.error).toEqual({ code: 'CONFLICT', params: { reason: 'mail-code-closed' } });
    expect(await app.db('mail_outbox').where({ id: mail.id }).first()).toMatchObject({ state: 'failed' });
    expect(await rows('audit_log', { action: 'mail.retried' })).toBe(auditBefore);
  });
});

describe('two admins on the same staff user', () => {
  const auditOf = async (staffId: string) =>
    ((await app.db('audit_log').where({ action: 'staff.updated', subject: `staff:${staffId}` }).orderBy('seq')) as Array<{ detail_json: string }>).map((r) => JSON.parse(r.detail_json) as Record<string, unknown>);

  it('adds one user when two admins add the same ユーザー名 at once; the others are told the name is taken', async () => {
    const createdBefore = await rows('audit_log', { action: 'staff.created' });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => admins[i % 2]!.call('staff.users.create', { username: 'same.name', displayName: '同名 さん', role: 'agent' })));
    expect(outcomes(results).filter((o) => o === 'ok')).toHaveLength(1);
    for (const refused of results.filter((r) => !r.ok)) expect(refused.error).toEqual({ code: 'CONFLICT', fields: [{ field: 'username', code: 'staff.usernameTaken' }] });
    expect(await rows('staff_users', { username: 'same.name' })).toBe(1);
    expect(await rows('audit_log', { action: 'staff.created' })).toBe(createdBefore + 1);
  });

  it('issues one one-time password when two admins press パスワード再発行 at once; the other is refused and issues none', async () => {
    const { user } = await admins[0]!.ok('staff.users.create', { username: 'reissue.me', displayName: '再発行 さん', role: 'agent' });
    const listed = (await admins[1]!.ok('staff.users.list', {})).items.find((u) => u.staffId === user.staffId)!;
    const results = await Promise.all(admins.map((admin) => admin.call('staff.users.resetPassword', { staffId: user.staffId, revision: listed.revision })));
    // Two passwords would leave the first admin handing out one that no longer works.
    expect(outcomes(results).sort()).toEqual(['CONFLICT', 'ok']);
    for (const refused of results.filter((r) => !r.ok)) expect(refused.error).toEqual({ code: 'CONFLICT', params: { reason: 'staff-changed' } });
    expect(await rows('audit_log', { action: 'staff.password-reset', subject: `staff:${user.staffId}` })).toBe(1);
    // The one shown works.
    const issued = results.find((r) => r.ok)!;
    const desk = staffClient(app);
    await desk.ok('staff.login', { username: 'reissue.me', password: issued.ok ? issued.value.oneTimePassword : '' });
  });

  it('records one 無効化 when two admins press it 20 times at once', async () => {
    const { user } = await admins[0]!.ok('staff.users.create', { username: 'burst-disable', displayName: '無効 さん', role: 'agent' });
    const results = await Promise.all(Array.from({ length: BURST }, (_, i) => admins[i % 2]!.call('staff.users.update', { staffId: user.staffId, disabled: true })));
    // Each answer is the user as it is now (disabled); only the first changed anything.
    expect(outcomes(results)).toEqual(Array(BURST).fill('ok'));
    expect(await auditOf(user.staffId)).toEqual([{ disabled: true }]);
  });

  it('records one ログインを終了 when two admins press it 20 times at once; the logins end once', async () => {
    const agent = await readyStaff(app, admins[0]!, 'agent', 'burst-sessions');
    const { staffId } = await agent.ok('staff.me', {});
    const tablet = staffClient(app);
    await tablet.ok('staff.login', { username: 'burst-sessions', password: STAFF_PASSWORD });
    const results = await Promise.all(Array.from({ length: BURST }, (_, i) => admins[i % 2]!.call('staff.users.endSessions', { staffId })));
    expect(outcomes(results)).toEqual(Array(BURST).fill('ok'));
    // Both logins ended by the first press; the others found none left.
    expect(results.reduce((n, r) => n + (r.ok ? r.value.ended : 0), 0)).toBe(2);
    expect(await agent.fails('staff.me', {})).toBe('UNAUTHENTICATED');
    expect(await rows('audit_log', { action: 'staff.sessions-ended', subject: `staff:${staffId}` })).toBe(1);
  });

  it('refuses ロック解除 and a role change from a list older than another admin’s change, and keeps what that admin set', async () => {
    const { user } = await admins[0]!.ok('staff.users.create', { username: 'stale.list', displayName: '古い 一覧', role: 'agent' });
    const lockNow = () => app.db('staff_users').where({ id: user.staffId }).update({ locked_at: new Date(clock.nowMs()).toISOString(), failed_logins: 10 });
    await lockNow();
    const listA = (await admins[0]!.ok('staff.users.list', {})).items.find((u) => u.staffId === user.staffId)!;
    const listB = (await admins[1]!.ok('staff.users.list', {})).items.find((u) => u.staffId === user.staffId)!;
    expect(listA.locked).toBe(true);
    await admins[1]!.ok('staff.users.update', { staffId: user.staffId, unlock: true, revision: listB.revision });
    // Someone guesses at the user's password again: a new lock, which A's list does not show.
    clock.advance(60_000);
    await lockNow();
    const updates = await rows('audit_log', { action: 'staff.updated', subject: `staff:${user.staffId}` });
    const staleUnlock = await admins[0]!.call('staff.users.update', { staffId: user.staffId, unlock: true, revision: listA.revision });
    expect(staleUnlock.ok ? undefined : staleUnlock.error).toEqual({ code: 'CONFLICT', params: { reason: 'staff-changed' } });
    // B makes the user an admin; A, still on the old list, picks 責任者 for the agent it shows.
    const now = (await admins[1]!.ok('staff.users.list', {})).items.find((u) => u.staffId === user.staffId)!;
    await admins[1]!.ok('staff.users.update', { staffId: user.staffId, role: 'admin', unlock: true, revision: now.revision });
    const staleRole = await admins[0]!.call('staff.users.update', { staffId: user.staffId, role: 'supervisor', revision: listA.revision });
    expect(staleRole.ok ? undefined : staleRole.error).toEqual({ code: 'CONFLICT', params: { reason: 'staff-changed' } });
    const after = (await admins[0]!.ok('staff.users.list', {})).items.find((u) => u.staffId === user.staffId)!;
    expect([after.role, after.locked]).toEqual(['admin', false]);
    expect(await rows('audit_log', { action: 'staff.updated', subject: `staff:${user.staffId}` })).toBe(updates + 1);
  });

  it('records each role change from the role it really replaced when two admins change it at once', async () => {
    const { user } = await admins[0]!.ok('staff.users.create', { username: 'burst-role', displayName: '役割 さん', role: 'agent' });
    const [a, b] = await Promise.all([
      admins[0]!.call('staff.users.update', { staffId: user.staffId, role: 'supervisor' }),
      admins[1]!.call('staff.users.update', { staffId: user.staffId, role: 'admin' }),
    ]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    const entries = (await auditOf(user.staffId)).map((d) => d.role as { from: string; to: string });
    expect(entries).toHaveLength(2);
    // A chain: the second entry starts where the first ended, and ends at the role stored.
    expect(entries[0]!.from).toBe('agent');
    expect(entries[1]!.from).toBe(entries[0]!.to);
    const stored = (await admins[0]!.ok('staff.users.list', {})).items.find((u) => u.staffId === user.staffId)!;
    expect(stored.role).toBe(entries[1]!.to);
  });
});

describe('two admins on 設定 at once', () => {
  it('refuses a save made on a screen loaded before another admin saved, and keeps the other admin’s change', async () => {
    const [first, second] = admins as [StaffClient, StaffClient];
    const seenByFirst = await first.ok('staff.settings.get', {});
    const seenBySecond = await second.ok('staff.settings.get', {});
    const saved = await second.ok('staff.settings.update', { settings: { ...seenBySecond.settings, idleTimeoutSeconds: 77 }, revision: seenBySecond.revision });
    expect(saved.revision).not.toBe(seenBySecond.revision);
    // The first admin's screen still shows the old idle time: saving it as a whole put 180 back.
    const stale = await first.call('staff.settings.update', { settings: { ...seenByFirst.settings, supportEmail: 'desk-one@example.jp' }, revision: seenByFirst.revision });
    expect(stale.ok ? undefined : stale.error).toEqual({ code: 'CONFLICT', params: { reason: 'settings-changed' } });
    const now = await first.ok('staff.settings.get', {});
    expect(now.settings.idleTimeoutSeconds).toBe(77);
    expect(now.settings.supportEmail).toBe(seenByFirst.settings.supportEmail);
    expect(now.revision).toBe(saved.revision);
    // Made again on the reloaded screen, the first admin's change is kept beside the second's.
    await first.ok('staff.settings.update', { settings: { ...now.settings, supportEmail: 'desk-one@example.jp' }, revision: now.revision });
    const both = (await second.ok('staff.settings.get', {})).settings;
    expect([both.idleTimeoutSeconds, both.supportEmail]).toEqual([77, 'desk-one@example.jp']);
  });

  it('shows the values `settings-set` wrote from another process right after refusing a save made before them', async () => {
    const seen = await admins[0]!.ok('staff.settings.get', {});
    // The command line writes the store beside the running counter (its own process).
    await writeSetting(app.db, 'idleTimeoutSeconds', 99, 'cli', new Date(clock.nowMs()).toISOString());
    const stale = await admins[0]!.call('staff.settings.update', { settings: { ...seen.settings, staffCodeLifetimeHours: 6 }, revision: seen.revision });
    expect(stale.ok ? undefined : stale.error).toEqual({ code: 'CONFLICT', params: { reason: 'settings-changed' } });
    // The reloaded screen has the store's values at once, not the counter's copy of a moment ago,
    // so the admin's second save is not refused again.
    const reloaded = await admins[0]!.ok('staff.settings.get', {});
    expect(reloaded.settings.idleTimeoutSeconds).toBe(99);
    await admins[0]!.ok('staff.settings.update', { settings: { ...reloaded.settings, staffCodeLifetimeHours: 6 }, revision: reloaded.revision });
  });

  it('saves once when 20 saves from the same screen arrive at once; the rest are refused as stale', async () => {
    const seen = await admins[0]!.ok('staff.settings.get', {});
    const auditBefore = await rows('audit_log', { action: 'settings.changed' });
    const results = await Promise.all(
      Array.from({ length: BURST }, (_, i) => admins[i % 2]!.call('staff.settings.update', { settings: { ...seen.settings, idleTimeoutSeconds: 100 + i }, revision: seen.revision })),
    );
    expect(outcomes(results).filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes(results).filter((o) => o !== 'ok')).toEqual(Array(BURST - 1).fill('CONFLICT'));
    expect(await rows('audit_log', { action: 'settings.changed' })).toBe(auditBefore + 1);
  });
});

describe('two admins on 初期設定 at once', () => {
  it('refuses a save of a value another admin saved since the screen was loaded, and keeps theirs', async () => {
    const [first, second] = admins as [StaffClient, StaffClient];
    const seenByFirst = await first.ok('ops.setup.get', {});
    const seenBySecond = await second.ok('ops.setup.get', {});
    await second.ok('ops.setup.save', { kioskId: 'desk-b', revision: seenBySecond.revision });
    const stale = await first.call('ops.setup.save', { kioskId: 'desk-a', revision: seenByFirst.revision });
    expect(stale.ok ? undefined : stale.error).toEqual({ code: 'CONFLICT', params: { reason: 'settings-changed' } });
    const now = await first.ok('ops.setup.get', {});
    expect(now.kioskId.value).toBe('desk-b');
    await first.ok('ops.setup.save', { kioskId: 'desk-a', revision: now.revision });
    expect((await second.ok('ops.setup.get', {})).kioskId.value).toBe('desk-a');
  });

  it('saves once when 20 saves from the same 初期設定 screen arrive at once', async () => {
    const seen = await admins[0]!.ok('ops.setup.get', {});
    const auditBefore = await rows('audit_log', { action: 'ops.setup.saved' });
    const results = await Promise.all(Array.from({ length: BURST }, (_, i) => admins[i % 2]!.call('ops.setup.save', { kioskId: `desk-${i}`, revision: seen.revision })));
    expect(outcomes(results).filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes(results).filter((o) => o !== 'ok')).toEqual(Array(BURST - 1).fill('CONFLICT'));
    expect(await rows('audit_log', { action: 'ops.setup.saved' })).toBe(auditBefore + 1);
  });
});
