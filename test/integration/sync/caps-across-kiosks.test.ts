// The DESIGN §6 caps across kiosks (issue 8): two kiosks and one real PostgreSQL. Requests for
// one JSA-ID or one address spread over A and B are refused at the cap counted over both, the
// same for a made-up JSA-ID or address (the buckets are what was typed); wrong passwords spread
// over A and B lock the login, online (the kiosk that reaches the cap locks) and after both
// were offline (central locks when their failures meet there, and one notice leaves). Old
// events leave central in the prune job without a delete that travels.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import type { CallResult } from '../../../src-main/contract/errors';
import { buckets } from '../../../src-main/services/limits-service';
import { createPasswordHasher } from '../../../src-main/services/password-hasher';
import { pruneCentral } from '../../../src-main/store/central-migrations';
import { readyAdmin, type StaffClient } from '../staff/staff-support';
import { kiosk, manualClock, TEST_SCRYPT } from '../support/test-app';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';
const PASSWORD = 'kawasemi-no-sora-2031';
const account = (n: number) => ({ id: `0190a000-0000-7000-8000-00000000c0${String(n).padStart(2, '0')}`, jsaId: `7${String(n).padStart(10, '0')}`, email: `caps${n}@example.jp` });
const outcome = (r: CallResult<unknown>) => (r.ok ? 'accepted' : r.error.code);

describe('caps across kiosks', () => {
  let central: Central;
  let dirs: TempDir[] = [];
  let a: App;
  let b: App;
  // One time for both kiosks, as on a real counter floor, moved by the test for cooldowns.
  const clock = manualClock();

  /** One query on a fresh connection: the server is stopped and started in between. */
  async function query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    const c = new pg.Client({ connectionString: central.url });
    c.on('error', () => undefined);
    await c.connect();
    try {
      return (await c.query<R>(sql, params)).rows;
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  beforeAll(async () => {
    central = await startCentral();
    const hash = await createPasswordHasher(TEST_SCRYPT).hash(PASSWORD);
    for (const n of [1, 2, 3, 4, 5]) {
      const { id, jsaId, email } = account(n);
      await central.query(
        `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, password_hash, password_changed_at, version, created_at, updated_at)
         VALUES ($1, $2, $3, $3, '上限 太郎', '株式会社テスト', $4, '2020-01-01T00:00:00.000Z', 1, $5, $5)`,
        [id, jsaId, email, hash, NOW],
      );
    }
    dirs = [await makeTempDir('webdesk-caps-a-'), await makeTempDir('webdesk-caps-b-')];
    a = await startKiosk({ dataDir: dirs[0]!.path, kioskId: 'kiosk-a', centralUrl: await central.kioskUrl('kiosk_a'), clock });
    b = await startKiosk({ dataDir: dirs[1]!.path, kioskId: 'kiosk-b', centralUrl: await central.kioskUrl('kiosk_b'), clock });
    await Promise.all([waitOnline(a), waitOnline(b)]);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await central?.stop();
    for (const d of dirs) await d.remove();
  });

  // readyAdmin spends the first-run password, so A's admin is made ready once and kept.
  let adminA: StaffClient | undefined;
  const adminAtA = async () => (adminA ??= await readyAdmin(a));
  const events = async (app: App, bucket: string) => Number((await app.db('limit_events').where({ bucket }).count<{ n: number }[]>({ n: '*' }))[0]!.n);
  /** Waits until `app` holds `n` events of the bucket (its own and the other kiosk's). */
  const holds = (app: App, bucket: string, n: number) =>
    waitFor(async () => ((await events(app, bucket)) === n ? true : undefined), { what: `${n} × ${bucket} at ${app.config.kioskId}`, timeoutMs: 20_000 });
  const loginLockMails = async (app: App) => Number((await app.db('mail_outbox').where({ template: 'login-locked' }).count<{ n: number }[]>({ n: '*' }))[0]!.n);
  const activeLoginLocks = (accountId: string) =>
    query<{ key: string }>(`SELECT key FROM account_locks WHERE account_id = $1 AND kind = 'login' AND unlocked_at IS NULL`, [accountId]);

  /**
   * Requests at A, B, A, B … each 61 s after the last (past the cooldown), each kiosk first
   * holding the events of every earlier one; the answers in order.
   */
  async function spread(requests: Array<{ jsaId: string; email: string }>, bucket: string, already = 0): Promise<string[]> {
    const answers: string[] = [];
    let counted = already;
    for (const [i, input] of requests.entries()) {
      const at = i % 2 === 0 ? a : b;
      await holds(at, bucket, counted);
      answers.push(outcome(await kiosk(at).call('reset.request', { ...input, locale: 'ja' })));
      if (answers.at(-1) === 'accepted') {
        counted += 1;
        await waitPushed(at);
      }
      clock.advance(61_000);
    }
    return answers;
  }

  it('refuses the 6th request for one JSA-ID spread over A and B, for an account and a made-up JSA-ID alike, and holds the cooldown across them', async () => {
    const answersFor = async (jsaId: string) => {
      // The cooldown counts the other kiosk's request too: 10 s after A's, B says wait 50 s.
      const first = await kiosk(a).call('reset.request', { jsaId, email: 'first@example.jp', locale: 'ja' });
      await waitPushed(a);
      await holds(b, buckets.requestById(jsaId), 1);
      clock.advance(10_000);
      const tooSoon = await kiosk(b).call('reset.request', { jsaId, email: 'second@example.jp', locale: 'ja' });
      clock.advance(51_000);
      const rest = await spread(
        [1, 2, 3, 4, 5].map((i) => ({ jsaId, email: `other${i}@example.jp` })),
        buckets.requestById(jsaId),
        1,
      );
      return { first: outcome(first), tooSoon, rest };
    };
    const real = await answersFor(account(1).jsaId);
    clock.advance(60 * 60_000);
    const madeUp = await answersFor('70000099999');
    expect(real).toEqual({
      first: 'accepted',
      tooSoon: { ok: false, error: { code: 'COOLDOWN', params: { seconds: 50 } } },
      rest: ['accepted', 'accepted', 'accepted', 'accepted', 'RATE_LIMITED'],
    });
    expect(madeUp).toEqual(real);
    // Only the accepted requests count: 5 at either kiosk; the per-kiosk bucket stayed local.
    expect(await events(a, buckets.requestById(account(1).jsaId))).toBe(5);
    expect(await events(b, buckets.requestByKiosk('kiosk-a'))).toBe(0);
    expect(await query(`SELECT count(*)::int AS n FROM limit_events WHERE bucket LIKE 'req:kiosk:%'`)).toEqual([{ n: 0 }]);
    clock.advance(60 * 60_000);
  });

  it('refuses the 11th request for one address spread over A and B, for an address on an account and one on none alike', async () => {
    const answersFor = (email: string, prefix: string) =>
      spread(
        Array.from({ length: 11 }, (_, i) => ({ jsaId: `${prefix}${String(i).padStart(2, '0')}`, email })),
        buckets.requestByEmail(email),
      );
    const real = await answersFor(account(2).email, '700000100');
    clock.advance(60 * 60_000);
    const nobody = await answersFor('nobody-at-all@example.jp', '700000200');
    expect(real).toEqual([...Array<string>(10).fill('accepted'), 'RATE_LIMITED']);
    expect(nobody).toEqual(real);
    clock.advance(60 * 60_000);
  });

  it('locks the login after 5 wrong passwords at A and 5 at B, and refuses the right one at both', { timeout: 120_000 }, async () => {
    const { id, jsaId } = account(3);
    const bucket = buckets.loginFailure(id);
    const tries = async (app: App, n: number) => {
      const answers: string[] = [];
      for (let i = 0; i < n; i += 1) answers.push(outcome(await kiosk(app).call('account.login', { jsaId, password: `wrong-${app.config.kioskId}-${i}` })));
      return answers;
    };
    expect(await tries(a, 5)).toEqual(Array<string>(5).fill('LOGIN_FAILED'));
    await waitPushed(a);
    await holds(b, bucket, 5);
    // B counts A's five: its fifth is the tenth, and B locks and sends the notice.
    expect(await tries(b, 5)).toEqual([...Array<string>(4).fill('LOGIN_FAILED'), 'LOGIN_LOCKED']);
    await waitPushed(b);
    await waitFor(async () => ((await a.db('account_locks').where({ account_id: id, kind: 'login' }).whereNull('unlocked_at').first()) ? true : undefined), {
      what: 'the lock at A',
    });
    const right = await Promise.all([a, b].map((app) => kiosk(app).call('account.login', { jsaId, password: PASSWORD })));
    expect(right.map(outcome)).toEqual(['LOGIN_LOCKED', 'LOGIN_LOCKED']);
    // One lock, made at central by B's claim of its tenth failure (central 0019), which B holds as a pulled row.
    const locks = await activeLoginLocks(id);
    expect(locks).toEqual([{ key: expect.stringMatching(/^central:/) }]);
    expect([await loginLockMails(a), await loginLockMails(b)]).toEqual([0, 1]);
  });

  it('locks at central when A and B, both offline, each saw 6 wrong passwords; both refuse the right one after they reconnect, one notice leaves, and a staff unlock holds at both', { timeout: 120_000 }, async () => {
    const { id, jsaId } = account(4);
    const bucket = buckets.loginFailure(id);
    await central.server.halt('fast');
    await Promise.all(
      [a, b].map((app) => waitFor(async () => ((await app.sync!.status()).state === 'offline' ? true : undefined), { what: `${app.config.kioskId} offline` })),
    );
    const tries = async (app: App) => {
      const answers: string[] = [];
      for (let i = 0; i < 6; i += 1) answers.push(outcome(await kiosk(app).call('account.login', { jsaId, password: `offline-${app.config.kioskId}-${i}` })));
      return answers;
    };
    // Neither kiosk reaches 10 on its own.
    expect(await Promise.all([tries(a), tries(b)])).toEqual([Array<string>(6).fill('LOGIN_FAILED'), Array<string>(6).fill('LOGIN_FAILED')]);
    expect(await a.db('account_locks').where({ account_id: id, kind: 'login' })).toEqual([]);
    const mailsBefore = (await loginLockMails(a)) + (await loginLockMails(b));

    await central.server.start();
    await Promise.all([waitPushed(a, 30_000), waitPushed(b, 30_000)]);
    expect(await query(`SELECT count(*)::int AS n FROM limit_events WHERE bucket = $1`, [bucket])).toEqual([{ n: 12 }]);
    const locks = await activeLoginLocks(id);
    expect(locks).toEqual([{ key: expect.stringMatching(/^central:/) }]);
    for (const app of [a, b]) {
      await holds(app, bucket, 12);
      await waitFor(async () => ((await app.db('account_locks').where({ account_id: id, kind: 'login' }).whereNull('unlocked_at').first()) ? true : undefined), {
        what: `central's lock at ${app.config.kioskId}`,
      });
    }
    const right = await Promise.all([a, b].map((app) => kiosk(app).call('account.login', { jsaId, password: PASSWORD })));
    expect(right.map(outcome)).toEqual(['LOGIN_LOCKED', 'LOGIN_LOCKED']);
    // The notice leaves once: from the kiosk whose push reached the cap at central.
    const mails = () => Promise.all([loginLockMails(a), loginLockMails(b)]).then(([x, y]) => x + y - mailsBefore);
    await waitFor(async () => ((await mails()) > 0 ? true : undefined), { what: 'the login lock notice' });
    expect(await mails()).toBe(1);

    // Staff at A lift it; the lift travels, and the 12 failures no longer count at B
    // nor at central: one more slip at B is an ordinary failure, and the right password works.
    const admin = await adminAtA();
    expect(await admin.ok('staff.locks.lift', { accountId: id, kind: 'login', reason: '本人確認済み' })).toEqual({ lifted: 1 });
    await waitPushed(a);
    await waitFor(async () => ((await b.db('account_locks').where({ account_id: id, kind: 'login' }).whereNull('unlocked_at').first()) ? undefined : true), {
      what: 'the lift at B',
    });
    clock.advance(1_000);
    expect(outcome(await kiosk(b).call('account.login', { jsaId, password: 'one-more-slip' }))).toBe('LOGIN_FAILED');
    await waitPushed(b);
    expect(await activeLoginLocks(id)).toEqual([]);
    expect(await kiosk(b).call('account.login', { jsaId, password: PASSWORD })).toMatchObject({ ok: true });
  });

  it('ends the day of wrong codes at a staff unlock of the reset path, at central too: the next slip at B does not lock again', { timeout: 120_000 }, async () => {
    const { id, jsaId, email } = account(5);
    const openResetLocks = () => query<{ key: string }>(`SELECT key FROM account_locks WHERE account_id = $1 AND kind = 'reset' AND unlocked_at IS NULL`, [id]);
    // A request and five wrong codes at A, then the same at B: 10 in a day, counted at central
    // (each kiosk saw only 5), lock the reset path there; the lock travels to both.
    for (const app of [a, b]) {
      clock.advance(61_000);
      expect(outcome(await kiosk(app).call('reset.request', { jsaId, email, locale: 'ja' }))).toBe('accepted');
      for (let i = 0; i < 5; i += 1) expect(outcome(await kiosk(app).call('reset.verifyCode', { identifier: jsaId, code: 'ZZZZZZZZZZ' }))).not.toBe('accepted');
      await waitPushed(app);
      await holds(a === app ? b : a, buckets.requestById(jsaId), a === app ? 1 : 2);
    }
    await waitFor(async () => ((await openResetLocks()).length === 1 ? true : undefined), { what: 'the reset path locked at central' });
    // The lift happens at A, so the lock must have reached A (not only B) before it: a clerk
    // lifts what A holds, and a lift before the pull answers { lifted: 0 }.
    for (const [app, at] of [[a, 'A'], [b, 'B']] as const) {
      await waitFor(async () => ((await app.db('account_locks').where({ account_id: id, kind: 'reset' }).whereNull('unlocked_at').first()) ? true : undefined), {
        what: `the lock at ${at}`,
      });
    }

    // A clerk at A lifts it after checking the customer; at B the customer slips once more.
    const admin = await adminAtA();
    expect(await admin.ok('staff.locks.lift', { accountId: id, kind: 'reset', reason: '本人確認済み' })).toEqual({ lifted: 1 });
    await waitPushed(a);
    await waitFor(async () => ((await b.db('account_locks').where({ account_id: id, kind: 'reset' }).whereNull('unlocked_at').first()) ? undefined : true), {
      what: 'the lift at B',
    });
    clock.advance(61_000);
    expect(outcome(await kiosk(b).call('reset.request', { jsaId, email, locale: 'ja' }))).toBe('accepted');
    expect(outcome(await kiosk(b).call('reset.verifyCode', { identifier: jsaId, code: 'ZZZZZZZZZZ' }))).not.toBe('accepted');
    await waitPushed(b);
    // Central counted 1 failure since the lift, not 11 in the day: no new lock anywhere.
    expect(await openResetLocks()).toEqual([]);
    expect(await query(`SELECT coalesce(sum(n), 0)::int AS n FROM code_failures WHERE account_id = $1`, [id])).toEqual([{ n: 1 }]);
    a.sync!.kick();
    await waitPushed(a);
    expect(await a.db('account_locks').where({ account_id: id, kind: 'reset' }).whereNull('unlocked_at').first()).toBeUndefined();
  });

  it('drops limit events older than a day at central in the prune job, and no kiosk hears of it', async () => {
    const old = Date.now() - 2 * 24 * 60 * 60_000;
    await query(`INSERT INTO limit_events (key, bucket, at_ms) VALUES ('test:old', 'req:email:old@example.jp', $1), ('test:recent', 'req:email:old@example.jp', $2)`, [
      old,
      Date.now(),
    ]);
    await waitFor(async () => ((await events(b, 'req:email:old@example.jp')) === 2 ? true : undefined), { what: 'both events at B' });

    const result = await pruneCentral(central.url, { silentDays: 7 });
    expect(result.limitEvents).toBe(1);
    expect(await query(`SELECT key FROM limit_events WHERE bucket = 'req:email:old@example.jp'`)).toEqual([{ key: 'test:recent' }]);
    // Nothing was logged for the kiosks: B keeps its copy until its own purge by age.
    expect(await query(`SELECT count(*)::int AS n FROM change_log WHERE table_name = 'limit_events' AND op <> 'insert'`)).toEqual([{ n: 0 }]);
    a.sync!.kick();
    b.sync!.kick();
    await waitPushed(b);
    expect(await events(b, 'req:email:old@example.jp')).toBe(2);
  });
});
