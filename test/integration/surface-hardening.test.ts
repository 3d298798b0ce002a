// Issue 13, findings 4, 6, 7, 8 and 9 (serving) over the real HTTP transport: a static file that cannot be
// read answers 404/500 and is logged, the server keeps serving; no lookup text breaks the
// full-text query (fast-check over the contract); a failing call logs the call, the code and
// ids but never the SQL or the searched text (main.log and stderr); a page load opens no
// server session, and a pass is good for one session only.
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src-main/app/config';
import { createApp, type App } from '../../src-main/app/create-app';
import { createHttpTransport } from '../../src-main/transport/http';
import { waitForLogLine } from '../support/log-lines';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { addAccount, TEST_SCRYPT } from './support/test-app';

const PAGE = '<!doctype html><title>surface</title>';
const ADMIN_PASSWORD = 'kiri-no-naka-no-tokei-2026';

let dir: TempDir;
let app: App;
let http: ReturnType<typeof createHttpTransport>;
let base: string;
let socketServer: Server;
const dataDir = () => join(dir.path, 'data');
const staticDir = () => join(dir.path, 'renderer');
const logFile = () => join(dataDir(), 'logs', 'main.log');
/** The registry's own map, read the same way on every version of sessions.ts. */
const heldSessions = () => (app.sessions as unknown as { sessions: Map<string, unknown> }).sessions.size;

beforeAll(async () => {
  dir = await makeTempDir();
  await mkdir(join(staticDir(), 'assets', 'folder.js'), { recursive: true });
  await writeFile(join(staticDir(), 'index.html'), PAGE);
  await writeFile(join(staticDir(), 'assets', 'app.js'), 'console.log("webdesk");\n//# sourceMappingURL=app.js.map');
  await writeFile(join(staticDir(), 'assets', 'app.js.map'), '{"version":3,"sources":["../src/secret.ts"]}');
  // Files no server can stream: a FIFO with no writer (a read would wait forever) and a unix
  // socket (open() answers ENXIO, also for root).
  execFileSync('mkfifo', [join(staticDir(), 'assets', 'pipe.js')]);
  // A regular file whose read fails after the answer has begun: /proc/self/mem opens and
  // stats as a regular file, and reading it at offset 0 answers EIO.
  await symlink('/proc/self/mem', join(staticDir(), 'assets', 'broken.js'));
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(join(staticDir(), 'assets', 'socket.js'), resolve));
  app = await createApp(loadConfig({ WEBDESK_DATA_DIR: dataDir(), WEBDESK_LOG_LEVEL: 'info', WEBDESK_KIOSK_ID: 'surface-kiosk' }), {
    defaultLinkBase: 'web',
    scrypt: { ...TEST_SCRYPT },
    startMailWorker: false,
    logToConsole: true,
    firstStart: true,
  });
  http = createHttpTransport({
    dispatch: app.dispatch,
    sessions: app.sessions,
    timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }),
    staticDir: staticDir(),
    logger: app.logger,
  });
  base = `http://127.0.0.1:${await http.listen(0)}`;
});

afterAll(async () => {
  await http?.close();
  await app?.close();
  await new Promise((resolve) => socketServer?.close(resolve));
  await dir?.remove();
});

const pageCookie = async () => ((await fetch(`${base}/`)).headers.get('set-cookie') ?? '').split(';')[0]!;

async function post(cookie: string, name: string, body: unknown): Promise<{ status: number; json: { ok: boolean; value?: unknown; error?: { code: string; fields?: Array<{ field: string; code: string }> } }; cookie: string }> {
  const res = await fetch(`${base}/api/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1', Origin: base, Cookie: cookie },
    body: JSON.stringify(body),
  });
  const next = res.headers.get('set-cookie');
  return { status: res.status, json: (await res.json()) as never, cookie: next ? next.split(';')[0]! : cookie };
}

/** The first-start admin over HTTP, past the forced password change: the cookie of its session. */
let adminCookie: string | undefined;
async function admin(): Promise<string> {
  if (adminCookie) return adminCookie;
  const first = app.firstAdmin;
  if (!first) throw new Error('no first-start admin');
  const login = await post(await pageCookie(), 'staff.login', { username: first.username, password: first.password });
  expect(login.json.ok).toBe(true);
  const changed = await post(login.cookie, 'staff.changePassword', { current: first.password, next: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD });
  expect(changed.json.ok).toBe(true);
  adminCookie = changed.cookie;
  return adminCookie;
}

describe('finding 4: a static file that cannot be read', () => {
  it('answers 500 for a unix socket named like an asset (ENXIO), logs it, and keeps serving', async () => {
    const res = await fetch(`${base}/assets/socket.js`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    const next = await fetch(`${base}/assets/app.js`);
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('webdesk');
    const { line } = await waitForLogLine(logFile(), (l) => l.includes('static file not served') && l.includes('socket.js'), 'the unreadable socket.js');
    expect(JSON.parse(line)).toMatchObject({ failed: 'unreadable', errno: 'ENXIO', static: 'assets/socket.js' });
  });

  it('cuts the answer short and logs it when a read fails half-way (EIO), and keeps serving', async () => {
    // The 200 was written but not flushed before the read failed: the client sees a broken answer, never a complete file.
    const outcome = await fetch(`${base}/assets/broken.js`).then(
      (res) => res.text().then(() => 'complete', () => 'cut'),
      () => 'cut',
    );
    expect(outcome).toBe('cut');
    expect(await (await fetch(`${base}/assets/app.js`)).text()).toContain('webdesk');
    const { line } = await waitForLogLine(logFile(), (l) => l.includes('static file read failed'), 'the failed read of broken.js');
    expect(JSON.parse(line)).toMatchObject({ static: 'assets/broken.js', errno: 'EIO' });
  });

  it('answers 404 at once for a FIFO with no writer and for a folder named like an asset', async () => {
    expect((await fetch(`${base}/assets/pipe.js`)).status).toBe(404);
    expect((await fetch(`${base}/assets/folder.js`)).status).toBe(404);
    // HEAD too, and the page itself still loads.
    expect((await fetch(`${base}/assets/socket.js`, { method: 'HEAD' })).status).toBe(500);
    expect(await (await fetch(`${base}/`)).text()).toBe(PAGE);
    await waitForLogLine(logFile(), (l) => /"failed":"not-a-file".*pipe\.js|pipe\.js.*"failed":"not-a-file"/.test(l), 'the FIFO pipe.js not served');
  });
});

describe('finding 9: source maps', () => {
  it('never serves a .map file, even one a build left in the assets folder', async () => {
    for (const path of ['/assets/app.js.map', '/reset/x/assets/app.js.map', '/assets/APP.JS.MAP', '/assets/app.js%2Emap']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(200);
  });
});

describe('finding 8: anonymous sessions only when a call needs one', () => {
  it('opens no server session for page loads; the first call opens one, under the pass the page gave', async () => {
    const before = heldSessions();
    const cookies = await Promise.all(Array.from({ length: 50 }, () => pageCookie()));
    expect(new Set(cookies).size).toBe(50);
    expect(heldSessions()).toBe(before);
    expect((await post(cookies[0]!, 'app.info', {})).status).toBe(200);
    expect(heldSessions()).toBe(before + 1);
    // The same pass again is the same session, not a second one.
    expect((await post(cookies[0]!, 'app.info', {})).status).toBe(200);
    expect(heldSessions()).toBe(before + 1);
  });

  it('refuses a pass it never signed, and a pass whose session logged in (it was rotated away)', async () => {
    const forged = (await pageCookie()).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await post(forged, 'app.info', {})).json).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const pass = await pageCookie();
    const wrong = await post(pass, 'staff.login', { username: 'admin', password: 'not-the-password' });
    expect(wrong.json.ok).toBe(false);
    const first = app.firstAdmin!;
    const login = await post(pass, 'staff.login', { username: first.username, password: first.password });
    expect(login.json.ok).toBe(true);
    expect(login.cookie).not.toBe(pass);
    // The pass opened the session that logged in; the login rotated it away for good.
    expect((await post(pass, 'app.info', {})).json).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const changed = await post(login.cookie, 'staff.changePassword', { current: first.password, next: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD });
    expect(changed.json.ok).toBe(true);
    adminCookie = changed.cookie;
  });
});

describe('finding 6: no lookup text breaks the full-text query', () => {
  it('refuses a NUL in the staff lookup with a field message, not INTERNAL', async () => {
    const res = await post(await admin(), 'staff.accounts.search', { query: '41000000010\u0000', field: 'any', page: 1, pageSize: 20 });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ ok: false, error: { code: 'INVALID_INPUT', fields: [{ field: 'query', code: 'controlCharacters' }] } });
  });

  it.each([
    ['a bidi override', '田中\u202E'],
    ['a lone surrogate', 'ab\uD800cd'],
    ['a zero-width space', '田\u200B中'],
  ])('refuses %s with the same field message', async (_what, query) => {
    const res = await post(await admin(), 'staff.accounts.search', { query, field: 'name', page: 1, pageSize: 20 });
    expect(res.json.error).toEqual({ code: 'INVALID_INPUT', fields: [{ field: 'query', code: 'controlCharacters' }] });
  });

  it('finds a name with quotes and FTS operators in it as plain text', async () => {
    await addAccount(app, { jsaId: '41000000011', email: 'ops@example.jp', contactName: 'O"Brien AND NEAR(x) * ^', company: 'テスト"商事" OR NOT' });
    for (const query of ['"Brien AND NEAR', 'NEAR(x) *', '"商事" OR NOT', 'AND', '*', '"']) {
      const res = await post(await admin(), 'staff.accounts.search', { query, field: 'any', page: 1, pageSize: 20 });
      expect(res.json.ok, query).toBe(true);
    }
    const hit = await post(await admin(), 'staff.accounts.search', { query: 'Brien AND NEAR', field: 'name', page: 1, pageSize: 20 });
    expect((hit.json.value as { items: Array<{ contactName: string }> }).items.map((a) => a.contactName)).toContain('O"Brien AND NEAR(x) * ^');
  });

  it('answers every query fast-check makes with results or a field message, never INTERNAL', async () => {
    const cookie = await admin();
    const pieces = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('"', "'", '\u0000', '\uD800', '\uDC00', '\u202E', '\u2066', '\u200F', 'AND', 'OR', 'NOT', 'NEAR(', ')', '*', '^', ':', '{name}', '-', '+', '田中', 'ｶﾅ', '㈱'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(pieces, { maxLength: 6 }).map((parts) => parts.join('')), fc.constantFrom('any', 'jsaId', 'email', 'name', 'company', 'phone'), async (query, field) => {
        const res = await post(cookie, 'staff.accounts.search', { query, field, page: 1, pageSize: 5 });
        if (res.json.ok) return;
        expect(res.json.error?.code).toBe('INVALID_INPUT');
        expect(res.json.error?.fields?.[0]?.field).toBe('query');
      }),
      { numRuns: 300 },
    );
  });
});

describe('finding 7: a failing call logs the call and the code, never SQL or the searched text', () => {
  it('keeps the statement and the searched name out of main.log and stderr', async () => {
    const cookie = await admin();
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    // A real store failure on the search path: the full-text index is gone.
    await app.db.raw('ALTER TABLE account_search_fts RENAME TO account_search_fts_gone');
    try {
      const res = await post(cookie, 'staff.accounts.search', { query: 'ヤマダハナコ', field: 'name', page: 1, pageSize: 20 });
      expect(res.json).toEqual({ ok: false, error: { code: 'INTERNAL' } });
    } finally {
      await app.db.raw('ALTER TABLE account_search_fts_gone RENAME TO account_search_fts');
      spy.mockRestore();
    }
    const { line, text: log } = await waitForLogLine(logFile(), (l) => l.includes('call failed') && l.includes('SQLITE_ERROR'), 'the failed search call');
    expect(JSON.parse(line)).toMatchObject({ call: 'staff.accounts.search', failure: { errno: 'SQLITE_ERROR' } });
    for (const text of [log, stderr.join('')]) {
      expect(text).toContain('staff.accounts.search');
      expect(text).not.toContain('ヤマダハナコ');
      expect(text).not.toMatch(/select\s.*\sfrom|MATCH/i);
    }
    expect(stderr.join('')).toContain('call failed');
  });
});

describe('requests from another page or host name (HTTP probe, session 14)', () => {
  it('logs the refusal of a foreign Origin and of a foreign Host as security events, without the text they sent', async () => {
    // A page on another 127.0.0.1 port posting to a call (CSRF), and a rebound host name.
    const foreign = await fetch(`${base}/api/call/app.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: 'http://127.0.0.1:1/csrf-probe-origin', Cookie: await pageCookie() },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    const { line: originLine } = await waitForLogLine(logFile(), (l) => l.includes('foreign request refused') && l.includes('"check":"origin"'), 'the foreign Origin');
    expect(JSON.parse(originLine)).toMatchObject({ refusal: 'BAD_ORIGIN', check: 'origin', route: 'call' });

    const port = new URL(base).port;
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/', headers: { Host: `rebinding-probe.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(403);
    const { line: hostLine, text } = await waitForLogLine(logFile(), (l) => l.includes('foreign request refused') && l.includes('"check":"host"'), 'the foreign Host');
    expect(JSON.parse(hostLine)).toMatchObject({ refusal: 'BAD_ORIGIN', check: 'host' });
    // What the sender typed stays out of the log.
    expect(text).not.toContain('csrf-probe-origin');
    expect(text).not.toContain('rebinding-probe');
  });
});
