// Web mode's bounds on request bodies (issue 18): a call's body has a deadline, an upload has
// none in total (a 256 MiB file on a busy machine may need minutes) but may not stall.
import { once } from 'node:events';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { FileTransfers } from '../../src-main/services/account-files/transfers';
import { createHttpTransport } from '../../src-main/transport/http';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { startTestApp } from './support/test-app';

const timeouts = { customerMinutes: 5, staffMinutes: 15 };

let dir: TempDir;
let app: App;
let staticDir: string;
const open: Array<ReturnType<typeof createHttpTransport>> = [];

beforeAll(async () => {
  dir = await makeTempDir();
  staticDir = join(dir.path, 'renderer');
  await mkdir(staticDir, { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><html lang="ja"><head><title>JSA Webdesk</title></head><body></body></html>');
  app = await startTestApp({ dataDir: join(dir.path, 'data'), startMailWorker: false });
});

afterAll(async () => {
  for (const http of open) await http.close();
  await app?.close();
  await dir?.remove();
});

/** A transport with its own file transfers (or the app's) and short body bounds; its port and a session cookie. */
async function serve(bodyTimeouts: { callMs: number; uploadIdleMs: number }, transfers = new FileTransfers(() => Date.now(), async () => undefined)) {
  const http = createHttpTransport({ dispatch: app.dispatch, sessions: app.sessions, timeouts: async () => timeouts, staticDir, transfers, bodyTimeouts, getRoutes: { '/health': async () => ({ status: 'ok' }) } });
  open.push(http);
  const port = await http.listen(0);
  const page = await fetch(`http://127.0.0.1:${port}/`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const session = app.sessions.resume(cookie.split('=')[1]!, timeouts)!;
  return { port, cookie, transfers, sessionId: session.id, session };
}

/** The page's session logged in as the first-start admin, past the forced password change; its new cookie. */
async function asAdmin(session: ReturnType<typeof app.sessions.create>) {
  const call = async (name: string, input: unknown) => {
    const actor = session.principal.staff ? `staff:${session.principal.staff.staffId}` : 'kiosk';
    return app.dispatch(name, input, { session, transport: 'http', actor });
  };
  const first = app.firstAdmin!.password;
  await call('staff.login', { username: 'admin', password: first });
  await call('staff.changePassword', { current: first, next: 'kiri-no-naka-no-tokei-2026', confirm: 'kiri-no-naka-no-tokei-2026' });
  return { call, cookie: `webdesk_sid=${session.id}` };
}

/** An upload ticket whose receiver counts the bytes; `received` settles as the receiver does. */
function countingTicket(transfers: FileTransfers, sessionId: string) {
  let settle!: (outcome: { bytes: number } | { failed: string }) => void;
  const received = new Promise<{ bytes: number } | { failed: string }>((resolve) => (settle = resolve));
  const id = transfers.issue({
    kind: 'upload',
    sessionId,
    role: 'public',
    fileName: 'accounts.csv',
    maxBytes: 1024 * 1024,
    receive: async (body: Readable) => {
      let bytes = 0;
      try {
        for await (const chunk of body) bytes += (chunk as Buffer).length;
      } catch (error) {
        settle({ failed: (error as Error).message });
        throw error;
      }
      settle({ bytes });
      return { bytes };
    },
  });
  return { id, received };
}

/** POST /api/upload/<ticket> as the screen sends it, its body written by the test. */
function uploadRequest(port: number, cookie: string, id: string, headers: Record<string, string> = {}) {
  return httpRequest({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: `/api/upload/${id}`,
    headers: { Origin: `http://127.0.0.1:${port}`, 'X-Webdesk-Request': '1', Cookie: cookie, 'Content-Type': 'text/csv', ...headers },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A request head declaring a 10 MB body, then one byte of it every 200 ms (often enough that
 * Node's keep-alive timeout never fires): everything the server sent until it closed.
 */
async function headThenTrickle(port: number, lines: string[]): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let answered = '';
  socket.on('data', (chunk: Buffer) => (answered += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  socket.write([...lines, 'Content-Length: 10000000', '', ''].join('\r\n'));
  const trickle = setInterval(() => socket.writable && socket.write('a'), 200);
  try {
    await once(socket, 'close');
  } finally {
    clearInterval(trickle);
  }
  return answered;
}

describe('request body bounds', () => {
  it('closes a call whose body stops coming at the call deadline, and goes on serving', async () => {
    const { port, cookie } = await serve({ callMs: 200, uploadIdleMs: 5_000 });
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      [
        'POST /api/call/reset.request HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        `Origin: http://127.0.0.1:${port}`,
        'X-Webdesk-Request: 1',
        'Content-Type: application/json',
        `Cookie: ${cookie}`,
        'Content-Length: 100',
        '',
        '{"jsaId":',
      ].join('\r\n'),
    );
    let answered = '';
    socket.on('data', (chunk: Buffer) => (answered += chunk.toString('utf8')));
    await once(socket, 'close');
    // Closed without an answer: the caller's fetch fails rather than waiting for ever.
    expect(answered).toBe('');
    const after = await fetch(`http://127.0.0.1:${port}/`);
    expect(after.status).toBe(200);
  });

  it('takes an upload whole that runs longer in total than a call may', async () => {
    const { port, cookie, transfers, sessionId } = await serve({ callMs: 200, uploadIdleMs: 5_000 });
    const { id, received } = countingTicket(transfers, sessionId);
    const req = uploadRequest(port, cookie, id);
    const response = once(req, 'response') as Promise<[import('node:http').IncomingMessage]>;
    const started = performance.now();
    // Twenty pieces with a gap after each, and at least twice the call deadline in all.
    for (let i = 0; i < 20 || performance.now() - started < 400; i += 1) {
      req.write(Buffer.alloc(1_000, 0x61));
      await sleep(30);
    }
    req.end();
    const [res] = await response;
    let text = '';
    for await (const chunk of res) text += (chunk as Buffer).toString('utf8');
    expect(res.statusCode).toBe(200);
    const sent = (await received) as { bytes: number };
    expect(JSON.parse(text)).toEqual({ ok: true, value: { bytes: sent.bytes } });
    expect(sent.bytes).toBeGreaterThanOrEqual(20_000);
    expect(sent.bytes % 1_000).toBe(0);
  });

  it('ends an upload that stalls, and its receiver is told instead of waiting for ever', async () => {
    const { port, cookie, transfers, sessionId } = await serve({ callMs: 200, uploadIdleMs: 200 });
    const { id, received } = countingTicket(transfers, sessionId);
    const req = uploadRequest(port, cookie, id, { 'Content-Length': '100000' });
    // The server hangs up: the client's error is the expected end here.
    const closed = new Promise<void>((resolve) => req.on('close', resolve));
    req.on('error', () => undefined);
    req.write(Buffer.alloc(10, 0x61));
    await closed;
    expect(await received).toEqual({ failed: 'upload stalled' });
    const after = await fetch(`http://127.0.0.1:${port}/`);
    expect(after.status).toBe(200);
  });

  it('frees the import slot when the client breaks off an upload part-way, and leaves no part of the file', async () => {
    const { port, session } = await serve({ callMs: 200, uploadIdleMs: 5_000 }, app.transfers);
    const admin = await asAdmin(session);
    const begun = await admin.call('accounts.import.beginUpload', { fileName: 'accounts.csv', bytes: 100_000 });
    if (!begun.ok) throw new Error(JSON.stringify(begun.error));
    const { ticket } = begun.value as { ticket: string };
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      [
        `POST /api/upload/${ticket} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        `Origin: http://127.0.0.1:${port}`,
        'X-Webdesk-Request: 1',
        'Content-Type: text/csv',
        `Cookie: ${admin.cookie}`,
        'Content-Length: 100000',
        '',
        `jsa_id,email\n${'1'.repeat(5_000)}`,
      ].join('\r\n'),
    );
    // The file is arriving: the slot says so to everyone else.
    await vi.waitFor(async () => expect(await admin.call('accounts.import.beginUpload', { fileName: 'b.csv', bytes: 10 })).toMatchObject({ ok: false, error: { params: { reason: 'file-arriving' } } }));
    // The tab is closed, the cable pulled: the rest never comes and nobody hangs up politely.
    socket.destroy();
    await vi.waitFor(async () => expect((await admin.call('accounts.import.beginUpload', { fileName: 'b.csv', bytes: 10 })).ok).toBe(true), { timeout: 5_000, interval: 20 });
    expect(await readdir(join(dir.path, 'data', 'imports'))).toEqual([]);
    expect(app.importJobs.status()).toMatchObject({ file: null, run: null });
  });

  it.each([
    ['a foreign Host', (_port: number) => ['POST /api/call/app.info HTTP/1.1', 'Host: evil.example']],
    ['a call without a session', (port: number) => ['POST /api/call/app.info HTTP/1.1', `Host: 127.0.0.1:${port}`, `Origin: http://127.0.0.1:${port}`, 'X-Webdesk-Request: 1', 'Content-Type: application/json']],
    ['a call without the custom header', (port: number) => ['POST /api/call/app.info HTTP/1.1', `Host: 127.0.0.1:${port}`, `Origin: http://127.0.0.1:${port}`, 'Content-Type: application/json']],
    ['a static page', (port: number) => ['GET / HTTP/1.1', `Host: 127.0.0.1:${port}`]],
    ['/health', (port: number) => ['GET /health HTTP/1.1', `Host: 127.0.0.1:${port}`]],
    ['a download without a ticket', (port: number) => ['GET /api/download/nothing HTTP/1.1', `Host: 127.0.0.1:${port}`]],
  ])(
    'answers %s at once and closes the connection rather than read a trickled body it has no use for',
    async (_what, head) => {
      const { port } = await serve({ callMs: 60_000, uploadIdleMs: 60_000 });
      // Without the close this never settles: the test's own timeout is the failure.
      const answered = await headThenTrickle(port, head(port));
      expect(answered).toMatch(/^HTTP\/1\.1 \d{3} /);
      expect(answered).toMatch(/\r\nConnection: close\r\n/i);
    },
    15_000,
  );

  it('keeps the connection for the next request after a call whose body it read', async () => {
    const { port, cookie } = await serve({ callMs: 5_000, uploadIdleMs: 5_000 });
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    let answered = '';
    const call = ['POST /api/call/app.info HTTP/1.1', `Host: 127.0.0.1:${port}`, `Origin: http://127.0.0.1:${port}`, 'X-Webdesk-Request: 1', 'Content-Type: application/json', `Cookie: ${cookie}`, 'Content-Length: 2', '', '{}'].join('\r\n');
    const twoAnswers = new Promise<void>((resolve) =>
      socket.on('data', (chunk: Buffer) => {
        answered += chunk.toString('utf8');
        if (answered.split('HTTP/1.1 200 ').length === 3) resolve();
      }),
    );
    socket.write(call);
    socket.write(call);
    await twoAnswers;
    expect(answered).not.toMatch(/Connection: close/i);
    socket.destroy();
  });
});
