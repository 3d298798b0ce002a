// ASVS 5.0 V7 (sessions) and V16 (security logging) where docs/security.md points at a test:
// a login issues a new session token and the old one stops working (7.2.4); logout ends the
// login (7.4.1); every authentication step leaves an audit entry (16.3.1); refused calls —
// missing role, rate limits — are logged with the call name (16.3.2, 16.3.3).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src-main/app/config';
import { createApp, type App } from '../../src-main/app/create-app';
import { DEMO_PASSWORD } from '../../src-main/app/demo-data';
import { callNames, contract } from '../../src-main/contract/registry';
import { createHttpTransport } from '../../src-main/transport/http';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';
import { kiosk, TEST_SCRYPT } from './support/test-app';

let dir: TempDir;
let app: App;
let http: ReturnType<typeof createHttpTransport>;
let base: string;
const dataDir = () => join(dir.path, 'data');

beforeAll(async () => {
  dir = await makeTempDir();
  const staticDir = join(dir.path, 'renderer');
  await mkdir(staticDir, { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>session</title>');
  // Log level info, as in production, so the log file can be read back.
  app = await createApp(loadConfig({ WEBDESK_DATA_DIR: dataDir(), WEBDESK_LOG_LEVEL: 'info', WEBDESK_KIOSK_ID: 'log-kiosk' }), {
    defaultLinkBase: 'web',
    firstStart: true,
    scrypt: { ...TEST_SCRYPT },
    startMailWorker: false,
  });
  http = createHttpTransport({ dispatch: app.dispatch, sessions: app.sessions, timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }), staticDir });
  base = `http://127.0.0.1:${await http.listen(0)}`;
});

afterAll(async () => {
  await http?.close();
  await app?.close();
  await dir?.remove();
});

const pageCookie = async () => ((await fetch(`${base}/`)).headers.get('set-cookie') ?? '').split(';')[0]!;
const call = (cookie: string, name: string, body: unknown) =>
  fetch(`${base}/api/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1', Origin: base, Cookie: cookie },
    body: JSON.stringify(body),
  });
const logText = () => readFile(join(dataDir(), 'logs', 'main.log'), 'utf8').catch(() => '');
const auditSince = async (seq: number) => (await app.db('audit_log').where('seq', '>', seq).orderBy('seq').pluck('action')) as string[];
const lastSeq = async () => Number((await app.db('audit_log').max<{ m: number }[]>({ m: 'seq' }))[0]!.m);

describe('session token on login (ASVS 7.2.4) and logout (7.4.1)', () => {
  it('issues a new session cookie on login; the token from before the login no longer works', async () => {
    const before = await pageCookie();
    const res = await call(before, 'account.login', { jsaId: '12345678901', password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^webdesk_sid=[A-Za-z0-9_-]{32}; HttpOnly; SameSite=Strict; Path=\//);
    const after = setCookie.split(';')[0]!;
    expect(after).not.toBe(before);

    expect(await (await call(after, 'account.me', {})).json()).toMatchObject({ ok: true, value: { loggedIn: true } });
    // Whoever held the old token (a fixed or seen cookie) holds nothing now.
    const old = await call(before, 'account.me', {});
    expect(old.status).toBe(401);
    expect(await old.json()).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });

    expect(await (await call(after, 'account.logout', {})).json()).toEqual({ ok: true, value: { loggedOut: true } });
    expect(await (await call(after, 'account.me', {})).json()).toEqual({ ok: true, value: { loggedIn: false } });
  });

  it('keeps the session token when a login fails', async () => {
    const cookie = await pageCookie();
    const res = await call(cookie, 'account.login', { jsaId: '12345678901', password: 'not-the-password-at-all' });
    expect(res.headers.get('set-cookie')).toBeNull();
    expect((await call(cookie, 'app.info', {})).status).toBe(200);
  });
});

describe('security events in the audit log (ASVS 16.3.1)', () => {
  it('records successful and failed logins and the code steps of a reset', async () => {
    const seq = await lastSeq();
    const k = kiosk(app);
    await k.call('account.login', { jsaId: '12345678901', password: 'wrong-password-here' });
    await k.call('account.login', { jsaId: '12345678901', password: DEMO_PASSWORD });
    await k.call('reset.request', { jsaId: '12345678901', email: 'tanaka@example.co.jp', locale: 'ja' });
    await k.call('reset.verifyCode', { identifier: '12345678901', code: 'ZZZZZZZZZZ' });
    expect(await auditSince(seq)).toEqual(['login.password-wrong', 'login.succeeded', 'reset.requested', 'reset.code-wrong']);
    const rows = (await app.db('audit_log').where('seq', '>', seq).orderBy('seq').select('at', 'actor', 'subject')) as Array<{ at: string; actor: string; subject: string }>;
    // When (UTC), who and about what (ASVS 16.2.1, 16.2.2).
    for (const row of rows) {
      expect(row.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(row.actor).toBe('kiosk');
      expect(row.subject).toBe('12345678901');
    }
  });
});

describe('refused calls in the log (ASVS 16.3.2, 16.3.3)', () => {
  it('logs a call refused for its role, with the call name and the role it needed', async () => {
    const guarded = callNames.find((name) => contract[name].role !== 'public');
    expect(guarded, 'the registry has a non-public call').toBeDefined();
    expect(await app.dispatch(guarded!, {}, { session: app.sessions.create(), transport: 'http', actor: 'kiosk' })).toMatchObject({ ok: false });
    const line = await waitFor(async () => (await logText()).split('\n').find((l) => l.includes('"msg":"call refused"') && l.includes(`"call":"${guarded}"`)), {
      what: 'the refusal in main.log',
    });
    expect(JSON.parse(line)).toMatchObject({ level: 40, call: guarded, refusal: 'UNAUTHENTICATED', required: contract[guarded!].role, transport: 'http' });
  });

  it('logs requests refused by the rate limits (anti-automation)', async () => {
    const k = kiosk(app);
    await k.call('reset.request', { jsaId: '23456789012', email: 'shared@example.co.jp', locale: 'ja' });
    expect(await k.call('reset.request', { jsaId: '23456789012', email: 'shared@example.co.jp', locale: 'ja' })).toMatchObject({ ok: false, error: { code: 'COOLDOWN' } });
    const line = await waitFor(async () => (await logText()).split('\n').find((l) => l.includes('"msg":"call refused"') && l.includes('"refusal":"COOLDOWN"')), {
      what: 'the COOLDOWN refusal in main.log',
    });
    // The typed input (email, JSA-ID) is not in the line, only what was refused.
    expect(line).not.toContain('shared@example.co.jp');
    expect(JSON.parse(line)).toMatchObject({ call: 'reset.request', refusal: 'COOLDOWN' });
  });
});
