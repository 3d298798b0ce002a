// The seed's reset flow end to end through the contract (app.dispatch), with the real store,
// the real outbox worker and a real SMTP peer the codes are read from (DESIGN §1, §6, §8).
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { DEMO_PASSWORD } from '../../src-main/app/demo-data';
import { formatCode } from '../../src-main/domain/reset-code';
import type { Clock } from '../../src-main/services/clock';
import type { AccountRow } from '../../src-main/store/accounts-repo';
import type { MailRow } from '../../src-main/store/mail-outbox-repo';
import { codeAndTokenFrom, startMailbox, type Mailbox, type ReceivedMail } from '../support/mailbox';
import { freePort } from '../support/net';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';
import { addAccount, kiosk, manualClock, startTestApp, type Kiosk } from './support/test-app';

// Demo accounts createApp adds to an empty store (README): one plain, two on a shared address.
const TANAKA = { jsaId: '12345678901', email: 'tanaka@example.co.jp' };
const SHARED = 'shared@example.co.jp';
const NEW_PASSWORD = 'Kumo-Hana-Tsuki-2026';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

interface Counter {
  app: App;
  mailbox: Mailbox;
  dataDir: string;
  kiosk: Kiosk;
}

/** A fresh data folder, a live SMTP peer and the app wired to both. */
async function counter(options: { clock?: Clock } = {}): Promise<Counter> {
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  const mailbox = await startMailbox();
  cleanups.push(mailbox.close);
  const app = await startTestApp({ dataDir: dir.path, smtpUrl: mailbox.url, clock: options.clock });
  cleanups.push(() => app.close());
  return { app, mailbox, dataDir: dir.path, kiosk: kiosk(app) };
}

const isCodeMail = (to: string) => (m: ReceivedMail) => m.envelopeTo.includes(to) && m.subject.includes('パスワード変更権限コード');
const isSubject = (to: string, subject: string) => (m: ReceivedMail) => m.envelopeTo.includes(to) && m.subject.includes(subject);

/** 「サポートメール依頼」 and the code mail it sends, read from the SMTP peer. */
async function requestCode(c: Counter, jsaId: string, email: string) {
  expect(await c.kiosk.call('reset.request', { jsaId, email, locale: 'ja' })).toEqual({ ok: true, value: { status: 'accepted' } });
  const mail = await c.mailbox.next(isCodeMail(email), `the code mail to ${email}`);
  return { mail, ...codeAndTokenFrom(mail) };
}

const wrongCodeFor = (code: string) => (code === 'ZZZZZZZZZZ' ? 'YYYYYYYYYY' : 'ZZZZZZZZZZ');

async function setLimits(app: App, limits: Partial<Awaited<ReturnType<App['settings']['get']>>['limits']>): Promise<void> {
  const current = await app.settings.get();
  await app.settings.update({ limits: { ...current.limits, ...limits } }, 'staff:test');
}

const outbox = (app: App) => app.db<MailRow>('mail_outbox').orderBy('created_at').orderBy('id');
const account = (app: App, jsaId: string) => app.db<AccountRow>('accounts').where({ jsa_id: jsaId }).first() as Promise<AccountRow>;

describe('reset by JSA-ID and email (the seed’s main path)', () => {
  it('mails a code and a /reset/<token> link; token + code, a new password, a notice mail, and login works', async () => {
    const c = await counter();
    const { mail, code, token } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    expect(mail.subject).toBe('【JSA Webdesk】パスワード変更権限コードのお知らせ');
    expect(mail.text).toContain('田中 一郎 様');
    expect(mail.text).toContain(`/reset/${token}`);
    expect(mail.from).toContain('webdesk@jisa.or.jp');

    const verified = await c.kiosk.ok('reset.verifyCode', { token, code });
    expect(verified.maskedJsaId).toBe('•••••••8901');
    expect(verified.policy.minLength).toBe(12);

    const weak = await c.kiosk.ok('reset.checkPassword', { grant: verified.grant, password: 'tanaka123' });
    expect(weak.items.filter((i) => !i.ok).map((i) => i.rule)).toEqual(['minLength', 'notPersonal']);
    const strong = await c.kiosk.ok('reset.checkPassword', { grant: verified.grant, password: NEW_PASSWORD });
    expect(strong.items.every((i) => i.ok)).toBe(true);

    expect(await c.kiosk.call('reset.complete', { grant: verified.grant, password: NEW_PASSWORD, confirm: NEW_PASSWORD })).toEqual({
      ok: true,
      value: { done: true, maskedJsaId: '•••••••8901' },
    });
    const notice = await c.mailbox.next(isSubject(TANAKA.email, 'パスワードが変更されました'), 'the notice mail');
    expect(notice.text).toContain('•••••••8901');
    expect(notice.text).not.toContain(code);

    const stored = await account(c.app, TANAKA.jsaId);
    expect(await c.app.hasher.verify(NEW_PASSWORD, stored.password_hash!)).toBe(true);
    expect(await c.app.hasher.verify(DEMO_PASSWORD, stored.password_hash!)).toBe(false);
    expect(await c.kiosk.call('account.login', { jsaId: TANAKA.jsaId, password: NEW_PASSWORD })).toEqual({
      ok: true,
      value: { contactName: '田中 一郎', maskedJsaId: '•••••••8901' },
    });
    expect(await c.kiosk.call('reset.complete', { grant: verified.grant, password: NEW_PASSWORD, confirm: NEW_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'GRANT_INVALID' },
    });
  });

  it('accepts the code as a customer types it: lower case, full width, grouped with a hyphen', async () => {
    const c = await counter();
    const { code, token } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    const typed = formatCode(code)
      .toLowerCase()
      .replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    expect((await c.kiosk.call('reset.verifyCode', { token, code: typed })).ok).toBe(true);
  });

  it('ends the account’s other logged-in sessions when the password changes', async () => {
    const c = await counter();
    const elsewhere = kiosk(c.app);
    await elsewhere.ok('account.login', { jsaId: TANAKA.jsaId, password: DEMO_PASSWORD });
    expect(await elsewhere.ok('account.me', {})).toMatchObject({ loggedIn: true });
    const { code, token } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    const { grant } = await c.kiosk.ok('reset.verifyCode', { token, code });
    await c.kiosk.ok('reset.complete', { grant, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(await elsewhere.ok('account.me', {})).toEqual({ loggedIn: false });
  });

  it('accepts a JSA-ID typed in full-width digits with spaces and hyphens', async () => {
    const c = await counter();
    await requestCode(c, '１２３４－５６７８ ９０１', TANAKA.email);
  });

  it('rejects a 10-digit JSA-ID with the digit count', async () => {
    const c = await counter();
    expect(await c.kiosk.call('reset.request', { jsaId: '１２３４５６７８９０', email: TANAKA.email, locale: 'ja' })).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: [{ field: 'jsaId', code: 'jsaId.length', params: { digits: 10 } }] },
    });
    expect(await outbox(c.app)).toEqual([]);
  });
});

describe('reset by email alone (「JSA-IDとパスワードの両方をお忘れの方」)', () => {
  it('sends the support mail naming the JSA-ID, with a code that works', async () => {
    const c = await counter();
    await addAccount(c.app, { jsaId: '45678901234', email: 'Yamada@Example.jp', contactName: '山田 太郎', company: '山田製作所株式会社' });
    expect(await c.kiosk.call('reset.request', { jsaId: '', email: 'ＹＡＭＡＤＡ＠example.jp', locale: 'ja' })).toEqual({ ok: true, value: { status: 'accepted' } });
    const mail = await c.mailbox.next(isSubject('yamada@example.jp', 'サポートメール'), 'the support mail');
    expect(mail.text).toContain('JSA-ID: 45678901234');
    const { code, token } = codeAndTokenFrom(mail);
    expect(await c.kiosk.ok('reset.verifyCode', { token, code })).toMatchObject({ maskedJsaId: '•••••••1234' });
  });

  it('refuses an email on several JSA-IDs with EMAIL_ON_SEVERAL_IDS (注意1) and sends nothing', async () => {
    const c = await counter();
    expect(await c.kiosk.call('reset.request', { jsaId: '', email: SHARED, locale: 'ja' })).toMatchObject({ ok: false, error: { code: 'EMAIL_ON_SEVERAL_IDS' } });
    expect(await outbox(c.app)).toEqual([]);
  });

  it('with uniformResponses, answers accepted and explains in a reset-several-ids mail', async () => {
    const c = await counter();
    await c.app.settings.update({ uniformResponses: true }, 'staff:test');
    expect(await c.kiosk.call('reset.request', { jsaId: '', email: SHARED, locale: 'ja' })).toEqual({ ok: true, value: { status: 'accepted' } });
    const mail = await c.mailbox.next(isSubject(SHARED, 'サポートメール依頼について'), 'the several-IDs mail');
    expect(mail.text).toContain('複数の JSA-ID');
    expect(mail.text).not.toMatch(/[0-9A-Z]{10}/);
    expect((await outbox(c.app)).map((m) => m.template)).toEqual(['reset-several-ids']);
  });
});

describe('no account enumeration', () => {
  it('answers an unknown JSA-ID and a wrong email exactly like a match, and sends no mail', async () => {
    const c = await counter();
    await addAccount(c.app, { jsaId: '45678901234', email: 'yamada@example.jp', contactName: '山田 太郎', company: '山田製作所' });
    const unknownId = await c.kiosk.call('reset.request', { jsaId: '99999999999', email: 'nobody@example.jp', locale: 'ja' });
    const wrongEmail = await c.kiosk.call('reset.request', { jsaId: TANAKA.jsaId, email: 'someone-else@example.jp', locale: 'ja' });
    const unknownEmail = await c.kiosk.call('reset.request', { jsaId: '', email: 'nobody-at-all@example.jp', locale: 'ja' });
    const match = await c.kiosk.call('reset.request', { jsaId: '45678901234', email: 'yamada@example.jp', locale: 'ja' });
    expect(unknownId).toEqual(match);
    expect(wrongEmail).toEqual(match);
    expect(unknownEmail).toEqual(match);
    expect(match).toEqual({ ok: true, value: { status: 'accepted' } });

    // Mail leaves only through the outbox, oldest first: once the match's mail is in, the
    // outbox and the peer hold nothing else.
    await c.mailbox.next(isCodeMail('yamada@example.jp'), 'the mail of the one match');
    expect((await outbox(c.app)).map((m) => m.to_address)).toEqual(['yamada@example.jp']);
    expect(c.mailbox.mails).toHaveLength(1);
  });
});

describe('the code', () => {
  it('voids the request after 5 wrong codes, and then the right code no longer works', async () => {
    const c = await counter();
    const { code, token } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    const wrong = wrongCodeFor(code);
    for (const remaining of [4, 3, 2, 1]) {
      expect(await c.kiosk.call('reset.verifyCode', { token, code: wrong })).toEqual({ ok: false, error: { code: 'CODE_INVALID', params: { remaining } } });
    }
    expect(await c.kiosk.call('reset.verifyCode', { token, code: wrong })).toMatchObject({ ok: false, error: { code: 'REQUEST_VOIDED' } });
    expect(await c.kiosk.call('reset.verifyCode', { token, code })).toMatchObject({ ok: false, error: { code: 'REQUEST_VOIDED' } });
  });

  it('says an empty, short or impossible code beside the field and counts no try for it', async () => {
    const c = await counter();
    const { code, token } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    const refused = (issue: object) => ({ ok: false, error: { code: 'INVALID_INPUT', fields: [{ field: 'code', ...issue }] } });
    // 「確認」 pressed before the code was typed, six times: more than the request's five tries.
    for (let i = 0; i < 6; i += 1) {
      expect(await c.kiosk.call('reset.verifyCode', { identifier: TANAKA.jsaId, code: ' ' })).toEqual(refused({ code: 'required' }));
      expect(await c.kiosk.call('reset.verifyCode', { token, code: '' })).toEqual(refused({ code: 'required' }));
    }
    expect(await c.kiosk.call('reset.verifyCode', { token, code: code.slice(0, 7) })).toEqual(refused({ code: 'code.length', params: { length: 7, expected: 10 } }));
    expect(await c.kiosk.call('reset.verifyCode', { token, code: `${code.slice(0, 9)}#` })).toEqual(refused({ code: 'code.format' }));
    expect(await c.app.db('reset_requests').where({ status: 'pending' }).first('attempts')).toEqual({ attempts: 0 });
    expect((await c.kiosk.call('reset.verifyCode', { token, code })).ok).toBe(true);
  });

  it('works once: a second 確認 with the same code answers CODE_USED', async () => {
    const c = await counter();
    const { code, token } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    expect((await c.kiosk.call('reset.verifyCode', { token, code })).ok).toBe(true);
    expect(await c.kiosk.call('reset.verifyCode', { token, code })).toMatchObject({ ok: false, error: { code: 'CODE_USED' } });
  });

  it('answers CODE_EXPIRED once its lifetime is over', async () => {
    const c = await counter();
    const { code, token } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    const past = new Date(Date.now() - 60_000).toISOString();
    expect(await c.app.db('reset_requests').update({ expires_at: past })).toBe(1);
    expect(await c.kiosk.call('reset.verifyCode', { token, code })).toMatchObject({ ok: false, error: { code: 'CODE_EXPIRED' } });
  });

  it('is voided by a newer request: only the newest code works', async () => {
    const c = await counter();
    await setLimits(c.app, { resendCooldownSeconds: 0 });
    const first = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    const second = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    expect(second.code === first.code && second.token === first.token).toBe(false);
    expect(await c.kiosk.call('reset.verifyCode', { token: first.token, code: first.code })).toMatchObject({ ok: false, error: { code: 'CODE_EXPIRED' } });
    expect((await c.kiosk.call('reset.verifyCode', { token: second.token, code: second.code })).ok).toBe(true);
  });

  it('unknown link token answers CODE_INVALID', async () => {
    const c = await counter();
    expect(await c.kiosk.call('reset.verifyCode', { token: 'A'.repeat(32), code: 'ABCDE23456' })).toMatchObject({ ok: false, error: { code: 'CODE_INVALID' } });
  });
});

describe('at the kiosk, without the link', () => {
  it('verifies the code with the JSA-ID typed in full width', async () => {
    const c = await counter();
    const { code } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    expect(await c.kiosk.ok('reset.verifyCode', { identifier: '１２３４５６７８９０１', code })).toMatchObject({ maskedJsaId: '•••••••8901' });
  });

  it('verifies the code with the email typed in capitals', async () => {
    const c = await counter();
    const { code } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    expect(await c.kiosk.ok('reset.verifyCode', { identifier: ' TANAKA@EXAMPLE.CO.JP ', code })).toMatchObject({ maskedJsaId: '•••••••8901' });
  });

  it('finds the right request among several IDs on one email by the code', async () => {
    const c = await counter();
    await setLimits(c.app, { resendCooldownSeconds: 0 });
    await requestCode(c, '23456789012', SHARED);
    const { code } = await requestCode(c, '34567890123', SHARED);
    expect(await c.kiosk.ok('reset.verifyCode', { identifier: SHARED, code })).toMatchObject({ maskedJsaId: '•••••••0123' });
  });

  it('typed at the kiosk with a JSA-ID or address, a wrong code is only 「正しくありません」: nothing says whether the account exists or has a reset under way', async () => {
    const c = await counter();
    const invalid = { ok: false, error: { code: 'CODE_INVALID', params: { via: 'identifier' } } };
    const wrong = 'ZZZZZZZZZZ';
    // No such account; an account with no request.
    expect(await c.kiosk.call('reset.verifyCode', { identifier: '99999999999', code: wrong })).toEqual(invalid);
    expect(await c.kiosk.call('reset.verifyCode', { identifier: 'nobody@example.jp', code: wrong })).toEqual(invalid);
    expect(await c.kiosk.call('reset.verifyCode', { identifier: '23456789012', code: wrong })).toEqual(invalid);
    // An open request: no "tries left" either (by link token they are still said).
    const { code, token } = await requestCode(c, '12345678901', 'tanaka@example.co.jp');
    for (let i = 0; i < 4; i += 1) expect(await c.kiosk.call('reset.verifyCode', { identifier: '12345678901', code: wrongCodeFor(code) })).toEqual(invalid);
    // Voided by the wrong tries, then used: the same answer.
    expect(await c.kiosk.call('reset.verifyCode', { identifier: 'tanaka@example.co.jp', code: wrongCodeFor(code) })).toEqual(invalid);
    expect(await c.kiosk.call('reset.verifyCode', { identifier: '12345678901', code })).toEqual(invalid);
    expect((await c.kiosk.call('reset.verifyCode', { token, code })).ok).toBe(false);
    expect(await c.kiosk.call('reset.verifyCode', { token, code })).not.toEqual(invalid);
  });

  it('names the digit count of a mistyped JSA-ID', async () => {
    const c = await counter();
    expect(await c.kiosk.call('reset.verifyCode', { identifier: '123456789', code: 'ABCDE23456' })).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: [{ field: 'identifier', code: 'jsaId.length', params: { digits: 9 } }] },
    });
  });
});

describe('request limits (DESIGN §6)', () => {
  it('answers a second request within 60 s with COOLDOWN and the seconds left', async () => {
    const clock = manualClock();
    const c = await counter({ clock });
    await requestCode(c, TANAKA.jsaId, TANAKA.email);
    expect(await c.kiosk.call('reset.request', { ...TANAKA, locale: 'ja' })).toEqual({ ok: false, error: { code: 'COOLDOWN', params: { seconds: 60 } } });
    clock.advance(45_000);
    expect(await c.kiosk.call('reset.request', { ...TANAKA, locale: 'ja' })).toEqual({ ok: false, error: { code: 'COOLDOWN', params: { seconds: 15 } } });
    // Keyed on what was typed: the same address with another JSA-ID waits too.
    expect(await c.kiosk.call('reset.request', { jsaId: '99999999999', email: TANAKA.email, locale: 'ja' })).toMatchObject({ ok: false, error: { code: 'COOLDOWN' } });
    clock.advance(15_000);
    await requestCode(c, TANAKA.jsaId, TANAKA.email);
  });

  it('after the clock steps back 2 h: waits no longer than the cooldown, and the code stamped "later" no longer works', async () => {
    const clock = manualClock();
    const c = await counter({ clock });
    const first = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    clock.advance(-2 * 3_600_000);
    // The first code does not live 2.5 h: stamped ahead of the clock, it counts as over.
    expect(await c.kiosk.call('reset.verifyCode', { token: first.token, code: first.code })).toEqual({ ok: false, error: { code: 'CODE_EXPIRED' } });
    // The request stamped two hours "ahead" starts no cooldown (counted as just now, every try would say 60 s for two hours) …
    const second = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    // … the one made now does, and says at most the cooldown (it said 7260 s).
    expect(await c.kiosk.call('reset.request', { ...TANAKA, locale: 'ja' })).toEqual({ ok: false, error: { code: 'COOLDOWN', params: { seconds: 60 } } });
    clock.advance(30_000);
    expect(await c.kiosk.call('reset.request', { ...TANAKA, locale: 'ja' })).toEqual({ ok: false, error: { code: 'COOLDOWN', params: { seconds: 30 } } });
    // Typed at the kiosk, the new code is compared with the new request, though the request
    // made while the clock ran ahead has the larger id (a UUIDv7 from the wall clock; made so here).
    await c.app.db('reset_requests').where({ id: (await c.app.db('reset_requests').orderBy('created_at', 'desc').first('id')).id }).update({ id: 'ffffffff-ffff-7fff-bfff-ffffffffffff' });
    const verified = await c.kiosk.ok('reset.verifyCode', { identifier: TANAKA.jsaId, code: second.code });
    // A grant stamped ahead (the clock stepping back once more) is over too.
    clock.advance(-3_600_000);
    expect(await c.kiosk.call('reset.checkPassword', { grant: verified.grant, password: NEW_PASSWORD })).toMatchObject({ ok: false, error: { code: 'CODE_EXPIRED' } });
  });

  it('lets only one of many simultaneous requests for one account through the cooldown', async () => {
    const c = await counter();
    // Ten windows (or one script firing fetches in parallel) press 「サポートメール依頼」 at once.
    const results = await Promise.all(Array.from({ length: 10 }, () => kiosk(c.app).call('reset.request', { ...TANAKA, locale: 'ja' })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code))).toEqual(Array(9).fill('COOLDOWN'));
    expect(await outbox(c.app)).toHaveLength(1);
  });

  it('answers the sixth request for one JSA-ID within an hour with RATE_LIMITED', async () => {
    const clock = manualClock();
    const c = await counter({ clock });
    await setLimits(c.app, { resendCooldownSeconds: 0 });
    for (let i = 0; i < 5; i += 1) {
      expect(await c.kiosk.call('reset.request', { ...TANAKA, locale: 'ja' })).toEqual({ ok: true, value: { status: 'accepted' } });
      clock.advance(60_000);
    }
    expect(await c.kiosk.call('reset.request', { ...TANAKA, locale: 'ja' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    clock.advance(56 * 60_000); // the first request is now more than an hour old
    expect(await c.kiosk.call('reset.request', { ...TANAKA, locale: 'ja' })).toEqual({ ok: true, value: { status: 'accepted' } });
  });

  it('locks the reset path after 10 wrong codes in a day across requests; a request then gets a reset-locked mail', async () => {
    const c = await counter();
    await setLimits(c.app, { resendCooldownSeconds: 0 });
    const first = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    for (let i = 0; i < 4; i += 1) await c.kiosk.call('reset.verifyCode', { token: first.token, code: wrongCodeFor(first.code) });
    expect(await c.kiosk.call('reset.verifyCode', { token: first.token, code: wrongCodeFor(first.code) })).toMatchObject({ ok: false, error: { code: 'REQUEST_VOIDED' } });

    const second = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    for (let i = 0; i < 4; i += 1) {
      expect(await c.kiosk.call('reset.verifyCode', { token: second.token, code: wrongCodeFor(second.code) })).toMatchObject({ ok: false, error: { code: 'CODE_INVALID' } });
    }
    expect(await c.kiosk.call('reset.verifyCode', { token: second.token, code: wrongCodeFor(second.code) })).toMatchObject({ ok: false, error: { code: 'RESET_LOCKED' } });
    expect(await c.kiosk.call('reset.verifyCode', { token: second.token, code: second.code })).toMatchObject({ ok: false, error: { code: 'RESET_LOCKED' } });
    const tanaka = await account(c.app, TANAKA.jsaId);
    expect(await c.app.db('account_locks').where({ account_id: tanaka.id, kind: 'reset' }).whereNull('unlocked_at').select('reason')).toEqual([
      { reason: 'too-many-code-failures' },
    ]);

    expect(await c.kiosk.call('reset.request', { ...TANAKA, locale: 'ja' })).toEqual({ ok: true, value: { status: 'accepted' } });
    const locked = await c.mailbox.next(isSubject(TANAKA.email, 'パスワード再設定を一時停止しています'), 'the reset-locked mail');
    expect(locked.text).toContain('•••••••8901');
    expect((await outbox(c.app)).map((m) => m.template)).toEqual(['reset-code', 'reset-code', 'reset-locked']);
  });
});

describe('パスワード登録', () => {
  it('refuses the current password as notRecent', async () => {
    const c = await counter();
    const { code, token } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    const { grant } = await c.kiosk.ok('reset.verifyCode', { token, code });
    expect(await c.kiosk.call('reset.complete', { grant, password: DEMO_PASSWORD, confirm: DEMO_PASSWORD })).toEqual({
      ok: false,
      error: { code: 'PASSWORD_POLICY', fields: [{ field: 'password', code: 'policy.notRecent' }] },
    });
  });

  it('refuses a confirmation that differs with PASSWORD_MISMATCH, and a weak password with the rules it breaks', async () => {
    const c = await counter();
    const { code, token } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    const { grant } = await c.kiosk.ok('reset.verifyCode', { token, code });
    expect(await c.kiosk.call('reset.complete', { grant, password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}x` })).toEqual({
      ok: false,
      error: { code: 'PASSWORD_MISMATCH', fields: [{ field: 'confirm', code: 'password.mismatch' }] },
    });
    expect(await c.kiosk.call('reset.complete', { grant, password: 'webdesk', confirm: 'webdesk' })).toEqual({
      ok: false,
      error: {
        code: 'PASSWORD_POLICY',
        fields: [
          { field: 'password', code: 'policy.minLength' },
          { field: 'password', code: 'policy.notPersonal' },
        ],
      },
    });
    // Refusals do not spend the grant; the full-width confirmation equals the half-width password.
    const wide = NEW_PASSWORD.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    expect((await c.kiosk.call('reset.complete', { grant, password: NEW_PASSWORD, confirm: wide })).ok).toBe(true);
    const stored = await account(c.app, TANAKA.jsaId);
    expect(await c.app.hasher.verify(NEW_PASSWORD, stored.password_hash!)).toBe(true);
  });
});

describe('a reload of パスワード登録 (the grant held in the session)', () => {
  it('gives the grant back to the session that verified, within the idle timeout and the grant’s lifetime, and to no other', async () => {
    const clock = manualClock();
    const c = await counter({ clock });
    const { idleTimeoutSeconds } = await c.app.settings.get();
    const { code } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    const verified = await c.kiosk.ok('reset.verifyCode', { identifier: TANAKA.jsaId, code });
    expect(await c.kiosk.ok('reset.resumeGrant', { reload: true })).toEqual({ verified, locale: 'ja' });
    expect(await kiosk(c.app).ok('reset.resumeGrant', { reload: true })).toEqual({ verified: null });

    // Used within the idle timeout, again and again (the checklist as the customer types), it stays.
    clock.advance((idleTimeoutSeconds - 1) * 1000);
    await c.kiosk.ok('reset.checkPassword', { grant: verified.grant, password: 'a' });
    clock.advance((idleTimeoutSeconds - 1) * 1000);
    expect(await c.kiosk.ok('reset.resumeGrant', { reload: true })).toEqual({ verified, locale: 'ja' });
    // Left longer than the idle timeout (a page closed on パスワード登録): gone for the next customer.
    clock.advance((idleTimeoutSeconds + 1) * 1000);
    expect(await c.kiosk.ok('reset.resumeGrant', { reload: true })).toEqual({ verified: null });
  });

  it('does not outlive the grant, nor 最初に戻る (account.logout)', async () => {
    const clock = manualClock();
    const c = await counter({ clock });
    await c.app.settings.update({ idleTimeoutSeconds: 3600 }, 'staff:test');
    const { code } = await requestCode(c, TANAKA.jsaId, TANAKA.email);
    await c.kiosk.ok('reset.verifyCode', { identifier: TANAKA.jsaId, code });
    await c.kiosk.ok('account.logout', {});
    expect(await c.kiosk.ok('reset.resumeGrant', { reload: true })).toEqual({ verified: null });

    const again = kiosk(c.app);
    clock.advance(61_000);
    expect((await again.call('reset.request', { jsaId: TANAKA.jsaId, email: TANAKA.email, locale: 'ja' })).ok).toBe(true);
    const second = await c.mailbox.next((m) => isCodeMail(TANAKA.email)(m) && !m.text.includes(code), 'the second code mail');
    await again.ok('reset.verifyCode', { identifier: TANAKA.jsaId, code: codeAndTokenFrom(second).code });
    clock.advance(15 * 60_000);
    expect(await again.ok('reset.resumeGrant', { reload: true })).toEqual({ verified: null });
  });
});

describe('the mail outbox', () => {
  it('keeps a mail the SMTP server refused across a restart and delivers it exactly once', async () => {
    const dir = await makeTempDir();
    cleanups.push(dir.remove);
    const closedPort = await freePort();
    const down = await startTestApp({ dataDir: dir.path, smtpUrl: `smtp://127.0.0.1:${closedPort}` });
    let downClosed = false;
    cleanups.push(async () => {
      if (!downClosed) await down.close();
    });
    await kiosk(down).ok('reset.request', { ...TANAKA, locale: 'ja' });
    const failed = await waitFor(
      async () => {
        const row = await down.db<MailRow>('mail_outbox').first();
        return row && row.attempts >= 1 && row.state === 'queued' ? row : undefined;
      },
      { what: 'a failed delivery attempt' },
    );
    expect(failed.last_error).toMatch(/ECONNREFUSED/);
    await down.close();
    downClosed = true;

    // A minute later the kiosk starts again and the SMTP server is back.
    const mailbox = await startMailbox();
    cleanups.push(mailbox.close);
    const up = await startTestApp({ dataDir: dir.path, smtpUrl: mailbox.url, clock: { nowMs: () => Date.now() + 60_000 } });
    cleanups.push(() => up.close());
    const mail = await mailbox.next(isCodeMail(TANAKA.email), 'the code mail after the restart');
    expect(mail.messageId).toBe(`<${failed.id}@jsa-webdesk.local>`);
    const { code, token } = codeAndTokenFrom(mail);
    expect((await kiosk(up).call('reset.verifyCode', { token, code })).ok).toBe(true);

    expect(await up.mailWorker.drainOnce()).toBe(0);
    expect(await up.db<MailRow>('mail_outbox').select('state', 'attempts')).toEqual([{ state: 'sent', attempts: 2 }]);
    expect(mailbox.mails.filter((m) => m.messageId === mail.messageId)).toHaveLength(1);
    expect(mailbox.mails).toHaveLength(1);
  });

  it('without an SMTP URL writes .eml files to DATA_DIR/maildrop that hold the code', async () => {
    const dir = await makeTempDir();
    cleanups.push(dir.remove);
    const app = await startTestApp({ dataDir: dir.path });
    cleanups.push(() => app.close());
    await kiosk(app).ok('reset.request', { ...TANAKA, locale: 'en' });
    const maildrop = join(dir.path, 'maildrop');
    const file = await waitFor(async () => (existsSync(maildrop) ? (await readdir(maildrop)).find((f) => f.endsWith('.eml')) : undefined), {
      what: 'an .eml file in the maildrop',
    });
    const parsed = await simpleParser(await readFile(join(maildrop, file)));
    expect(parsed.subject).toBe('[JSA Webdesk] Your password change authorization code');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '').toBe(TANAKA.email);
    const { code, token } = codeAndTokenFrom({ text: parsed.text ?? '' });
    // The English mail's link opens its page in English.
    expect(parsed.text).toContain(`/reset/${token}?lang=en`);
    expect((await kiosk(app).call('reset.verifyCode', { token, code })).ok).toBe(true);
  });
});
