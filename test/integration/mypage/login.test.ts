import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src-main/store/audit-repo';
import { codeAndTokenFrom } from '../../support/mailbox';
import { kiosk } from '../support/test-app';
import { accountRow, auditActions, DEMO, loggedIn, mailTo, startHarness, touch, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  // 3 is the lowest lock threshold settings allow; it keeps the growing delay under a second.
  const s = await h.app.settings.get();
  await h.app.settings.update({ limits: { ...s.limits, maxLoginFailures: 3 } }, 'test');
});
afterEach(() => h.close());

describe('login', () => {
  it('logs in with the demo account and names the contact for the header', async () => {
    const k = kiosk(h.app);
    expect(await k.ok('account.me', {})).toEqual({ loggedIn: false });
    const who = await k.ok('account.login', { jsaId: '１２３４５-６７８９０１', password: DEMO.password });
    expect(who).toEqual({ contactName: '田中 一郎', maskedJsaId: '•••••••8901' });
    expect(await k.ok('account.me', {})).toMatchObject({ loggedIn: true, contactName: '田中 一郎' });
    await k.ok('account.logout', {});
    expect(await k.ok('account.me', {})).toEqual({ loggedIn: false });
  });

  it('gives one answer for an unknown ID and a wrong password', async () => {
    const k = kiosk(h.app);
    expect((await k.call('account.login', { jsaId: '99999999999', password: DEMO.password })).ok).toBe(false);
    const unknown = await k.call('account.login', { jsaId: '99999999999', password: 'x' });
    const wrong = await k.call('account.login', { jsaId: DEMO.jsaId, password: 'wrong password here' });
    expect(unknown).toEqual({ ok: false, error: { code: 'LOGIN_FAILED' } });
    expect(wrong).toEqual({ ok: false, error: { code: 'LOGIN_FAILED' } });
  });

  it('locks after the limit, mails the registered address once, and points to ID 忘れ・パスワード忘れ', async () => {
    const k = kiosk(h.app);
    const codes: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const r = await k.call('account.login', { jsaId: DEMO.jsaId, password: `wrong-${i}` });
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes).toEqual(['LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_LOCKED', 'LOGIN_LOCKED']);
    // Locked means locked: the right password does not get in either.
    expect(await k.call('account.login', { jsaId: DEMO.jsaId, password: DEMO.password })).toEqual({ ok: false, error: { code: 'LOGIN_LOCKED' } });

    const notice = await mailTo(h.mailbox, DEMO.email, /ログインを一時停止/);
    expect(notice.text).toContain('「ID 忘れ・パスワード忘れ」');
    expect(notice.text).toContain('•••••••8901');
    await h.app.mailWorker.drainOnce();
    expect(h.mailbox.mails.filter((m) => /ログインを一時停止/.test(m.subject))).toHaveLength(1);
    expect(await auditActions(h.app, DEMO.jsaId)).toEqual(expect.arrayContaining(['login.password-wrong', 'login.locked']));
  });

  it('lets the customer back in after registering a new password through ID 忘れ・パスワード忘れ', async () => {
    const k = kiosk(h.app);
    for (let i = 0; i < 3; i += 1) await k.call('account.login', { jsaId: DEMO.jsaId, password: `wrong-${i}` });
    await mailTo(h.mailbox, DEMO.email, /ログインを一時停止/);

    h.clock.advance(1000);
    await k.ok('reset.request', { jsaId: DEMO.jsaId, email: DEMO.email });
    const { code, token } = codeAndTokenFrom(await mailTo(h.mailbox, DEMO.email, /パスワード変更権限コード/));
    const { grant } = await k.ok('reset.verifyCode', { token, code });
    const fresh = 'kaede-no-michi-2031';
    await k.ok('reset.complete', { grant, password: fresh, confirm: fresh });

    h.clock.advance(1000);
    expect(await k.ok('account.login', { jsaId: DEMO.jsaId, password: fresh })).toMatchObject({ contactName: '田中 一郎' });
    expect(await auditActions(h.app, DEMO.jsaId)).toContain('login.unlocked');
    // The old failures were guesses at the old password: one new slip does not re-lock.
    expect(await kiosk(h.app).call('account.login', { jsaId: DEMO.jsaId, password: 'nope' })).toEqual({ ok: false, error: { code: 'LOGIN_FAILED' } });
  });

  it('ends a logged-in session when the password is reset elsewhere', async () => {
    const counter = await loggedIn(h.app);
    const other = kiosk(h.app);
    await other.ok('reset.request', { jsaId: DEMO.jsaId, email: DEMO.email });
    const { code, token } = codeAndTokenFrom(await mailTo(h.mailbox, DEMO.email, /パスワード変更権限コード/));
    const { grant } = await other.ok('reset.verifyCode', { token, code });
    await other.ok('reset.complete', { grant, password: 'kaede-no-michi-2031', confirm: 'kaede-no-michi-2031' });
    expect(await counter.ok('account.me', {})).toEqual({ loggedIn: false });
    expect(await counter.call('mypage.profile', {})).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('ends the customer login after the idle time (customerSessionMinutes)', async () => {
    const k = await loggedIn(h.app);
    h.clock.advance(4 * 60_000);
    await touch(h.app, k);
    expect((await k.ok('account.me', {})).loggedIn).toBe(true);
    h.clock.advance(5 * 60_000 + 1);
    await touch(h.app, k);
    expect(await k.ok('account.me', {})).toEqual({ loggedIn: false });
    expect(await k.call('mypage.profile', {})).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect((await accountRow(h.app)).version).toBe(2); // demo insert + password: unchanged by login
    expect((await verifyAuditChain(h.app.db)).firstBreak).toBeUndefined();
  });
});
