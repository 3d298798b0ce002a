// DESIGN §6 "single use, atomically … nothing succeeds past the cap … A parallel burst is the
// test", across counters (§7): one customer's code typed at two online counters at once. Each
// counter used to decide from its own replica and tell central afterwards, so the same code
// opened パスワード登録 at both, and wrong codes typed together at two counters all counted
// (4 + 4 before the void at 5). An online counter now claims the code at central before it
// answers (central 0018). A copy central refuses (WD002) checks no code at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import knex from 'knex';
import * as c0018 from '../../../migrations/central/0018_code_claims';
import { kiosk } from '../support/test-app';
import { startCentral, type Central } from '../support/sync-central';
import { codeFromMaildrop, startKiosk, startKioskPair, waitOnline, waitPushed, type KioskPair } from '../support/sync-kiosk';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';
const WRONG = 'ZZZZZZZZZZ';
const customers = {
  same: { id: '0190a000-0000-7000-8000-00000000c001', jsaId: '71000000001', email: 'onaji@example.co.jp' },
  burst: { id: '0190a000-0000-7000-8000-00000000c002', jsaId: '71000000002', email: 'rensha@example.co.jp' },
  day: { id: '0190a000-0000-7000-8000-00000000c003', jsaId: '71000000003', email: 'ichinichi@example.co.jp' },
  copy: { id: '0190a000-0000-7000-8000-00000000c004', jsaId: '71000000004', email: 'fukusei@example.co.jp' },
  cut: { id: '0190a000-0000-7000-8000-00000000c005', jsaId: '71000000005', email: 'setsudan@example.co.jp' },
  old: { id: '0190a000-0000-7000-8000-00000000c006', jsaId: '71000000006', email: 'kyuuban@example.co.jp' },
  typed: { id: '0190a000-0000-7000-8000-00000000c007', jsaId: '71000000007', email: 'nyuuryoku@example.co.jp' },
};
type Customer = (typeof customers)[keyof typeof customers];
/** The installation that holds the copied counter's identity at central (the PC the folder was copied from). */
const HOLDER = 'ab'.repeat(16);

describe('a code typed at two online counters', () => {
  let central: Central;
  let pair: KioskPair;
  let a: App;
  let b: App;
  const seen = new Set<string>();

  beforeAll(async () => {
    central = await startCentral();
    for (const c of Object.values(customers)) {
      await central.query(
        `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES ($2, $3, $4, $4, '並行 太郎', '株式会社並行', 1, $1, $1)`,
        [NOW, c.id, c.jsaId, c.email],
      );
    }
    pair = await startKioskPair(central);
    ({ a, b } = pair);
    // A second request for one customer within a minute: the cooldown is not what is tested here.
    for (const app of [a, b]) {
      const s = await app.settings.get();
      await app.settings.update({ limits: { ...s.limits, resendCooldownSeconds: 0 } }, 'staff:test');
    }
  });

  afterAll(async () => {
    await pair?.close();
    await central?.stop();
  });

  /** A request made at `at`, pushed, and known at `also` too; its code and link token from the mail. */
  async function requestAt(at: App, also: App[], c: Customer): Promise<{ id: string; code: string; token: string }> {
    await kiosk(at).ok('reset.request', { jsaId: c.jsaId, email: c.email, locale: 'ja' });
    const { code, token } = await codeFromMaildrop(at, c.email, seen);
    const { id } = (await at.db('reset_requests').where({ account_id: c.id, status: 'pending' }).first('id')) as { id: string };
    await waitPushed(at);
    for (const app of also) await waitFor(async () => ((await app.db('reset_requests').where({ id, status: 'pending' }).first('id')) ? true : undefined), { what: `the request at ${app.config.kioskId}` });
    return { id, code, token };
  }

  const atCentral = async (id: string) => (await central.query<{ attempts: number; status: string }>(`SELECT attempts, status FROM reset_requests WHERE id = $1`, [id]))[0];
  const failuresAtCentral = async (accountId: string) =>
    (await central.query<{ n: number }>(`SELECT coalesce(sum(n), 0)::int AS n FROM code_failures WHERE account_id = $1`, [accountId]))[0]!.n;
  const errorCodes = (results: Array<{ ok: boolean; error?: { code: string } }>) => results.map((r) => (r.ok ? 'OK' : r.error!.code)).sort();

  it('opens パスワード登録 once for one code typed at A and B at the same moment; the other hears the code is used', async () => {
    const request = await requestAt(a, [b], customers.same);
    const results = await Promise.all([a, b].map((app) => kiosk(app).call('reset.verifyCode', { token: request.token, code: request.code })));
    expect(errorCodes(results)).toEqual(['CODE_USED', 'OK']);
    await Promise.all([waitPushed(a), waitPushed(b)]);
    expect(await atCentral(request.id)).toEqual({ attempts: 0, status: 'verified' });
    const [reuse] = await central.query<{ n: number }>(`SELECT count(*)::int AS n FROM sync_conflicts WHERE row_key = $1`, [request.id]);
    expect(reuse!.n).toBe(0);
  }, 60_000);

  it('counts exactly 5 wrong codes of a parallel burst over A and B, voids there, and the right code opens nothing after', async () => {
    const request = await requestAt(b, [a], customers.burst);
    const results = await Promise.all([a, a, a, a, b, b, b, b].map((app) => kiosk(app).call('reset.verifyCode', { token: request.token, code: WRONG })));
    const codes = errorCodes(results);
    // Four "wrong, N left", the fifth voids; the other three meet a void request.
    expect(codes.filter((c) => c === 'CODE_INVALID')).toHaveLength(4);
    expect(codes.filter((c) => c === 'REQUEST_VOIDED')).toHaveLength(4);
    await Promise.all([waitPushed(a), waitPushed(b)]);
    expect(await atCentral(request.id)).toEqual({ attempts: 5, status: 'voided' });
    expect(await failuresAtCentral(customers.burst.id)).toBe(5);
    for (const app of [a, b]) {
      const right = await kiosk(app).call('reset.verifyCode', { token: request.token, code: request.code });
      expect(right.ok ? 'OK' : right.error.code).toBe('REQUEST_VOIDED');
    }
  }, 60_000);

  it('locks the reset path at the 10th wrong code of the day over two bursts at A and B, once', async () => {
    const answers: string[] = [];
    for (const [at, also] of [[a, b], [b, a]] as const) {
      const request = await requestAt(at, [also], customers.day);
      const results = await Promise.all([a, a, a, b, b, b].map((app) => kiosk(app).call('reset.verifyCode', { token: request.token, code: WRONG })));
      answers.push(...errorCodes(results));
      await Promise.all([waitPushed(a), waitPushed(b)]);
    }
    // 4 + 4 counted as wrong, the 5th voids the first request, the 10th locks; nothing past it counts.
    expect(answers.filter((c) => c === 'CODE_INVALID')).toHaveLength(8);
    expect(answers.filter((c) => c === 'RESET_LOCKED').length).toBeGreaterThanOrEqual(1);
    expect(await failuresAtCentral(customers.day.id)).toBe(10);
    const [locks] = await central.query<{ n: number }>(`SELECT count(*)::int AS n FROM account_locks WHERE account_id = $1 AND kind = 'reset' AND unlocked_at IS NULL`, [customers.day.id]);
    expect(locks!.n).toBe(1);
  }, 90_000);

  it('answers a code typed with the JSA-ID alike online for a live request and for none, and counts the live one at central', async () => {
    const request = await requestAt(a, [b], customers.typed);
    const live = await kiosk(b).call('reset.verifyCode', { identifier: customers.typed.jsaId, code: WRONG });
    const none = await kiosk(b).call('reset.verifyCode', { identifier: '71000000099', code: WRONG });
    expect(live).toEqual(none);
    expect(live.ok ? 'OK' : live.error).toEqual({ code: 'CODE_INVALID', params: { via: 'identifier' } });
    expect(await atCentral(request.id)).toEqual({ attempts: 1, status: 'pending' });
    const right = await kiosk(a).call('reset.verifyCode', { identifier: customers.typed.email, code: request.code });
    expect(right.ok).toBe(true);
  }, 60_000);

  it('decides a code alone where central cannot take the claim (a central before 0018), and counts it there by push', async () => {
    const request = await requestAt(a, [b], customers.old);
    const owner = knex({ client: 'pg', connection: central.url, pool: { min: 0, max: 1 } });
    try {
      await owner.transaction((tx) => c0018.down(tx));
      const answer = await kiosk(b).call('reset.verifyCode', { token: request.token, code: WRONG });
      expect(answer.ok ? 'OK' : answer.error).toEqual({ code: 'CODE_INVALID', params: { remaining: 4 } });
      await waitPushed(b);
      expect(await atCentral(request.id)).toEqual({ attempts: 1, status: 'pending' });
    } finally {
      await owner.transaction((tx) => c0018.up(tx));
      await owner.destroy();
    }
  }, 60_000);

  describe('at a counter whose line to central breaks', () => {
    let dir: TempDir;
    let proxy: TcpProxy;
    let cut: App;

    beforeAll(async () => {
      dir = await makeTempDir('webdesk-sync-cut-');
      proxy = await startTcpProxy(central.server.port);
      cut = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-d', centralUrl: proxy.via(await central.kioskUrl('kiosk_d')) });
      await waitOnline(cut);
    });

    afterAll(async () => {
      await cut?.close();
      await proxy?.close();
      await dir?.remove();
    });

    it('decides a code alone while central cannot be reached, and central adds that wrong code up when the line is back', async () => {
      const request = await requestAt(a, [cut], customers.cut);
      proxy.cut();
      const alone = await kiosk(cut).call('reset.verifyCode', { token: request.token, code: WRONG });
      expect(alone.ok ? 'OK' : alone.error).toEqual({ code: 'CODE_INVALID', params: { remaining: 4 } });
      const online = await Promise.all([1, 2, 3, 4].map(() => kiosk(a).call('reset.verifyCode', { token: request.token, code: WRONG })));
      expect(errorCodes(online)).toEqual(Array<string>(4).fill('CODE_INVALID'));
      expect(await atCentral(request.id)).toEqual({ attempts: 4, status: 'pending' });
      proxy.restore();
      await waitPushed(cut);
      // The documented offline window: its one try arrives late and is the fifth.
      expect(await atCentral(request.id)).toEqual({ attempts: 5, status: 'voided' });
      const right = await kiosk(a).call('reset.verifyCode', { token: request.token, code: request.code });
      expect(right.ok ? 'OK' : right.error.code).toBe('REQUEST_VOIDED');
    }, 60_000);
  });

  describe('at a copy central refuses', () => {
    let dir: TempDir;
    let copy: App;

    beforeAll(async () => {
      dir = await makeTempDir('webdesk-sync-copy-');
      copy = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-c', centralUrl: await central.kioskUrl('kiosk_c') });
      await waitOnline(copy);
      // The identity is held by the PC this folder was copied from: this one's sends are refused (WD002).
      await central.query(`UPDATE kiosks SET instance = $1 WHERE kiosk_id = 'kiosk-c'`, [HOLDER]);
    });

    afterAll(async () => {
      await copy?.close();
      await dir?.remove();
    });

    it('checks no code: one voided at another counter opens nothing there, and it takes no new request', async () => {
      const request = await requestAt(a, [copy], customers.copy);
      // A try at the copy first: before, it stayed in the copy's refused outbox and kept the copy's row from central's.
      expect((await kiosk(copy).call('reset.verifyCode', { token: request.token, code: WRONG })).ok).toBe(false);
      for (let i = 0; i < 5; i += 1) await kiosk(a).call('reset.verifyCode', { token: request.token, code: WRONG });
      await waitPushed(a);
      expect(await atCentral(request.id)).toEqual({ attempts: 5, status: 'voided' });
      // Two passes begun after central voided it: the copy has pulled what it can.
      const pulls = copy.sync!.pulls;
      await waitFor(async () => (copy.sync!.pulls >= pulls + 2 ? true : undefined), { what: 'two pulls at the copy' });
      const right = await kiosk(copy).call('reset.verifyCode', { token: request.token, code: request.code });
      expect(right.ok ? 'OK' : right.error.code).toBe('ASK_STAFF');
      const again = await kiosk(copy).call('reset.request', { jsaId: customers.copy.jsaId, email: customers.copy.email, locale: 'ja' });
      expect(again.ok ? 'OK' : again.error.code).toBe('ASK_STAFF');
      expect(await atCentral(request.id)).toEqual({ attempts: 5, status: 'voided' });
      expect((await copy.sync!.status()).lastErrorCode).toBe('WD002');
    }, 60_000);
  });
});
