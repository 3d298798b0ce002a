// Web mode's loopback HTTP transport against the real app: cookie, CSP, origin and host
// checks, body limits, typed errors without stacks (DESIGN §3, §5).
import { writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { BODY_LIMIT_BYTES, CONTENT_SECURITY_POLICY, createHttpTransport } from '../../src-main/transport/http';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { startTestApp } from './support/test-app';

const PAGE = '<!doctype html><html lang="ja"><head><title>JSA Webdesk</title></head><body><div id="root"></div></body></html>';

let dir: TempDir;
let app: App;
let http: ReturnType<typeof createHttpTransport>;
let base: string;
let origin: string;
let port: number;
let cookie: string;

beforeAll(async () => {
  dir = await makeTempDir();
  const staticDir = join(dir.path, 'renderer');
  app = await startTestApp({ dataDir: join(dir.path, 'data'), startMailWorker: false });
  await import('node:fs/promises').then((fs) => fs.mkdir(staticDir, { recursive: true }));
  await writeFile(join(staticDir, 'index.html'), PAGE);
  await writeFile(join(staticDir, 'app.js'), 'console.log("webdesk");');
  http = createHttpTransport({
    dispatch: app.dispatch,
    sessions: app.sessions,
    timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }),
    staticDir,
  });
  port = await http.listen(0);
  base = `http://127.0.0.1:${port}`;
  origin = base;
  const page = await fetch(`${base}/`);
  const setCookie = page.headers.get('set-cookie') ?? '';
  cookie = setCookie.split(';')[0]!;
});

afterAll(async () => {
  await http?.close();
  await app?.close();
  await dir?.remove();
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http, for what fetch will not send: a foreign Host header, or a path with "..". */
function raw(options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function call(name: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/api/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin, 'X-Webdesk-Request': '1', Cookie: cookie, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Every refusal is `{ok:false, error:{code}}` and nothing else: no message, no stack. */
async function expectError(res: Response | RawResponse, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  const text = 'text' in res ? await res.text() : res.body;
  const body = JSON.parse(text) as { ok: boolean; error: Record<string, unknown> };
  expect(body).toEqual({ ok: false, error: { code } });
  expect(text).not.toMatch(/stack|at .*\.ts|Error:/);
}

describe('the page', () => {
  it('GET / serves index.html with an HttpOnly SameSite=Strict session cookie and the CSP', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(PAGE);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const setCookie = res.headers.get('set-cookie') ?? '';
    // A signed pass for a session (sessions.ts), not a session: the server keeps nothing yet.
    expect(setCookie).toMatch(/^webdesk_sid=p[0-9a-z]+\.[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps the session of a browser that already has one', async () => {
    const res = await fetch(`${base}/`, { headers: { Cookie: cookie } });
    expect(res.headers.get('set-cookie')?.split(';')[0]).toBe(cookie);
  });

  it('serves the client-side screens (/reset/<token>, /staff) as the one page', async () => {
    for (const path of ['/reset/AbCdEfGhIjKlMnOpQrStUv', '/staff']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(PAGE);
    }
  });

  it('answers a JSON 404 for a path under /api/ that no route takes, never the page', async () => {
    for (const path of ['/api', '/api/', '/api/calls/app.info', '/api/health', '/api/call']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    }
  });

  it('serves assets with their type and answers 404 for a missing one', async () => {
    const js = await fetch(`${base}/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('webdesk');
    expect((await fetch(`${base}/missing.js`)).status).toBe(404);
  });

  it.each([
    '/../../etc/passwd',
    '/..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/..\\..\\..\\etc\\passwd',
    '/static/../../../../etc/passwd',
  ])('never serves a file outside the static folder: %s', async (path) => {
    const res = await raw({ path });
    expect(res.body).not.toMatch(/root:.*:0:0:/);
    if (res.status === 200) expect(res.body).toBe(PAGE);
  });

  it('answers a request line no URL parser takes with 400 and goes on serving (`GET //[` ended the process)', async () => {
    for (const path of ['//[', '//[::1', '//a:b:c@[x]']) await expectError(await raw({ path }), 400, 'BAD_REQUEST');
    expect((await fetch(`${base}/`)).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding) with 403 BAD_ORIGIN', async () => {
    await expectError(await raw({ path: '/', headers: { Host: `evil.example:${port}` } }), 403, 'BAD_ORIGIN');
    await expectError(
      await raw({
        method: 'POST',
        path: '/api/call/app.info',
        headers: { Host: `evil.example:${port}`, Origin: origin, 'X-Webdesk-Request': '1', 'Content-Type': 'application/json', Cookie: cookie },
        body: '{}',
      }),
      403,
      'BAD_ORIGIN',
    );
  });
});

describe('POST /api/call/<name>', () => {
  it('runs app.info with the cookie, our Origin and X-Webdesk-Request', async () => {
    const res = await call('app.info', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      ok: true,
      value: expect.objectContaining({ version: '0.1.0', transport: 'http', supportEmail: 'webdesk@jisa.or.jp', codeLifetimeMinutes: 30 }),
    });
  });

  it('accepts localhost as well as 127.0.0.1 as our own origin', async () => {
    expect((await call('app.info', {}, { Origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it('answers 401 UNAUTHENTICATED without the session cookie, or with one it never issued', async () => {
    await expectError(await call('app.info', {}, { Cookie: '' }), 401, 'UNAUTHENTICATED');
    await expectError(await call('app.info', {}, { Cookie: 'webdesk_sid=forged-session-id-forged-session' }), 401, 'UNAUTHENTICATED');
  });

  it('answers 403 BAD_ORIGIN for a foreign or missing Origin, or without X-Webdesk-Request', async () => {
    await expectError(await call('app.info', {}, { Origin: 'https://evil.example' }), 403, 'BAD_ORIGIN');
    await expectError(await call('app.info', {}, { Origin: `http://127.0.0.1:${port + 1}` }), 403, 'BAD_ORIGIN');
    await expectError(await raw({ method: 'POST', path: '/api/call/app.info', headers: { Host: `127.0.0.1:${port}`, 'X-Webdesk-Request': '1', 'Content-Type': 'application/json', Cookie: cookie }, body: '{}' }), 403, 'BAD_ORIGIN');
    await expectError(await call('app.info', {}, { 'X-Webdesk-Request': '0' }), 403, 'BAD_ORIGIN');
  });

  it('answers 400 BAD_REQUEST for a body that is not JSON by type (a simple CORS form post)', async () => {
    await expectError(await call('app.info', '{}', { 'Content-Type': 'text/plain' }), 400, 'BAD_REQUEST');
    await expectError(await call('app.info', 'a=1', { 'Content-Type': 'application/x-www-form-urlencoded' }), 400, 'BAD_REQUEST');
  });

  it('takes application/json by its media type, with or without parameters, and no type that merely begins so', async () => {
    for (const type of ['application/jsonfoo', 'application/json-patch+json', 'application/json5', 'application/jsonx; charset=utf-8']) {
      await expectError(await call('app.info', '{}', { 'Content-Type': type }), 400, 'BAD_REQUEST');
    }
    for (const type of ['application/json', 'Application/JSON; charset=utf-8', 'application/json ;charset=UTF-8']) {
      expect((await call('app.info', '{}', { 'Content-Type': type })).status, type).toBe(200);
    }
  });

  it('answers 400 BAD_REQUEST for malformed JSON', async () => {
    await expectError(await call('app.info', '{"unterminated": '), 400, 'BAD_REQUEST');
  });

  it('answers 400 BAD_REQUEST for a GET', async () => {
    await expectError(await fetch(`${base}/api/call/app.info`, { headers: { Origin: origin, 'X-Webdesk-Request': '1', Cookie: cookie } }), 400, 'BAD_REQUEST');
  });

  it(`answers 413 BODY_TOO_LARGE for a body over ${BODY_LIMIT_BYTES / 1024} KiB`, async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT_BYTES) });
    await expectError(await call('app.info', big), 413, 'BODY_TOO_LARGE');
  });

  it('answers 413 BODY_TOO_LARGE for a chunked body that grows past the limit', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 6) controller.close();
        else {
          sent += 1;
          controller.enqueue(chunk);
        }
      },
    });
    const res = await fetch(`${base}/api/call/app.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin, 'X-Webdesk-Request': '1', Cookie: cookie },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await expectError(res, 413, 'BODY_TOO_LARGE');
  });

  it('accepts a body just under the limit', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT_BYTES - 20) });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
    expect((await call('app.info', body)).status).toBe(200);
  });

  it('answers 404 UNKNOWN_CALL for a call the contract does not have', async () => {
    await expectError(await call('staff.dropDatabase', {}), 404, 'UNKNOWN_CALL');
    await expectError(await call('__proto__', {}), 404, 'UNKNOWN_CALL');
    await expectError(await call('toString', {}), 404, 'UNKNOWN_CALL');
  });

  it('answers 400 INVALID_INPUT with field issues (and nothing else) for bad input', async () => {
    const res = await call('reset.request', { jsaId: '1234567890', email: 'tanaka@example', locale: 'ja' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        fields: [
          { field: 'jsaId', code: 'jsaId.length', params: { digits: 10 } },
          { field: 'email', code: 'email.format' },
        ],
      },
    });
  });

  it('reports a field sent with the wrong type as invalid, not as missing', async () => {
    const res = await call('reset.request', { jsaId: 12345678901, email: 'tanaka@example.co.jp', locale: 'ja' });
    expect(await res.json()).toEqual({ ok: false, error: { code: 'INVALID_INPUT', fields: [{ field: 'jsaId', code: 'invalid' }] } });
    const missing = await call('reset.request', { jsaId: '12345678901', locale: 'ja' });
    expect(await missing.json()).toEqual({ ok: false, error: { code: 'INVALID_INPUT', fields: [{ field: 'email', code: 'required' }] } });
  });

  it('carries a service refusal with its params and status', async () => {
    const res = await call('reset.verifyCode', { identifier: '123456789', code: 'ABCDE23456' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: [{ field: 'identifier', code: 'jsaId.length', params: { digits: 9 } }] },
    });
  });

  it('answers a malformed percent-encoding in the call name with a client error, not 500', async () => {
    const res = await raw({ method: 'POST', path: '/api/call/%E0%A4%A', headers: { Host: `127.0.0.1:${port}`, Origin: origin, 'X-Webdesk-Request': '1', 'Content-Type': 'application/json', Cookie: cookie }, body: '{}' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});
