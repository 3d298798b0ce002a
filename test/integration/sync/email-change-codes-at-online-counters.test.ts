// DESIGN §6 "single use, atomically … nothing succeeds past the cap. A parallel burst is the
// test", across counters (§7), for マイページ's e-mail change code: one customer logged in at
// two online counters types the code at both at once. Each counter used to decide from its own
// replica and tell central afterwards, so 4 + 4 wrong codes all counted before the void at 5.
// An online counter now claims the code at central before it answers (central 0020).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import type { CallResult } from '../../../src-main/contract/errors';
import { createPasswordHasher } from '../../../src-main/services/password-hasher';
import { kiosk, TEST_SCRYPT, type Kiosk } from '../support/test-app';
import { startCentral, type Central } from '../support/sync-central';
import { emailChangeCodeFromMaildrop, startKioskPair, waitPushed, type KioskPair } from '../support/sync-kiosk';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';
const PASSWORD = 'kawasemi-no-sora-2031';
const WRONG = 'ZZZZZZZZZZ';
const customers = {
  burst: { id: '0190a000-0000-7000-8000-00000000e001', jsaId: '75000000001', email: 'henkou1@example.co.jp' },
  same: { id: '0190a000-0000-7000-8000-00000000e002', jsaId: '75000000002', email: 'henkou2@example.co.jp' },
};
type Customer = (typeof customers)[keyof typeof customers];
const outcome = (r: CallResult<unknown>) => (r.ok ? 'OK' : r.error.code);

describe('an e-mail change code typed at two online counters', () => {
  let central: Central;
  let pair: KioskPair;
  let a: App;
  let b: App;
  const seen = new Set<string>();

  beforeAll(async () => {
    central = await startCentral();
    const hash = await createPasswordHasher(TEST_SCRYPT).hash(PASSWORD);
    for (const c of Object.values(customers)) {
      await central.query(
        `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, password_hash, password_changed_at, version, created_at, updated_at)
         VALUES ($1, $2, $3, $3, '並行 次郎', '株式会社並行', $4, '2020-01-01T00:00:00.000Z', 1, $5, $5)`,
        [c.id, c.jsaId, c.email, hash, NOW],
      );
    }
    pair = await startKioskPair(central);
    ({ a, b } = pair);
  }, 120_000);

  afterAll(async () => {
    await pair?.close();
    await central?.stop();
  });

  const loggedIn = async (app: App, c: Customer): Promise<Kiosk> => {
    const k = kiosk(app);
    await k.ok('account.login', { jsaId: c.jsaId, password: PASSWORD });
    return k;
  };

  /** A change asked for at A, pushed and known at B; the customer logged in at both; the code from the mail. */
  async function changeAtA(c: Customer, newEmail: string): Promise<{ id: string; code: string; at: Kiosk[] }> {
    const ka = await loggedIn(a, c);
    const kb = await loggedIn(b, c);
    await ka.ok('mypage.requestEmailChange', { currentPassword: PASSWORD, newEmail });
    const code = await emailChangeCodeFromMaildrop(a, newEmail, seen);
    const { id } = (await a.db('contact_changes').where({ account_id: c.id, status: 'pending' }).first('id')) as { id: string };
    await waitPushed(a);
    await waitFor(async () => ((await b.db('contact_changes').where({ id, status: 'pending' }).first('id')) ? true : undefined), { what: 'the change at B' });
    return { id, code, at: [ka, kb] };
  }

  const atCentral = async (id: string) => (await central.query<{ attempts: number; status: string }>(`SELECT attempts, status FROM contact_changes WHERE id = $1`, [id]))[0];

  it('counts exactly 5 wrong codes of a parallel burst over A and B, voids there, and the right code confirms nothing after', async () => {
    const change = await changeAtA(customers.burst, 'rensha-new@example.co.jp');
    const [ka, kb] = change.at as [Kiosk, Kiosk];
    const results = await Promise.all([ka, ka, ka, ka, kb, kb, kb, kb].map((k) => k.call('mypage.confirmEmailChange', { code: WRONG })));
    const codes = results.map(outcome);
    // Four "wrong, N left", the fifth voids; the other three meet a void change (REQUEST_VOIDED
    // from central, or NOT_FOUND where the counter already holds the void: no change is open).
    expect(codes.filter((c) => c === 'CODE_INVALID')).toHaveLength(4);
    expect(codes.filter((c) => c !== 'CODE_INVALID').every((c) => c === 'REQUEST_VOIDED' || c === 'NOT_FOUND')).toBe(true);
    await Promise.all([waitPushed(a), waitPushed(b)]);
    expect(await atCentral(change.id)).toEqual({ attempts: 5, status: 'voided' });
    for (const k of [ka, kb]) expect(outcome(await k.call('mypage.confirmEmailChange', { code: change.code }))).not.toBe('OK');
  }, 60_000);

  it('confirms once for one code typed at A and B at the same moment', async () => {
    const change = await changeAtA(customers.same, 'onaji-new@example.co.jp');
    const results = await Promise.all(change.at.map((k) => k.call('mypage.confirmEmailChange', { code: change.code })));
    expect(results.map(outcome).filter((c) => c === 'OK')).toHaveLength(1);
    await Promise.all([waitPushed(a), waitPushed(b)]);
    expect(await atCentral(change.id)).toEqual({ attempts: 0, status: 'confirmed' });
    const [reuse] = await central.query<{ n: number }>(`SELECT count(*)::int AS n FROM sync_conflicts WHERE row_key = $1`, [change.id]);
    expect(reuse!.n).toBe(0);
  }, 60_000);
});
