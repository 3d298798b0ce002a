// Every contract call, fuzzed with fast-check through the common entry (app.dispatch) and
// through the loopback HTTP transport: wrong types, missing and extra fields, huge strings,
// odd Unicode, malformed JSON and oversized bodies. Every answer must be a valid ok or a typed
// error from errorCodes; the process keeps answering; the store stays intact (issue 8).
import { mkdir, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { errorCodes } from '../../src-main/contract/errors';
import { callNames, contract, type CallName } from '../../src-main/contract/registry';
import { integrityCheck } from '../../src-main/store/database';
import { verifyAuditChain } from '../../src-main/store/audit-repo';
import { BODY_LIMIT_BYTES, createHttpTransport } from '../../src-main/transport/http';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { loginTestStaff, startTestApp } from './support/test-app';

// Bounded so the whole file stays well under 60 s on the 2-core CI box.
const DISPATCH_RUNS = Number(process.env.WEBDESK_FUZZ_RUNS ?? 400);
const HTTP_RUNS = Math.max(20, Math.round(DISPATCH_RUNS / 2));

let dir: TempDir;
let app: App;
let http: ReturnType<typeof createHttpTransport>;
let port: number;
let cookie: string;
/** The demo account with a password: customer calls are fuzzed as a real logged-in customer. */
let customerAccountId: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  dir = await makeTempDir('webdesk-fuzz-');
  const staticDir = join(dir.path, 'renderer');
  await mkdir(staticDir, { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>fuzz</title>');
  app = await startTestApp({ dataDir: join(dir.path, 'data'), startMailWorker: false });
  // The fuzzer sends many plausible requests; the caps would answer most of them RATE_LIMITED.
  const s = await app.settings.get();
  await app.settings.update({ limits: { ...s.limits, perKioskPerHour: 10_000, resendCooldownSeconds: 0 } }, 'staff:test');
  customerAccountId = ((await app.db('accounts').where({ jsa_id: '12345678901' }).first('id')) as { id: string }).id;
  // Every staff call re-reads the caller's row: without one, the handlers would never be reached.
  await loginTestStaff(app, app.sessions.create(), 'fuzz-admin', 'admin');
  http = createHttpTransport({
    dispatch: app.dispatch,
    sessions: app.sessions,
    timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }),
    staticDir,
  });
  port = await http.listen(0);
  cookie = ((await fetch(`http://127.0.0.1:${port}/`)).headers.get('set-cookie') ?? '').split(';')[0]!;
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await http?.close();
  await app?.close();
  await dir?.remove();
});

// ── arbitraries ──────────────────────────────────────────────────────────────────────────

/** Characters that have broken parsers, normalisers and SQLite bindings elsewhere. */
const oddPieces = [
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  '\u202E', // RTL override
  '\u200F', // RTL mark
  '\u200B', // zero width space
  '\u0000', // NUL
  '\uFEFF', // BOM
  '\u3000', // ideographic space
  '＠',
  '１２３４５６７８９０１',
  'ｱｲｳ',
  '𠮷野家',
  '👨‍👩‍👧',
  'e\u0301',
  '\r\n',
  '"',
  "'; DROP TABLE accounts; --",
  '<script>alert(1)</script>',
  '%00',
  '../../etc/passwd',
  '__proto__',
  '@',
  '.',
  '-',
];

const oddString = fc
  .array(fc.oneof(fc.constantFrom(...oddPieces), fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 12 })
  .map((parts) => parts.join(''));

/** Strings a field might almost accept: 11 digits, addresses, code-like and token-like text. */
const plausibleString = fc.oneof(
  fc.stringMatching(/^[0-9]{11}$/),
  fc.stringMatching(/^[a-z]{1,8}@[a-z]{1,8}\.(jp|com)$/),
  fc.stringMatching(/^[0-9A-Z]{10}$/),
  fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/),
  fc.constantFrom('', ' ', 'ja', 'en', 'fr'),
);

const hugeString = fc.oneof(
  fc.nat({ max: 3 }).map((n) => 'x'.repeat([300, 1025, 20_000, 60_000][n]!)),
  fc.constantFrom(...oddPieces).map((p) => p.repeat(5_000)),
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: oddString },
  { weight: 4, arbitrary: plausibleString },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, [], {}, Number.NaN, Infinity) },
  { weight: 1, arbitrary: fc.array(oddString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(oddString, oddString, { maxKeys: 3 }) },
);

function fieldsOf(name: CallName): string[] {
  const input = contract[name].input as unknown as { shape?: Record<string, unknown> };
  return input.shape ? Object.keys(input.shape) : [];
}

/** An input for one call: its own fields with odd values (some missing), extra fields, or no object at all. */
function inputFor(name: CallName): fc.Arbitrary<unknown> {
  const fields = fieldsOf(name);
  const own = fc.record(Object.fromEntries(fields.map((f) => [f, anyValue])), { requiredKeys: [] });
  const extra = fc.dictionary(fc.oneof(oddString, fc.constantFrom('__proto__', 'constructor', 'prototype', 'role', 'isAdmin')), anyValue, { maxKeys: 3 });
  return fc.oneof(
    { weight: 6, arbitrary: own },
    { weight: 2, arbitrary: fc.tuple(own, extra).map(([a, b]) => ({ ...b, ...a })) },
    { weight: 1, arbitrary: fc.anything() },
    { weight: 1, arbitrary: anyValue },
  );
}

// ── checks ───────────────────────────────────────────────────────────────────────────────

const allowedErrorKeys = new Set(['code', 'fields', 'params']);

/** A valid ok for this call, or `{ok:false, error}` with a known code and nothing but code/fields/params. */
function expectTypedAnswer(name: string, result: unknown): void {
  const r = result as { ok?: unknown; value?: unknown; error?: Record<string, unknown> };
  if (r.ok === true) {
    expect(Object.hasOwn(contract, name)).toBe(true);
    const parsed = contract[name as CallName].output.safeParse(r.value);
    expect(parsed.success, `${name} answered ok with a value outside its contract: ${JSON.stringify(r.value)}`).toBe(true);
    return;
  }
  expect(r.ok).toBe(false);
  expect(errorCodes as readonly unknown[]).toContain(r.error?.code);
  for (const key of Object.keys(r.error ?? {})) expect(allowedErrorKeys.has(key), `unexpected error key ${key}`).toBe(true);
  expect(JSON.stringify(r)).not.toMatch(/stack|\bat .*\.(ts|js):|SQLITE|Error:/);
}

function post(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: {
          Host: `127.0.0.1:${port}`,
          Origin: `http://127.0.0.1:${port}`,
          'X-Webdesk-Request': '1',
          'Content-Type': 'application/json',
          Cookie: cookie,
          'Content-Length': String(Buffer.byteLength(body)),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    // The server may answer 413 and close before it has read an oversized body.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? resolve({ status: -1, text: '' }) : reject(error)));
    req.end(body);
  });
}

async function expectHttpAnswer(name: string, body: string | Buffer): Promise<void> {
  const res = await post(`/api/call/${encodeURIComponent(name)}`, body);
  if (res.status === -1) return; // connection cut after a 413 we could not read: the server checks below still run
  const parsed = JSON.parse(res.text) as unknown;
  expectTypedAnswer(name, parsed);
  expect(res.status === 200).toBe((parsed as { ok: boolean }).ok);
}

const anonymous = () => app.sessions.create();

// ── properties ───────────────────────────────────────────────────────────────────────────

describe('fuzzing the common entry (app.dispatch)', () => {
  it.each(callNames)('%s answers every odd input with a valid ok or a typed error', async (name) => {
    await fc.assert(
      fc.asyncProperty(inputFor(name), async (input) => {
        expectTypedAnswer(name, await app.dispatch(name, input, { session: anonymous(), transport: 'ipc', actor: 'kiosk' }));
      }),
      { numRuns: DISPATCH_RUNS },
    );
  });

  // Staff and customer calls answer an anonymous fuzzer UNAUTHENTICATED before validation, so
  // they are fuzzed again with the role they need. Left out: calls that reach other hosts with
  // what they are given (ops.test*), and calls without input fields (nothing to validate).
  const privileged = callNames.filter((name) => contract[name].role !== 'public' && !name.startsWith('ops.test') && fieldsOf(name).length > 0);
  it.each(privileged)('%s, made with the role it needs, answers every odd input with a valid ok or a typed error', async (name) => {
    await fc.assert(
      fc.asyncProperty(inputFor(name), async (input) => {
        const session = anonymous();
        const role = contract[name].role;
        if (role === 'customer') session.principal.customer = { accountId: customerAccountId };
        else session.principal.staff = { staffId: 'fuzz-admin', role: 'admin', mustChangePassword: false };
        expectTypedAnswer(name, await app.dispatch(name, input, { session, transport: 'ipc', actor: 'staff:fuzz-admin' }));
      }),
      { numRuns: DISPATCH_RUNS / 2 },
    );
  });

  it('answers unknown and hostile call names with UNKNOWN_CALL', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(oddString, fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'toString', 'reset.request ', 'RESET.REQUEST')), async (name) => {
        fc.pre(!Object.hasOwn(contract, name));
        expect(await app.dispatch(name, {}, { session: anonymous(), transport: 'ipc', actor: 'kiosk' })).toEqual({ ok: false, error: { code: 'UNKNOWN_CALL' } });
      }),
      { numRuns: 100 },
    );
  });
});

describe('fuzzing the HTTP transport', () => {
  it.each(callNames)('%s answers odd JSON bodies with a valid ok or a typed error', async (name) => {
    await fc.assert(
      fc.asyncProperty(inputFor(name), async (input) => {
        const text = JSON.stringify(input);
        await expectHttpAnswer(name, text ?? '');
      }),
      { numRuns: HTTP_RUNS },
    );
  });

  it('answers malformed JSON and invalid UTF-8 with BAD_REQUEST or a typed error', async () => {
    const malformed = fc.oneof(
      oddString,
      fc.constantFrom('{', '{"email":', '[1,2', '{"a":1}{"b":2}', 'nul', 'NaN', '{"email":"\\ud800"}', '{"__proto__":{"isAdmin":true}}', '"\\u0000"', '1e999999'),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      fc.constant(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])), // {"\xff\xfe":1}
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...callNames), malformed, async (name, body) => {
        await expectHttpAnswer(name, body);
      }),
      { numRuns: 150 },
    );
  });

  it('answers oversized bodies with BODY_TOO_LARGE and keeps serving', async () => {
    for (const size of [BODY_LIMIT_BYTES + 1, BODY_LIMIT_BYTES * 2, 1024 * 1024]) {
      const res = await post('/api/call/reset.request', JSON.stringify({ email: 'x'.repeat(size) }));
      if (res.status !== -1) expect(JSON.parse(res.text)).toEqual({ ok: false, error: { code: 'BODY_TOO_LARGE' } });
    }
    // A body that lies about its length (declared small, sent large) is cut off too.
    const res = await post('/api/call/reset.request', 'x'.repeat(BODY_LIMIT_BYTES + 10), { 'Content-Length': String(BODY_LIMIT_BYTES + 10) });
    if (res.status !== -1) expect(JSON.parse(res.text)).toMatchObject({ ok: false });
  });
});

describe('after the fuzzing', () => {
  it('the process still answers on both paths, nothing was left unhandled, and the store is intact', async () => {
    expect(await app.dispatch('app.info', {}, { session: anonymous(), transport: 'ipc', actor: 'kiosk' })).toMatchObject({ ok: true });
    await expectHttpAnswer('app.info', '{}');
    expect(unhandled).toEqual([]);
    expect(await integrityCheck(app.db)).toBe('ok');
    expect((await verifyAuditChain(app.db)).firstBreak).toBeUndefined();
  });
});

describe('roles (complete mediation)', () => {
  // Iterates the registry, so staff and customer calls are covered as soon as they are added.
  const guarded = callNames.filter((name) => contract[name].role !== 'public');

  it(`refuses every non-public call to an anonymous session with UNAUTHENTICATED (${guarded.length} today), whatever the input`, async () => {
    for (const name of guarded) {
      for (const input of [{}, null, { jsaId: '12345678901' }]) {
        expect(await app.dispatch(name, input, { session: anonymous(), transport: 'ipc', actor: 'kiosk' })).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      }
      const res = await post(`/api/call/${name}`, '{}');
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text)).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('refuses staff calls to a logged-in customer, and calls above an agent’s role with FORBIDDEN', async () => {
    for (const name of guarded) {
      const role = contract[name].role;
      const customer = anonymous();
      customer.principal.customer = { accountId: 'fuzz-account' };
      if (role !== 'customer') {
        expect(await app.dispatch(name, {}, { session: customer, transport: 'ipc', actor: 'kiosk' })).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      }
      if (role === 'supervisor' || role === 'admin') {
        const agent = anonymous();
        agent.principal.staff = { staffId: 'fuzz-agent', role: 'agent', mustChangePassword: false };
        expect(await app.dispatch(name, {}, { session: agent, transport: 'ipc', actor: 'staff:fuzz-agent' })).toEqual({ ok: false, error: { code: 'FORBIDDEN', params: { role } } });
      }
    }
  });
});
