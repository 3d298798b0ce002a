import { constants as fsConstants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { AppError, type CallError, type CallResult, type ErrorCode } from '../contract/errors';
import { activityOf, activityOfRole } from '../contract/registry';
import type { Role } from '../contract/roles';
import type { FileTransfers } from '../services/account-files/transfers';
import type { Session, SessionRegistry, SessionTimeouts } from '../services/sessions';
import type { Logger } from '../services/logger';
import type { Dispatch } from './dispatch';

export const BODY_LIMIT_BYTES = 64 * 1024;
/**
 * A call's whole body must arrive within this. Node's own requestTimeout is off: it bounds
 * every request's total time, so it would also cut a large upload short on a slow disk or a
 * busy machine (256 MiB in 30 s needs 8.5 MB/s).
 */
export const CALL_BODY_MS = 30_000;
/** An upload takes as long as its size needs, but must not stall: no byte for this long ends it. */
export const UPLOAD_IDLE_MS = 30_000;
const SESSION_COOKIE = 'webdesk_sid';

/** The page may load only itself: no CDN, no inline script, no framing (DESIGN §3). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const statusFor: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  BAD_ORIGIN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  UNKNOWN_CALL: 404,
  NOT_FOUND: 404,
  BODY_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  COOLDOWN: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json',
};

export interface HttpTransportOptions {
  dispatch: Dispatch;
  sessions: SessionRegistry;
  timeouts(): Promise<SessionTimeouts>;
  staticDir: string;
  /** Extra GET routes with no personal data (e.g. /health). */
  getRoutes?: Record<string, () => Promise<unknown>>;
  /** Where a static file that cannot be served is reported (path and errno code only). */
  logger?: Pick<Logger, 'warn' | 'error'>;
  /**
   * The file routes (issue 18 §4): POST /api/upload/<ticket> and GET /api/download/<ticket>,
   * each opened by a single-use ticket a contract call issued after its role check.
   */
  transfers?: FileTransfers;
  /** CALL_BODY_MS and UPLOAD_IDLE_MS unless given (tests shorten them). */
  bodyTimeouts?: { callMs?: number; uploadIdleMs?: number };
}

/**
 * Opens a static file for reading without ever blocking or throwing: O_NONBLOCK so a FIFO
 * named like an asset does not hold a thread until a writer comes, and only regular files
 * are served (a socket answers ENXIO, a device or FIFO is not ours to stream).
 */
async function openStatic(file: string): Promise<{ handle: FileHandle; size: number } | { failed: 'missing' | 'not-a-file' | 'unreadable'; code?: string }> {
  let handle: FileHandle;
  try {
    handle = await open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { failed: 'missing', code } : { failed: 'unreadable', code };
  }
  try {
    const info = await handle.stat();
    if (info.isFile()) return { handle, size: info.size };
    await handle.close();
    return { failed: 'not-a-file' };
  } catch (error) {
    await handle.close().catch(() => undefined);
    return { failed: 'unreadable', code: (error as NodeJS.ErrnoException).code };
  }
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/** The asset's path below the static folder: no user-typed text beyond our own file names reaches the log. */
function relativeStatic(root: string, file: string): string {
  return file.startsWith(root + sep) ? file.slice(root.length + 1).slice(0, 200) : '?';
}

/**
 * A request that declares a body keeps its connection only once that body has been read to its
 * end. Any answer sent before (a refusal, a page, /health, an upload given up part-way) closes
 * the connection after it: Node would otherwise read and drop the rest for as long as it kept
 * coming (requestTimeout is off), and one byte every few seconds held a socket with no
 * credential at all (20,000 of them ran the process out of descriptors).
 */
function closeUnlessBodyRead(req: IncomingMessage, res: ServerResponse): void {
  // RFC 9112 §6.3: a request has a body exactly when it says so by one of these two.
  const declaresBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!declaresBody) return;
  res.setHeader('Connection', 'close');
  req.once('end', () => {
    if (!res.headersSent) res.removeHeader('Connection');
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Under /api/ nothing is a screen: a path no route takes is a JSON 404, not the page (a client
 * or a script with a typo would otherwise read HTML as an answer).
 */
const isApiPath = (pathname: string) => pathname === '/api' || pathname.startsWith('/api/');

function sendError(res: ServerResponse, error: CallError): void {
  const result: CallResult<never> = { ok: false, error };
  sendJson(res, statusFor[error.code] ?? 422, result);
}

const sessionCookie = (sid: string) => `${SESSION_COOKIE}=${sid}; HttpOnly; SameSite=Strict; Path=/`;

/** Every value sent under the name, in the browser's order. */
function cookieValues(req: IncomingMessage, name: string): string[] {
  const values: string[] = [];
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) values.push(rest.join('='));
  }
  return values;
}

/**
 * Ours is the last: we set it for Path=/ only, and the browser lists a cookie of the same name
 * for a longer path first (RFC 6265 §5.4). A page on any other 127.0.0.1 port can plant one
 * (cookies do not keep ports apart): taken first, it held every call in a session it knew, or
 * in none, for as long as the browser ran (HTTP probe, session 14).
 */
function cookieValue(req: IncomingMessage, name: string): string | undefined {
  return cookieValues(req, name).at(-1);
}

/**
 * A planted cookie of our name is expired at every path it could have been sent for with this
 * request (RFC 6265 §5.1.4: the path itself and each "/"-bounded prefix, with or without the
 * slash), ours (/) excepted: the browser drops it, so the kiosk heals by itself.
 */
function expirePlantedCookies(req: IncomingMessage, res: ServerResponse, pathname: string): void {
  if (cookieValues(req, SESSION_COOKIE).length < 2) return;
  const paths = new Set<string>();
  for (let i = pathname.indexOf('/', 1); i !== -1; i = pathname.indexOf('/', i + 1)) {
    paths.add(pathname.slice(0, i));
    paths.add(pathname.slice(0, i + 1));
  }
  if (pathname !== '/') paths.add(pathname);
  for (const path of paths) res.appendHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=${path}; Max-Age=0`);
}

/**
 * Loopback only, and only under our own name: a page elsewhere that resolves its host name
 * to 127.0.0.1 (DNS rebinding) sends a foreign Host or Origin and is refused.
 */
function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}` || origin === `http://[::1]:${port}`;
}

/** The Content-Type without its parameters (RFC 9110 §8.3.1): `application/jsonfoo` is not JSON. */
function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A malformed %-escape is the client's mistake (400), not a server error. */
function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage, deadlineMs: number): Promise<string | 'too-large' | 'timed-out'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > BODY_LIMIT_BYTES) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    req.destroy();
  }, deadlineMs);
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > BODY_LIMIT_BYTES) return 'too-large';
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (timedOut) return 'timed-out';
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One line per kind of foreign request a minute at most: a page looping fetch() must not flush main.log's rotation. */
const FOREIGN_LOG_EVERY_MS = 60_000;

type ForeignCheck = 'host' | 'origin' | 'fetch-site';

export function createHttpTransport(options: HttpTransportOptions): { server: Server; listen(port: number): Promise<number>; close(): Promise<void> } {
  let boundPort = 0;
  const foreignLogged = new Map<ForeignCheck, { atMs: number; since: number }>();

  /**
   * A request from another page or another host name (CSRF, DNS rebinding) is refused, and
   * logged as a security event (ASVS 5.0 V16.3.3): the check and the route, never the Origin,
   * Host or path sent, which are the sender's text.
   */
  function refuseForeign(res: ServerResponse, check: ForeignCheck, route: string): void {
    const nowMs = Date.now();
    const last = foreignLogged.get(check);
    if (!last || nowMs - last.atMs >= FOREIGN_LOG_EVERY_MS || nowMs < last.atMs) {
      options.logger?.warn({ refusal: 'BAD_ORIGIN', check, route, refusedSinceLastLine: last?.since ?? 0 }, 'foreign request refused');
      foreignLogged.set(check, { atMs: nowMs, since: 0 });
    } else {
      last.since += 1;
    }
    sendError(res, { code: 'BAD_ORIGIN' });
  }

  /**
   * An upload's or download's session, renewing nobody's idle clock until its ticket says whose
   * work it is: a clerk's export must not keep a customer's マイページ open (registry activityOf).
   */
  const transferSession = async (sid: string) => options.sessions.resume(sid, await options.timeouts(), 'none');
  const renew = async (session: Session, role: Role) => {
    options.sessions.find(session.id, await options.timeouts(), activityOfRole(role));
  };

  async function handleCall(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (req.method !== 'POST') return sendError(res, { code: 'BAD_REQUEST' });
    // The custom header forces a CORS preflight that we never answer, on top of the Origin check.
    if (!originAllowed(req, boundPort) || req.headers['x-webdesk-request'] !== '1') return refuseForeign(res, 'origin', 'call');
    if (mediaType(req) !== 'application/json') return sendError(res, { code: 'BAD_REQUEST' });
    const callName = safeDecode(name);
    const sid = cookieValue(req, SESSION_COOKIE);
    const session = sid ? options.sessions.resume(sid, await options.timeouts(), activityOf(callName ?? '')) : undefined;
    if (!session) return sendError(res, { code: 'UNAUTHENTICATED' });
    const body = await readBody(req, options.bodyTimeouts?.callMs ?? CALL_BODY_MS);
    // The connection is gone already: nothing to answer.
    if (body === 'timed-out') return;
    if (body === 'too-large') return sendError(res, { code: 'BODY_TOO_LARGE' });
    let input: unknown;
    try {
      input = body === '' ? {} : JSON.parse(body);
    } catch {
      return sendError(res, { code: 'BAD_REQUEST' });
    }
    const actor = session.principal.staff ? `staff:${session.principal.staff.staffId}` : session.principal.customer ? `customer:${session.principal.customer.accountId}` : 'kiosk';
    if (callName === undefined) return sendError(res, { code: 'BAD_REQUEST' });
    const result = await options.dispatch(callName, input, { session, transport: 'http', actor });
    // A login rotated the session id (sessions.ts): the browser gets the new cookie with the answer.
    if (session.id !== sid) res.appendHeader('Set-Cookie', sessionCookie(session.id));
    if (result.ok) sendJson(res, 200, result);
    else sendError(res, result.error);
  }

  /**
   * An upload streamed to the main process: the same Origin, custom-header and session checks
   * as a call, the ticket's own session and role, and the ticket's size limit instead of the
   * 64 KiB call body limit (counted as the bytes come, whatever Content-Length says).
   */
  async function handleUpload(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    if (req.method !== 'POST') return sendError(res, { code: 'BAD_REQUEST' });
    if (!originAllowed(req, boundPort) || req.headers['x-webdesk-request'] !== '1') return refuseForeign(res, 'origin', 'upload');
    const sid = cookieValue(req, SESSION_COOKIE);
    const session = sid ? await transferSession(sid) : undefined;
    if (!session) return sendError(res, { code: 'UNAUTHENTICATED' });
    const ticket = options.transfers?.take(id, 'upload', session.id);
    if (!ticket) return sendError(res, { code: 'NOT_FOUND' });
    const refused = await options.transfers?.refusal(ticket, session, 'http');
    if (refused) return sendError(res, refused);
    await renew(session, ticket.role);
    const declaredText = req.headers['content-length'];
    const declared = declaredText === undefined ? undefined : Number(declaredText);
    if (declared !== undefined && declared > ticket.maxBytes) return sendError(res, { code: 'BODY_TOO_LARGE', params: { maxBytes: ticket.maxBytes } });
    // The receiver may give up part-way (too large): it ends this pass-through, never the
    // request itself, so the answer is sent and the connection closed after it (the body was
    // not read to its end); destroying the socket would reset it before the browser read the answer.
    const body = new PassThrough();
    // The receiver may not be reading yet (it looks up the staff name first): a failure before
    // then must not be an uncaught error. It stays on the stream, so a pipeline started later sees it.
    body.on('error', () => undefined);
    req.pipe(body);
    // A stalled upload ends: the receiver sees its body fail (it must not wait for ever).
    const idleMs = options.bodyTimeouts?.uploadIdleMs ?? UPLOAD_IDLE_MS;
    const idle = setTimeout(() => {
      body.destroy(new Error('upload stalled'));
      req.destroy();
    }, idleMs);
    req.on('data', () => idle.refresh());
    req.on('end', () => clearTimeout(idle));
    // pipe() does not pass on a client that breaks off (tab closed, cable pulled): the
    // receiver must be told, or it waits for ever holding the import slot and a partial file.
    req.on('close', () => {
      clearTimeout(idle);
      if (!req.complete) body.destroy(new Error('upload broke off'));
    });
    try {
      sendJson(res, 200, { ok: true, value: await ticket.receive(body, declared) });
    } catch (error) {
      clearTimeout(idle);
      req.unpipe(body);
      if (!(error instanceof AppError)) throw error;
      sendError(res, error.toCallError());
    }
  }

  /**
   * A download streamed from the main process. A link cannot send the custom header, so the
   * guard is the ticket (issued by a call that had it, 60 s, once, this session only), the
   * SameSite=Strict cookie, and the browser's Sec-Fetch-Site when it sends one. Its audit entry
   * is committed before the first byte (FileTransfers.open); the page's POST first (prepare)
   * writes it where the page can read a refusal, a link's answer being for the browser alone.
   */
  async function handleDownload(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    if (req.method === 'POST') return prepareDownload(req, res, id);
    if (req.method !== 'GET') return sendError(res, { code: 'BAD_REQUEST' });
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') return refuseForeign(res, 'fetch-site', 'download');
    const taken = await takeDownload(req, res, id);
    if (!taken) return;
    const { transfers, ticket } = taken;
    let stream: Readable;
    try {
      stream = await transfers.open(ticket);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return sendError(res, error.toCallError());
    }
    const ascii = ticket.fileName.replace(/[^A-Za-z0-9._-]/g, '_');
    res.writeHead(200, {
      'Content-Type': ticket.contentType,
      // toWellFormed: encodeURIComponent throws on a lone surrogate (the names are cleaned where they are chosen too).
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(ticket.fileName.toWellFormed())}`,
      'Cache-Control': 'no-store',
    });
    // A failure half-way (an account changed into something Shift_JIS cannot hold, the disk):
    // the download is cut short, never finished with made-up bytes.
    stream.on('error', (error: Error) => {
      options.logger?.error({ download: ticket.kind, failure: error.name }, 'download broke off');
      res.destroy();
    });
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }

  /**
   * Both steps of a download take their ticket alike: this browser's login, the ticket its own,
   * the staff row re-read (FileTransfers.refusal), then the ticket's login renewed. Undefined
   * once the refusal has been answered.
   */
  async function takeDownload(req: IncomingMessage, res: ServerResponse, id: string) {
    const sid = cookieValue(req, SESSION_COOKIE);
    const session = sid ? await transferSession(sid) : undefined;
    if (!session) return sendError(res, { code: 'UNAUTHENTICATED' });
    const transfers = options.transfers;
    const ticket = transfers?.take(id, 'download', session.id);
    if (!transfers || !ticket) return sendError(res, { code: 'NOT_FOUND' });
    const refused = await transfers.refusal(ticket, session, 'http');
    if (refused) return sendError(res, refused);
    await renew(session, ticket.role);
    return { transfers, ticket };
  }

  /** The page's first step of a download: the checks of a call, the entry written, a new ticket for the bytes. */
  async function prepareDownload(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    if (!originAllowed(req, boundPort) || req.headers['x-webdesk-request'] !== '1') return refuseForeign(res, 'origin', 'download');
    const taken = await takeDownload(req, res, id);
    if (!taken) return;
    const { transfers, ticket } = taken;
    try {
      sendJson(res, 200, { ok: true, value: { ticket: await transfers.prepare(ticket) } });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      sendError(res, error.toCallError());
    }
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const root = normalize(options.staticDir);
    const decoded = safeDecode(pathname);
    if (decoded === undefined) {
      res.writeHead(400).end();
      return;
    }
    // Source maps are never served, even from a build that made them (issue 13 §9).
    if (extname(decoded).toLowerCase() === '.map') {
      res.writeHead(404).end();
      return;
    }
    let file = normalize(join(root, decoded));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(404).end();
      return;
    }
    let isPage = false;
    let info = await stat(file).catch(() => undefined);
    // The renderer is built with relative asset URLs (Electron loads it from file://), so a
    // page at /reset/<token> asks for /reset/assets/x.js: serve the one assets folder.
    const assetIndex = pathname.lastIndexOf('/assets/');
    if (!info && assetIndex > 0) {
      const asset = normalize(join(root, safeDecode(pathname.slice(assetIndex)) ?? ''));
      if (asset.startsWith(join(root, 'assets') + sep)) {
        file = asset;
        info = await stat(file).catch(() => undefined);
      }
    }
    if (!info || info.isDirectory()) {
      // Client-side screens (/, /reset/<token>, /staff) all load the one page.
      if (extname(pathname) !== '') {
        res.writeHead(404).end();
        return;
      }
      file = join(root, 'index.html');
      isPage = true;
    }
    // Opened before any header is sent, so a file that cannot be read still gets a plain answer.
    const opened = await openStatic(file);
    if ('failed' in opened) {
      const status = opened.failed === 'unreadable' ? 500 : 404;
      if (opened.failed !== 'missing') options.logger?.warn({ static: relativeStatic(root, file), failed: opened.failed, errno: opened.code }, 'static file not served');
      res.writeHead(status).end();
      return;
    }
    if (isPage || file.endsWith('.html')) {
      res.setHeader('Cache-Control', 'no-store');
      // The page carries a pass for a session, not a session: the server keeps nothing until a call needs it.
      const sid = cookieValue(req, SESSION_COOKIE);
      res.appendHeader('Set-Cookie', sessionCookie(sid && options.sessions.accepts(sid) ? sid : options.sessions.issuePass()));
    } else {
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    }
    res.setHeader('Content-Type', contentTypes[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', opened.size);
    res.writeHead(200);
    if (req.method === 'HEAD') {
      await opened.handle.close();
      res.end();
      return;
    }
    const stream = opened.handle.createReadStream({ autoClose: true });
    // A read error half-way (disk, file replaced during an update): the answer is cut short,
    // the browser sees a broken download and retries; the server logs it and goes on.
    stream.on('error', (error: NodeJS.ErrnoException) => {
      options.logger?.error({ static: relativeStatic(root, file), errno: error.code ?? 'unknown' }, 'static file read failed');
      res.destroy();
    });
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }

  const server = createServer((req, res) => {
    securityHeaders(res);
    closeUnlessBodyRead(req, res);
    if (!hostAllowed(req, boundPort)) {
      refuseForeign(res, 'host', 'any');
      return;
    }
    // A request line no URL parser takes (`GET //[`) is refused here: thrown in this callback,
    // outside the handlers' catch, it ended the whole process.
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    } catch {
      sendError(res, { code: 'BAD_REQUEST' });
      return;
    }
    expirePlantedCookies(req, res, pathname);
    const route = options.getRoutes?.[pathname];
    const work = pathname.startsWith('/api/call/')
      ? handleCall(req, res, pathname.slice('/api/call/'.length))
      : pathname.startsWith('/api/upload/')
        ? handleUpload(req, res, pathname.slice('/api/upload/'.length))
        : pathname.startsWith('/api/download/')
          ? handleDownload(req, res, pathname.slice('/api/download/'.length))
      : route && req.method === 'GET'
        ? route().then((body) => sendJson(res, 200, body))
        : isApiPath(pathname)
          ? Promise.resolve(sendError(res, { code: 'NOT_FOUND' }))
          : serveStatic(req, res, pathname);
    work.catch(() => {
      if (!res.headersSent) sendError(res, { code: 'INTERNAL' });
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  // Bodies have their own bounds (CALL_BODY_MS, UPLOAD_IDLE_MS): a total one would cut uploads.
  server.requestTimeout = 0;

  return {
    server,
    listen(port) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        // 127.0.0.1 only: the counter PC serves itself, never the network (DESIGN §3).
        server.listen(port, '127.0.0.1', () => {
          const address = server.address();
          boundPort = typeof address === 'object' && address ? address.port : port;
          resolve(boundPort);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
