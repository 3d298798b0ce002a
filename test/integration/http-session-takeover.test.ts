// The web-mode probe of a stranger at the counter PC (session 14, HTTP): a session id the
// stranger saw or planted before a customer came (the kiosk browser's cookie, or one set by a
// page on another 127.0.0.1 port — cookies do not keep ports apart) must be worth nothing once
// the customer's session gains something: a login, or the grant 「確認」 holds for パスワード登録.
// Nor may a cookie of our name that such a page set for a longer path (`Path=/api`) stand in
// for ours: the browser sends it first (RFC 6265 §5.4, checked in Debian's Chromium).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { createHttpTransport } from '../../src-main/transport/http';
import { codeAndTokenFrom, startMailbox, type Mailbox } from '../support/mailbox';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { DEMO_PASSWORD } from '../../src-main/app/demo-data';
import { addAccount, startTestApp } from './support/test-app';

const TANAKA = { jsaId: '12345678901', email: 'tanaka@example.co.jp' };
/** The reset's own account, so the demo account keeps its password for the login below. */
const SUZUKI = { jsaId: '31415926535', email: 'suzuki.h@example.jp' };

let dir: TempDir;
let mailbox: Mailbox;
let app: App;
let http: ReturnType<typeof createHttpTransport>;
let base: string;

beforeAll(async () => {
  dir = await makeTempDir();
  mailbox = await startMailbox();
  const staticDir = join(dir.path, 'renderer');
  await mkdir(staticDir, { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>takeover</title>');
  app = await startTestApp({ dataDir: join(dir.path, 'data'), smtpUrl: mailbox.url });
  http = createHttpTransport({ dispatch: app.dispatch, sessions: app.sessions, timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }), staticDir });
  base = `http://127.0.0.1:${await http.listen(0)}`;
  await addAccount(app, { ...SUZUKI, contactName: '鈴木 花子', company: '鈴木製作所' });
});

afterAll(async () => {
  await http?.close();
  await app?.close();
  await mailbox?.close();
  await dir?.remove();
});

const pageCookie = async () => ((await fetch(`${base}/`)).headers.get('set-cookie') ?? '').split(';')[0]!;

/** A call as the page makes it; the answer's new cookie (a rotation) replaces the one sent. */
async function call(cookie: string, name: string, body: unknown) {
  const res = await fetch(`${base}/api/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1', Origin: base, Cookie: cookie },
    body: JSON.stringify(body),
  });
  const next = res.headers.getSetCookie().find((c) => !c.includes('Max-Age=0'));
  return { status: res.status, json: (await res.json()) as { ok: boolean; value?: Record<string, unknown>; error?: { code: string } }, cookie: next ? next.split(';')[0]! : cookie };
}

describe('a session id known before 「確認」', () => {
  it('gets neither the held grant nor パスワード登録 after the customer confirmed the code', async () => {
    // The stranger loads the kiosk page, notes its cookie and walks away; the next customer
    // uses the same browser (a 最初に戻る in between changes nothing about the cookie).
    const planted = await pageCookie();
    expect((await call(planted, 'account.logout', {})).status).toBe(200);

    expect((await call(planted, 'reset.request', { ...SUZUKI, locale: 'ja' })).json).toEqual({ ok: true, value: { status: 'accepted' } });
    const mail = await mailbox.next((m) => m.envelopeTo.includes(SUZUKI.email) && m.subject.includes('パスワード変更権限コード'), 'the code mail');
    const confirmed = await call(planted, 'reset.verifyCode', { identifier: SUZUKI.jsaId, code: codeAndTokenFrom(mail).code });
    expect(confirmed.json.ok).toBe(true);
    // From a second browser with the old id: no session at all, so no grant to resume.
    const stranger = await call(planted, 'reset.resumeGrant', { reload: true });
    expect(stranger.status).toBe(401);
    expect(stranger.json).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });

    // The customer's browser gets a new id with the answer, as at a login (ASVS 7.2.4).
    expect(confirmed.cookie).not.toBe(planted);
    expect(confirmed.cookie).toMatch(/^webdesk_sid=[A-Za-z0-9_-]{32}$/);

    // The customer's own reload still resumes the step, and the customer registers the password.
    const resumed = await call(confirmed.cookie, 'reset.resumeGrant', { reload: true });
    const verified = resumed.json.value?.verified as { grant: string } | null;
    expect(verified?.grant).toBe((confirmed.json.value as { grant: string }).grant);
    const password = 'hoshizora-no-michi-42';
    const done = await call(confirmed.cookie, 'reset.complete', { grant: verified!.grant, password, confirm: password });
    expect(done.json.ok).toBe(true);
  });
});

describe('a cookie of our name planted for a longer path', () => {
  it('is not taken for the session, and each answer expires it where the browser would send it', async () => {
    // The page on another 127.0.0.1 port set `webdesk_sid=<its own pass>; Path=/api`; the
    // browser lists the longer path first, then ours (Path=/).
    const planted = await pageCookie();
    const ours = await pageCookie();
    const login = await call(`${planted}; ${ours}`, 'account.login', { jsaId: TANAKA.jsaId, password: DEMO_PASSWORD });
    expect(login.json.ok).toBe(true);
    const setCookies = (await fetch(`${base}/api/call/account.me`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1', Origin: base, Cookie: `${planted}; ${login.cookie}` },
      body: '{}',
    }).then(async (res) => {
      // The login is in the session of our cookie, not in the planted one.
      expect(await res.json()).toMatchObject({ ok: true, value: { loggedIn: true } });
      return res.headers.getSetCookie();
    }));
    // Expired at every path a cookie sent with /api/call/account.me can have, except ours (/).
    for (const path of ['/api', '/api/', '/api/call', '/api/call/', '/api/call/account.me']) {
      expect(setCookies).toContain(`webdesk_sid=; Path=${path}; Max-Age=0`);
    }
    expect(setCookies.some((c) => c.includes('Path=/;'))).toBe(false);
    // The planted pass opened nothing the customer did.
    expect((await call(planted, 'account.me', {})).json).toEqual({ ok: true, value: { loggedIn: false } });

    // A page load with the planted cookie first keeps our id and does not adopt the planted one.
    const page = await fetch(`${base}/staff`, { headers: { Cookie: `${planted}; ${login.cookie}` } });
    expect(page.headers.getSetCookie()).toContain(`${login.cookie}; HttpOnly; SameSite=Strict; Path=/`);
    expect(page.headers.getSetCookie()).toContain('webdesk_sid=; Path=/staff; Max-Age=0');
  });
});
