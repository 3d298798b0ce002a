// Central stopped (issue 6): this file's own PostgreSQL cluster is shut down for real — fast
// (every session ends with 57P01, then connections are refused) or immediate (the server quits
// at once, recovery from WAL at the next start) — and started again on the same data folder
// and port. The kiosk keeps serving and queues; staff see "offline since …" and the outbox
// depth through sync.status; after the start every mutation arrives exactly once, the held
// connection and its LISTEN are back. The same account edited at two offline kiosks gives one
// result by rule and the other value kept as a conflict for staff.
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/app/config';
import { createApp, type App } from '../../../src-main/app/create-app';
import { migrateCentral } from '../../../src-main/store/central-migrations';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { kiosk, loginTestStaff, TEST_SCRYPT, type Kiosk } from '../support/test-app';
import { FAST_SYNC, waitOnline, waitPushed } from '../support/sync-kiosk';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { waitForLogLine } from '../../support/log-lines';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const jsaId = (n: number) => `8${String(n).padStart(10, '0')}`;

/** One query on a fresh connection: every session dies with the server, so none is kept. */
async function central<R extends pg.QueryResultRow = Record<string, unknown>>(server: PostgresServer, sql: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: server.url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * A kiosk as sync-kiosk.ts starts it, but logging warnings to its data folder (the first error
 * of each offline spell is read back from there) and polling central only once a minute: what
 * arrives within a test came by NOTIFY or by the catch-up after a reconnect.
 */
function startKiosk(dataDir: string, kioskId: string, centralUrl: string): Promise<App> {
  const config = loadConfig({
    WEBDESK_DATA_DIR: dataDir,
    WEBDESK_LOG_LEVEL: 'warn',
    WEBDESK_KIOSK_ID: kioskId,
    WEBDESK_CENTRAL_URL: centralUrl,
  });
  // maintenance off: its 60 s timer would back up and purge mid-outage (see startTestApp).
  return createApp(config, { defaultLinkBase: 'web',
    firstStart: true, scrypt: { ...TEST_SCRYPT }, maintenance: false, syncOptions: { ...FAST_SYNC, pollMs: 60_000 } });
}

/**
 * The errors that took the kiosk offline (one 'sync offline' line per spell), since `sinceMs`.
 * Waits for the first: main.log is written after the state the test waited for.
 */
async function offlineErrors(app: App, sinceMs: number): Promise<string[]> {
  const since = (line: string) => line.includes('"sync offline"') && (JSON.parse(line) as { time: number }).time >= sinceMs;
  const { text } = await waitForLogLine(join(app.config.dataDir, 'logs', 'main.log'), since, 'a "sync offline" line');
  return text
    .split('\n')
    .filter(since)
    .map((line) => (JSON.parse(line) as { err: string }).err);
}

describe('central stopped and started', () => {
  let server: PostgresServer;
  let dirs: TempDir[] = [];
  let a: App;
  let b: App;
  let staffA: Kiosk;

  beforeAll(async () => {
    server = await startPostgres();
    await migrateCentral(server.url);
    await central(server, `CREATE ROLE kiosk_a LOGIN IN ROLE webdesk_kiosk; CREATE ROLE kiosk_b LOGIN IN ROLE webdesk_kiosk`);
    await central(
      server,
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, department, address, phone, password_hash, version, created_at, updated_at)
       SELECT '0190a000-0000-7000-8800-' || lpad(to_hex(g), 12, '0'), '8' || lpad(g::text, 10, '0'), 'user' || g || '@example.jp', 'user' || g || '@example.jp',
              '佐藤 ' || g, '株式会社サンプル', '総務部', '東京都千代田区1丁目', '03-0000-0000', NULL, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
         FROM generate_series(1, 40) g`,
    );
    dirs = [await makeTempDir('webdesk-sync-a-'), await makeTempDir('webdesk-sync-b-')];
    a = await startKiosk(dirs[0]!.path, 'kiosk-a', `postgres://kiosk_a@127.0.0.1:${server.port}/postgres`);
    b = await startKiosk(dirs[1]!.path, 'kiosk-b', `postgres://kiosk_b@127.0.0.1:${server.port}/postgres`);
    await Promise.all([waitOnline(a), waitOnline(b)]);
    // The staff screen's own call (SyncPage: sync.status), as an agent at kiosk A.
    staffA = kiosk(a);
    await loginTestStaff(a, staffA.session, 'agent-a', 'agent');
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.stop();
    for (const d of dirs) await d.remove();
  });

  const syncedStatus = async (app: App) => {
    const s = app === a ? await staffA.ok('sync.status', {}) : await app.sync!.status();
    if (s.mode !== 'synced') throw new Error('kiosk is standalone');
    return s;
  };
  const offline = (app: App, refused = false) =>
    waitFor(
      async () => {
        const s = await syncedStatus(app);
        return s.state === 'offline' && s.offlineSince && (!refused || s.lastErrorCode === 'ECONNREFUSED') ? s : undefined;
      },
      { what: `${app.config.kioskId} offline${refused ? ', connection refused' : ''}` },
    );
  const listeners = async (kioskId: string) =>
    Number((await central<{ n: string }>(server, `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1`, [`webdesk-listen-${kioskId}`]))[0]!.n);

  it('central stopped (fast) while A takes 20 resets and 5 contact changes, then started: all arrive exactly once, and staff see it', async () => {
    const before = await syncedStatus(a);
    expect(before).toMatchObject({ state: 'online', offlineSince: null, lastError: null, outboxDepth: 0 });
    const haltedAt = new Date().toISOString();
    const haltedMs = Date.now();
    await server.halt('fast');

    // Held sessions end (57P01), new ones are refused: offline since the first failure.
    const down = await offline(a, true);
    expect(down.offlineSince! >= haltedAt).toBe(true);
    const customer = kiosk(a);
    for (let n = 1; n <= 20; n += 1) {
      expect(await customer.ok('reset.request', { jsaId: jsaId(n), email: `user${n}@example.jp`, locale: 'ja' })).toEqual({ status: 'accepted' });
    }
    for (let n = 21; n <= 25; n += 1) {
      const account = (await findAccountByJsaId(a.db, jsaId(n)))!;
      await updateAccount(a.db, account.id, { contact_name: `新担当 ${n}`, email: `new${n}@example.jp`, email_norm: `new${n}@example.jp` }, new Date().toISOString());
    }
    // Still offline since the first failure (retries do not move it), 65 waiting (20 requests,
    // each with its per-JSA-ID and per-e-mail limit events, and 5 contact changes), nothing pushed.
    const queuedStatus = await syncedStatus(a);
    expect(queuedStatus).toMatchObject({ state: 'offline', offlineSince: down.offlineSince, outboxDepth: 65, lastPushAt: before.lastPushAt, pushedTotal: before.pushedTotal });
    expect(queuedStatus.oldestPendingAt! >= haltedAt).toBe(true);
    const queued = ((await a.db('sync_outbox').orderBy('seq').select('mutation_id')) as Array<{ mutation_id: string }>).map((r) => r.mutation_id);
    const localRequests = ((await a.db('reset_requests').orderBy('id').select('id')) as Array<{ id: string }>).map((r) => r.id);
    expect(localRequests).toHaveLength(20);
    // What the kiosk met: the held session's 57P01, the server refusing while it shut down, the
    // closed port, or — on a busy machine, found by `npm run test:stress` — a connection the
    // kernel had queued on the listening socket, reset when the postmaster closed it
    // (`connect ECONNRESET`); or node-pg's word for a query sent on the held connection just
    // after the server ended it (a race with the connection's error event; met four runs in a
    // row once staff calls also read the staff row); each spell is one line, so the first error
    // of this one is there.
    const [firstError] = await offlineErrors(a, haltedMs);
    console.log(`fast shutdown, kiosk idle: offline on "${firstError}"`);
    expect(firstError).toMatch(/administrator command|shutting down|ECONNREFUSED|ECONNRESET|terminated|connection error and is not queryable/);

    const startedAt = new Date().toISOString();
    await server.start();
    await waitPushed(a, 30_000);
    await waitOnline(a);
    const after = await syncedStatus(a);
    expect(after).toMatchObject({ state: 'online', offlineSince: null, lastError: null, outboxDepth: 0, oldestPendingAt: null, pushedTotal: before.pushedTotal + 65 });
    expect(after.lastPushAt! >= startedAt).toBe(true);
    expect(after.lastPullAt! >= startedAt).toBe(true);

    // Exactly once: central holds each queued mutation once, in A's order, and the rows.
    const processed = await central<{ mutation_id: string }>(server, `SELECT mutation_id::text FROM processed_mutations WHERE client_id = $1 ORDER BY seq`, [a.sync!.clientId]);
    expect(processed.map((r) => r.mutation_id)).toEqual(queued);
    const centralRequests = await central<{ id: string }>(server, `SELECT id FROM reset_requests WHERE kiosk_id = 'kiosk-a' ORDER BY id`);
    expect(centralRequests.map((r) => r.id)).toEqual(localRequests);
    const changed = await central(server, `SELECT jsa_id, contact_name, version FROM accounts WHERE contact_name LIKE '新担当%' ORDER BY jsa_id`);
    expect(changed).toEqual([21, 22, 23, 24, 25].map((n) => ({ jsa_id: jsaId(n), contact_name: `新担当 ${n}`, version: 2 })));

    // Kiosk B, back too, sees all of it.
    await waitFor(async () => (Number((await b.db('reset_requests').count({ n: '*' }))[0]!.n) === 20 ? true : undefined), { what: '20 requests at B', timeoutMs: 20_000 });
    expect((await findAccountByJsaId(b.db, jsaId(25)))?.email).toBe('new25@example.jp');

    // LISTEN is back on one held connection per kiosk: a change made at central reaches both
    // within the test, though neither polls for a minute.
    await waitOnline(b);
    expect([await listeners('kiosk-a'), await listeners('kiosk-b')]).toEqual([1, 1]);
    await central(server, `UPDATE accounts SET contact_name = '中央で変更' WHERE jsa_id = $1`, [jsaId(26)]);
    for (const app of [a, b]) {
      await waitFor(async () => ((await findAccountByJsaId(app.db, jsaId(26)))?.contact_name === '中央で変更' ? true : undefined), { what: `NOTIFY at ${app.config.kioskId}` });
    }
  });

  it.each([
    ['fast', /terminating connection due to administrator command/],
    ['immediate', /terminating connection due to immediate shutdown|Connection terminated|ECONNRESET/],
  ] as const)('rolls back a push cut off mid-transaction by a %s shutdown and applies it once after the start', async (mode, cutBy) => {
    // Central is made to hold A's push inside sync_push (it waits for A's kiosks row), so the
    // shutdown lands while central is applying it.
    const locker = new pg.Client({ connectionString: server.url });
    locker.on('error', () => undefined);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM kiosks WHERE client_id = $1 FOR UPDATE', [a.sync!.clientId]);
    const first = mode === 'fast' ? 27 : 30;
    const customer = kiosk(a);
    for (let n = first; n < first + 3; n += 1) {
      expect(await customer.ok('reset.request', { jsaId: jsaId(n), email: `user${n}@example.jp`, locale: 'ja' })).toEqual({ status: 'accepted' });
    }
    const queued = ((await a.db('sync_outbox').orderBy('seq').select('mutation_id')) as Array<{ mutation_id: string }>).map((r) => r.mutation_id);
    expect(queued.length).toBeGreaterThanOrEqual(3);
    await waitFor(
      async () =>
        (await central(server, `SELECT 1 FROM pg_stat_activity WHERE application_name = 'webdesk-push-kiosk-a' AND wait_event_type = 'Lock'`)).length === 1 ? true : undefined,
      { what: 'A push waiting inside sync_push' },
    );
    const haltedMs = Date.now();
    await server.halt(mode);
    await locker.end().catch(() => undefined);

    await offline(a, true);
    expect((await syncedStatus(a)).outboxDepth).toBe(queued.length);
    const [firstError] = await offlineErrors(a, haltedMs);
    console.log(`${mode} shutdown mid-push: offline on "${firstError}"`);
    expect(firstError).toMatch(cutBy);

    await server.start();
    await waitPushed(a, 30_000);
    await waitOnline(a);
    const processed = await central<{ mutation_id: string; n: string }>(
      server,
      `SELECT mutation_id::text, count(*) AS n FROM processed_mutations WHERE mutation_id = ANY($1::uuid[]) GROUP BY mutation_id`,
      [queued],
    );
    expect(processed.map((r) => r.mutation_id).sort()).toEqual([...queued].sort());
    expect(processed.every((r) => r.n === '1')).toBe(true);
    const accounts = [first, first + 1, first + 2].map(jsaId);
    const requests = await central<{ n: string }>(
      server,
      `SELECT count(*) AS n FROM reset_requests r JOIN accounts x ON x.id = r.account_id WHERE x.jsa_id = ANY($1) AND r.kiosk_id = 'kiosk-a'`,
      [accounts],
    );
    expect(requests[0]!.n).toBe('3');
    expect(await syncedStatus(a)).toMatchObject({ state: 'online', offlineSince: null, lastError: null, outboxDepth: 0 });
  });

  it('keeps the first pushed edit and records the other as a conflict staff can resolve', async () => {
    const target = (await findAccountByJsaId(a.db, jsaId(35)))!;
    await server.halt('fast');
    await Promise.all([offline(a), offline(b)]);
    await updateAccount(a.db, target.id, { contact_name: 'A で変更' }, new Date().toISOString());
    await updateAccount(b.db, target.id, { contact_name: 'B で変更', phone: '03-9999-0000' }, new Date().toISOString());

    // Rule: the edit that reaches central first wins. B waits until A has pushed.
    await b.sync!.stop();
    await server.start();
    await waitPushed(a, 30_000);
    b.sync!.start();
    await waitPushed(b, 30_000);

    const [row] = await central(server, `SELECT contact_name, phone, version FROM accounts WHERE id = $1`, [target.id]);
    // A's name stands; B's phone did not collide with anything, so it was merged.
    expect(row).toEqual({ contact_name: 'A で変更', phone: '03-9999-0000', version: 3 });
    for (const app of [a, b]) {
      await waitFor(async () => {
        const local = await findAccountByJsaId(app.db, jsaId(35));
        return local?.contact_name === 'A で変更' && local.phone === '03-9999-0000' ? true : undefined;
      }, { what: `${app.config.kioskId} converged` });
    }

    const staff = kiosk(a);
    await loginTestStaff(a, staff.session, 'sv', 'supervisor');
    const { conflicts } = await staff.ok('sync.conflicts', { open: true });
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ table: 'accounts', rowKey: target.id, kioskId: 'kiosk-b', kind: 'edit', fields: ['contact_name'] });
    expect(conflicts[0]!.kiosk).toMatchObject({ contact_name: 'B で変更' });
    expect(conflicts[0]!.central).toMatchObject({ contact_name: 'A で変更' });

    // The supervisor picks B's value: it becomes a new version everywhere.
    expect(await staff.ok('sync.resolveConflict', { id: conflicts[0]!.id, keep: 'kiosk' })).toEqual({ result: 'resolved' });
    // The supervisor's choice replaced central's value: it is in the audit log, by JSA-ID (the harness calls as 'kiosk').
    const entries = (await a.db('audit_log').where({ action: 'sync.conflict-resolved' }).select('actor', 'subject', 'detail_json')) as Array<{ actor: string; subject: string; detail_json: string }>;
    expect(entries.map((e) => ({ actor: e.actor, subject: e.subject, detail: JSON.parse(e.detail_json) as unknown }))).toEqual([
      { actor: 'kiosk', subject: jsaId(35), detail: { conflict: conflicts[0]!.id, kioskValueApplied: true, changed: 'contact_name' } },
    ]);
    await waitFor(async () => ((await findAccountByJsaId(a.db, jsaId(35)))?.contact_name === 'B で変更' ? true : undefined), { what: 'resolution at A' });
    expect((await staff.ok('sync.conflicts', { open: true })).conflicts).toHaveLength(0);
  });

  it('lets a code be spent once across kiosks and counts wrong codes from every kiosk', async () => {
    const n = 38;
    await kiosk(a).ok('reset.request', { jsaId: jsaId(n), email: `user${n}@example.jp`, locale: 'ja' });
    await waitPushed(a);
    const account = (await findAccountByJsaId(a.db, jsaId(n)))!;
    await waitFor(async () => ((await b.db('reset_requests').where({ account_id: account.id }).first()) ? true : undefined), { what: 'request at B' });
    await server.halt('immediate');
    await Promise.all([offline(a), offline(b)]);
    // 3 wrong codes at A and 3 at B: 6 ≥ 5 across kiosks, though neither saw 5.
    for (const app of [a, a, a, b, b, b]) {
      const r = await kiosk(app).call('reset.verifyCode', { identifier: jsaId(n), code: 'ZZZZZZZZZZ' });
      expect(r.ok).toBe(false);
    }
    await server.start();
    await Promise.all([waitPushed(a, 30_000), waitPushed(b, 30_000)]);
    const [req] = await central(server, `SELECT attempts, status FROM reset_requests WHERE account_id = $1`, [account.id]);
    expect(req).toEqual({ attempts: 6, status: 'voided' });
    await waitFor(async () => ((await a.db('reset_requests').where({ account_id: account.id }).first('status'))?.status === 'voided' ? true : undefined), {
      what: 'voided at A',
    });
  });
});
