// Staff calls sent many times at once over the API, where the screens block a double submit:
// a burst does its work once and answers the rest in words, and never turns a person's own
// right answer against them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import type { CallResult } from '../../../src-main/contract/errors';
import { addLock } from '../../../src-main/store/limits-repo';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { manualClock, startTestApp } from '../support/test-app';
import { addInquiry, readyAdmin, readyStaff, staffClient, STAFF_PASSWORD, type StaffClient } from './staff-support';

let dir: TempDir;
let app: App;

beforeEach(async () => {
  dir = await makeTempDir();
  app = await startTestApp({ dataDir: dir.path, clock: manualClock(), startMailWorker: false });
});
afterEach(async () => {
  await app.close();
  await dir.remove();
});

const BURST = 12;
const NEXT = 'hoshi-no-furu-yoru-2027';
const outcomes = (results: Array<CallResult<unknown>>) => results.map((r) => (r.ok ? 'ok' : r.error.code));
const refusals = (results: Array<CallResult<unknown>>) => results.flatMap((r) => (r.ok ? [] : [r.error]));
const audited = async (action: string, subject: string) =>
  Number(((await app.db('audit_log').where({ action, subject }).count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n);

describe('a staff user sending their own right password in a burst', () => {
  async function suzuki(): Promise<{ desks: StaffClient[]; id: string }> {
    const admin = await readyAdmin(app);
    const desk = await readyStaff(app, admin, 'agent', 'suzuki');
    const tablet = staffClient(app);
    await tablet.ok('staff.login', { username: 'suzuki', password: STAFF_PASSWORD });
    return { desks: [desk, tablet], id: (await desk.ok('staff.me', {})).staffId };
  }

  it.each([
    ['one session', 1],
    ['two sessions', 2],
  ])('changes the password once from %s and tells the rest it was already changed, without a lock', async (_what, sessions) => {
    const { desks, id } = await suzuki();
    const input = { current: STAFF_PASSWORD, next: NEXT, confirm: NEXT };
    const changedBefore = await audited('staff.password-changed', `staff:${id}`);
    const results = await Promise.all(Array.from({ length: BURST }, (_, i) => desks[i % sessions]!.call('staff.changePassword', input)));

    expect(outcomes(results).filter((o) => o === 'ok')).toHaveLength(1);
    expect(refusals(results)).toEqual(Array(BURST - 1).fill({ code: 'CONFLICT', params: { reason: 'password-changed' } }));
    expect(await audited('staff.password-changed', `staff:${id}`)).toBe(changedBefore + 1);
    expect(await audited('staff.password-wrong', `staff:${id}`)).toBe(0);
    expect(await audited('staff.locked', `staff:${id}`)).toBe(0);
    const row = (await app.db('staff_users').where({ id }).first()) as { locked_at: string | null; failed_logins: number };
    expect([row.locked_at, row.failed_logins]).toEqual([null, 0]);
    // The new password logs in.
    await staffClient(app).ok('staff.login', { username: 'suzuki', password: NEXT });
  });
});

describe('an admin taking their own admin role', () => {
  it('is refused with the reason in words, for a role change and for 無効化, and nothing is changed', async () => {
    const admin = await readyAdmin(app);
    const me = await admin.ok('staff.me', {});
    const before = await audited('staff.updated', `staff:${me.staffId}`);
    for (const change of [{ role: 'agent' as const }, { role: 'supervisor' as const }, { disabled: true }]) {
      const refused = await admin.call('staff.users.update', { staffId: me.staffId, ...change });
      expect(refused.ok ? undefined : refused.error).toEqual({ code: 'CONFLICT', params: { reason: 'own-admin' } });
    }
    expect(await admin.ok('staff.me', {})).toMatchObject({ role: 'admin' });
    expect(await audited('staff.updated', `staff:${me.staffId}`)).toBe(before);
  });
});

describe('the same staff call 20 times at once, from one desk and from two', () => {
  const PRESSES = 20;
  const rows = async (table: string, where: Record<string, unknown>) => Number(((await app.db(table).where(where).count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n);
  const from = <T>(desks: StaffClient[], call: (desk: StaffClient) => Promise<CallResult<T>>) => Promise.all(Array.from({ length: PRESSES }, (_, i) => call(desks[i % desks.length]!)));
  async function counter() {
    const admin = await readyAdmin(app);
    const supervisors = [await readyStaff(app, admin, 'supervisor'), await readyStaff(app, admin, 'supervisor')];
    const tanakaId = (await supervisors[0]!.ok('staff.accounts.search', { query: '12345678901' })).items[0]!.accountId;
    return { admin, supervisors, tanakaId, admins: [admin, await readyStaff(app, admin, 'admin')] };
  }

  it.each([1, 2])('取消 from %i desk(s): cancelled once, the others told the request is closed', async (desks) => {
    const { supervisors, tanakaId } = await counter();
    const { requestId } = await supervisors[0]!.ok('staff.reset.send', { accountId: tanakaId, locale: 'ja' });
    const results = await from(supervisors.slice(0, desks), (d) => d.call('staff.reset.cancel', { requestId }));
    expect(outcomes(results).filter((o) => o === 'ok')).toHaveLength(1);
    expect(refusals(results)).toEqual(Array(PRESSES - 1).fill({ code: 'CONFLICT', params: { reason: 'request-closed' } }));
    expect(await rows('audit_log', { action: 'reset.cancelled' })).toBe(1);
  });

  it.each([1, 2])('停止を解除 from %i desk(s) with the screen’s revision: lifted once, audited once', async (desks) => {
    const { supervisors, tanakaId } = await counter();
    await addLock(app.db, tanakaId, 'reset', 'too-many-code-failures', new Date(app.clock.nowMs()).toISOString());
    const seen = await supervisors[0]!.ok('staff.accounts.get', { accountId: tanakaId });
    const results = await from(supervisors.slice(0, desks), (d) => d.call('staff.locks.lift', { accountId: tanakaId, kind: 'reset', reason: '本人確認済み', revision: seen.lockRevisions.reset }));
    expect(outcomes(results)).toEqual(Array(PRESSES).fill('ok'));
    expect(results.reduce((n, r) => n + (r.ok ? r.value.lifted : 0), 0)).toBe(1);
    expect(await rows('audit_log', { action: 'reset.unlocked' })).toBe(1);
  });

  it.each([1, 2])('ロック解除 of a staff user from %i admin desk(s) with the list’s revision: once, the others told the user changed', async (desks) => {
    const { admin, admins } = await counter();
    const { user } = await admin.ok('staff.users.create', { username: 'locked.one', displayName: '施錠 さん', role: 'agent' });
    await app.db('staff_users').where({ id: user.staffId }).update({ locked_at: new Date(app.clock.nowMs()).toISOString(), failed_logins: 10 });
    const listed = (await admin.ok('staff.users.list', {})).items.find((u) => u.staffId === user.staffId)!;
    const results = await from(admins.slice(0, desks), (d) => d.call('staff.users.update', { staffId: user.staffId, unlock: true, revision: listed.revision }));
    expect(outcomes(results).filter((o) => o === 'ok')).toHaveLength(1);
    expect(refusals(results)).toEqual(Array(PRESSES - 1).fill({ code: 'CONFLICT', params: { reason: 'staff-changed' } }));
    expect(await rows('audit_log', { action: 'staff.updated', subject: `staff:${user.staffId}` })).toBe(1);
  });

  it.each([1, 2])('配信不明の解決 from %i desk(s), half 再送 and half 届いた: resolved once, audited once', async (desks) => {
    const { supervisors, tanakaId } = await counter();
    const { requestId } = await supervisors[0]!.ok('staff.reset.send', { accountId: tanakaId, locale: 'ja' });
    const mail = (await app.db('mail_outbox').where({ related_id: requestId }).first()) as { id: string };
    await app.db('mail_outbox').where({ id: mail.id }).update({ state: 'unknown' });
    const results = await Promise.all(
      Array.from({ length: PRESSES }, (_, i) => supervisors[i % desks]!.call('staff.outbox.resolveUnknown', { mailId: mail.id, outcome: i % 2 === 0 ? 'resend' : 'delivered' })),
    );
    expect(outcomes(results)).toEqual(Array(PRESSES).fill('ok'));
    expect(results.filter((r) => r.ok && r.value.resolved)).toHaveLength(1);
    const entries = (await app.db('audit_log').whereIn('action', ['mail.unknown-resent', 'mail.unknown-delivered']).pluck('action')) as string[];
    expect(entries).toHaveLength(1);
    expect(await rows('mail_outbox', { related_id: requestId })).toBe(1);
  });

  it.each([1, 2])('承認 of a 担当者変更 from %i desk(s): the account changed once, its two mails queued once', async (desks) => {
    const { supervisors, tanakaId } = await counter();
    const registered = (await app.db('accounts').where({ id: tanakaId }).first()) as { contact_name: string; phone: string; address: string; company: string; department: string; email: string };
    const inquiryId = await addInquiry(app, {
      kind: 'contact_change',
      data: { address: registered.address, company: registered.company, department: registered.department, predecessorName: registered.contact_name, newContactName: '山本 一郎', phone: registered.phone, email: 'yamamoto@example.co.jp' },
      replyEmail: 'yamamoto@example.co.jp',
    });
    const seen = (await supervisors[0]!.ok('staff.inquiries.get', { inquiryId })).candidates.find((c) => c.account.accountId === tanakaId)!;
    const mailsBefore = Number(((await app.db('mail_outbox').count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n);
    const results = await from(supervisors.slice(0, desks), (d) =>
      d.call('staff.inquiries.decide', { inquiryId, decision: 'approve', accountId: tanakaId, reasonTemplate: 'identity-confirmed', revision: seen.revision }),
    );
    expect(outcomes(results).filter((o) => o === 'ok')).toHaveLength(1);
    expect(refusals(results)).toEqual(Array(PRESSES - 1).fill({ code: 'CONFLICT', params: { reason: 'inquiry-decided' } }));
    expect(await rows('audit_log', { action: 'inquiry.approved' })).toBe(1);
    const mails = (await app.db('mail_outbox').orderBy('id').offset(mailsBefore).pluck('to_address')) as string[];
    // One notice to the old address, one to the new (DESIGN: contact change), not one per press.
    expect(mails.sort()).toEqual([registered.email, 'yamamoto@example.co.jp'].sort());
    expect(await app.db('accounts').where({ id: tanakaId }).first()).toMatchObject({ contact_name: '山本 一郎', email_norm: 'yamamoto@example.co.jp' });
  });
});
