// No account enumeration through 「サポートメール依頼」 over HTTP (DESIGN §6): a match and every
// kind of no match answer with the same status, headers and bytes, and each does the same
// bookkeeping (one audit entry, the same limit events). The timing half of the promise is a
// measured figure, not an assertion: `npm run bench` (bench/enumeration.bench.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { addSyntheticAccounts } from '../../src-main/services/synthetic-accounts';
import { createHttpTransport } from '../../src-main/transport/http';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { startTestApp } from './support/test-app';

let dir: TempDir;
let app: App;
let http: ReturnType<typeof createHttpTransport>;
let base: string;
let cookie: string;

beforeAll(async () => {
  dir = await makeTempDir();
  const staticDir = join(dir.path, 'renderer');
  await mkdir(staticDir, { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>enum</title>');
  app = await startTestApp({ dataDir: join(dir.path, 'data'), startMailWorker: false });
  await addSyntheticAccounts(app.db, app.clock, 10);
  const s = await app.settings.get();
  await app.settings.update({ limits: { ...s.limits, resendCooldownSeconds: 0 } }, 'staff:test');
  http = createHttpTransport({ dispatch: app.dispatch, sessions: app.sessions, timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }), staticDir });
  base = `http://127.0.0.1:${await http.listen(0)}`;
  cookie = ((await fetch(`${base}/`)).headers.get('set-cookie') ?? '').split(';')[0]!;
});

afterAll(async () => {
  await http?.close();
  await app?.close();
  await dir?.remove();
});

/** One request, with everything an onlooker could compare except the clock (Date). */
async function ask(body: object, call = 'reset.request'): Promise<{ status: number; headers: Record<string, string>; text: string; audit: string[]; limitEvents: number }> {
  const auditBefore = Number((await app.db('audit_log').max<{ m: number }[]>({ m: 'seq' }))[0]!.m);
  const eventsBefore = Number((await app.db('limit_events').count<{ n: number }[]>({ n: '*' }))[0]!.n);
  const res = await fetch(`${base}/api/call/${call}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1', Origin: base, Cookie: cookie },
    body: JSON.stringify(body),
  });
  const headers = Object.fromEntries([...res.headers].filter(([k]) => k !== 'date'));
  const text = await res.text();
  const audit = (await app.db('audit_log').where('seq', '>', auditBefore).orderBy('seq').pluck('action')) as string[];
  const limitEvents = Number((await app.db('limit_events').count<{ n: number }[]>({ n: '*' }))[0]!.n) - eventsBefore;
  return { status: res.status, headers, text, audit, limitEvents };
}

describe('reset.request over HTTP, match against no match', () => {
  it('answers a match, an unknown JSA-ID and a known JSA-ID with a wrong email with the same status, headers and bytes', async () => {
    const match = await ask({ jsaId: '90000000001', email: 'user1@example.jp', locale: 'ja' });
    const unknownId = await ask({ jsaId: '80000000002', email: 'user2@example.jp', locale: 'ja' });
    const wrongEmail = await ask({ jsaId: '90000000003', email: 'someone@example.jp', locale: 'ja' });
    expect(match.status).toBe(200);
    expect(match.text).toBe('{"ok":true,"value":{"status":"accepted"}}');
    for (const other of [unknownId, wrongEmail]) {
      expect(other.status).toBe(match.status);
      expect(other.headers).toEqual(match.headers);
      expect(other.text).toBe(match.text);
    }
    // The same bookkeeping on every path: one audit entry, three limit events (id, email, kiosk).
    expect(match.audit).toEqual(['reset.requested']);
    expect(unknownId.audit).toEqual(['reset.no-match']);
    expect(wrongEmail.audit).toEqual(['reset.no-match']);
    expect([match.limitEvents, unknownId.limitEvents, wrongEmail.limitEvents]).toEqual([3, 3, 3]);
  });

  it('answers an email-only match and an email-only no match alike', async () => {
    const match = await ask({ jsaId: '', email: 'user4@example.jp', locale: 'en' });
    const none = await ask({ email: 'nobody-here@example.jp', locale: 'en' });
    expect(none.status).toBe(match.status);
    expect(none.headers).toEqual(match.headers);
    expect(none.text).toBe(match.text);
    expect(match.audit).toEqual(['reset.requested']);
    expect(none.audit).toEqual(['reset.no-match']);
    expect([match.limitEvents, none.limitEvents]).toEqual([2, 2]);
  });

  it('answers a locked account like any other request (the explanation goes by mail)', async () => {
    const account = (await app.db('accounts').where({ jsa_id: '90000000005' }).first('id')) as { id: string };
    await app.db('account_locks').insert({ account_id: account.id, kind: 'reset', reason: 'too-many-code-failures', locked_at: new Date().toISOString() });
    const locked = await ask({ jsaId: '90000000005', email: 'user5@example.jp', locale: 'ja' });
    const none = await ask({ jsaId: '80000000006', email: 'user6@example.jp', locale: 'ja' });
    expect(locked.text).toBe(none.text);
    expect(locked.headers).toEqual(none.headers);
    expect(locked.audit).toEqual(['reset.refused-locked']);
  });
});

describe('reset.verifyCode at the kiosk, a JSA-ID with a reset under way against one without', () => {
  const wrongCode = (identifier: string) => ask({ identifier, code: 'ABCD234567' }, 'reset.verifyCode');

  it('answers a wrong code alike and does the same bookkeeping, so its time does not tell the two apart', async () => {
    await ask({ jsaId: '90000000007', email: 'user7@example.jp', locale: 'ja' });
    const live = await wrongCode('90000000007');
    const unknownId = await wrongCode('80000000008');
    const noRequest = await wrongCode('90000000009');
    const unknownEmail = await wrongCode('nobody-at-all@example.jp');
    expect(live.status).toBe(422);
    expect(live.text).toBe('{"ok":false,"error":{"code":"CODE_INVALID","params":{"via":"identifier"}}}');
    for (const other of [unknownId, noRequest, unknownEmail]) {
      expect(other.status).toBe(live.status);
      expect(other.headers).toEqual(live.headers);
      expect(other.text).toBe(live.text);
    }
    // One write transaction on every path: one audit entry and one failure event. Before, the
    // paths without a live request wrote nothing and answered in 2 ms against 6 ms.
    expect(live.audit).toEqual(['reset.code-wrong']);
    expect(unknownId.audit).toEqual(['reset.code-unmatched']);
    expect(noRequest.audit).toEqual(['reset.code-unmatched']);
    expect(unknownEmail.audit).toEqual(['reset.code-unmatched']);
    expect([live.limitEvents, unknownId.limitEvents, noRequest.limitEvents, unknownEmail.limitEvents]).toEqual([1, 1, 1, 1]);
  });

  it('does the same bookkeeping for a request that can no longer take a code (void, spent, paused)', async () => {
    await ask({ jsaId: '90000000010', email: 'user10@example.jp', locale: 'ja' });
    const account = (await app.db('accounts').where({ jsa_id: '90000000010' }).first('id')) as { id: string };
    await app.db('reset_requests').where({ account_id: account.id }).update({ status: 'voided' });
    const voided = await wrongCode('90000000010');
    const unknownId = await wrongCode('80000000011');
    expect(voided.text).toBe(unknownId.text);
    expect(voided.audit).toEqual(['reset.code-unmatched']);
    expect([voided.limitEvents, unknownId.limitEvents]).toEqual([1, 1]);
  });
});

describe('reset.verifyCode at the kiosk, the store work behind a wrong code', () => {
  /** The statements one call sends to the store (knex's query event), BEGIN and COMMIT included. */
  async function statements(identifier: string): Promise<string[]> {
    const seen: string[] = [];
    const onQuery = (q: { sql: string }) => seen.push(q.sql.split(' ')[0]!.toLowerCase());
    app.db.on('query', onQuery);
    try {
      await ask({ identifier, code: 'ABCD234567' }, 'reset.verifyCode');
    } finally {
      app.db.removeListener('query', onQuery);
    }
    return seen;
  }

  // The statements, not the time: a timed assertion fails on a busy machine (decisions.md).
  it('sends the store the same kinds and number of statements with and without a live request', async () => {
    await ask({ jsaId: '90000000002', email: 'user2@example.jp', locale: 'ja' });
    const live = await statements('90000000002');
    const unknownId = await statements('80000000013');
    const noRequest = await statements('90000000008');
    // Three more wrong codes, then the fifth voids the request; the next is refused.
    for (let i = 0; i < 3; i += 1) await statements('90000000002');
    const voiding = await statements('90000000002');
    const refused = await statements('90000000002');
    // A new request and five more wrong codes: the account's tenth of the day pauses resets.
    await ask({ jsaId: '90000000002', email: 'user2@example.jp', locale: 'ja' });
    for (let i = 0; i < 4; i += 1) await statements('90000000002');
    const locking = await statements('90000000002');
    const account = (await app.db('accounts').where({ jsa_id: '90000000002' }).first('id')) as { id: string };
    expect(await app.db('account_locks').where({ account_id: account.id, kind: 'reset' }).whereNull('unlocked_at').pluck('reason')).toEqual(['too-many-code-failures']);
    const count = (list: string[]) => Object.entries(list.reduce<Record<string, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {})).sort();
    expect(count(unknownId)).toEqual(count(live));
    expect(count(noRequest)).toEqual(count(live));
    expect(count(refused)).toEqual(count(live));
    // The wrong code that voids the request or pauses the account sends what any other does:
    // before, the fifth sent two statements more (the void and its own audit entry), which told
    // a stranger timing 「確認」 that the request was now void.
    expect(count(voiding)).toEqual(count(live));
    expect(count(locking)).toEqual(count(live));
  });
});
