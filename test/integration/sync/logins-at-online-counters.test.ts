// DESIGN §6 "Login: progressive delay, lock after 10 … nothing succeeds past the cap. A
// parallel burst is the test", across counters (§7): one customer's wrong passwords typed at
// two online counters at once. Each counter used to count from its own replica and tell
// central afterwards: 10 + 10 at once got 16-18 LOGIN_FAILED against the lock at 10. An online
// counter now claims each password at central before it answers (central 0019), for an
// account and for a JSA-ID on no account alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import knex from 'knex';
import type { App } from '../../../src-main/app/create-app';
import type { CallResult } from '../../../src-main/contract/errors';
import * as c0019 from '../../../migrations/central/0019_login_claims';
import { buckets } from '../../../src-main/services/limits-service';
import { createPasswordHasher } from '../../../src-main/services/password-hasher';
import { kiosk, TEST_SCRYPT } from '../support/test-app';
import { startCentral, type Central } from '../support/sync-central';
import { startKioskPair, waitPushed, type KioskPair } from '../support/sync-kiosk';

const NOW = '2026-01-01T00:00:00.000Z';
const PASSWORD = 'kawasemi-no-sora-2031';
const customers = {
  burst: { id: '0190a000-0000-7000-8000-00000000d001', jsaId: '72000000001', email: 'rogu1@example.co.jp' },
  old: { id: '0190a000-0000-7000-8000-00000000d002', jsaId: '72000000002', email: 'rogu2@example.co.jp' },
};
const outcome = (r: CallResult<unknown>) => (r.ok ? 'OK' : r.error.code);

describe('wrong passwords typed at two online counters', () => {
  let central: Central;
  let pair: KioskPair;
  let a: App;
  let b: App;

  beforeAll(async () => {
    central = await startCentral();
    const hash = await createPasswordHasher(TEST_SCRYPT).hash(PASSWORD);
    for (const c of Object.values(customers)) {
      await central.query(
        `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, password_hash, password_changed_at, version, created_at, updated_at)
         VALUES ($1, $2, $3, $3, '並行 花子', '株式会社並行', $4, '2020-01-01T00:00:00.000Z', 1, $5, $5)`,
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

  const eventsAtCentral = async (bucket: string) => (await central.query<{ n: number }>(`SELECT count(*)::int AS n FROM limit_events WHERE bucket = $1`, [bucket]))[0]!.n;
  const burst = async (jsaId: string) => {
    const tries = [a, b].flatMap((app) => Array.from({ length: 10 }, (_, i) => kiosk(app).call('account.login', { jsaId, password: `wrong-${app.config.kioskId}-${i}` })));
    const answers = (await Promise.all(tries)).map(outcome);
    return { failed: answers.filter((c) => c === 'LOGIN_FAILED').length, locked: answers.filter((c) => c === 'LOGIN_LOCKED').length };
  };

  it('answers 9 LOGIN_FAILED and 11 LOGIN_LOCKED to 10 + 10 wrong passwords at A and B at once, alike for an account and a JSA-ID on none; the right one is refused at both after', async () => {
    const c = customers.burst;
    const real = await burst(c.jsaId);
    const none = await burst('72000000099');
    // The 10th failure locks: nine are told "wrong", and no failure past it is counted.
    expect(real).toEqual({ failed: 9, locked: 11 });
    expect(none).toEqual(real);
    await Promise.all([waitPushed(a), waitPushed(b)]);
    expect(await eventsAtCentral(buckets.loginFailure(c.id))).toBe(10);
    expect(await eventsAtCentral(buckets.loginFailureOfTypedId('72000000099'))).toBe(10);
    const right = await Promise.all([a, b].map((app) => kiosk(app).call('account.login', { jsaId: c.jsaId, password: PASSWORD })));
    expect(right.map(outcome)).toEqual(['LOGIN_LOCKED', 'LOGIN_LOCKED']);
    const [locks] = await central.query<{ n: number }>(`SELECT count(*)::int AS n FROM account_locks WHERE account_id = $1 AND kind = 'login' AND unlocked_at IS NULL`, [c.id]);
    expect(locks!.n).toBe(1);
    // One notice, from the counter whose failure locked.
    const mails = async (app: App) => Number((await app.db('mail_outbox').where({ template: 'login-locked' }).count<{ n: number }[]>({ n: '*' }))[0]!.n);
    expect((await mails(a)) + (await mails(b))).toBe(1);
  }, 180_000);

  it('counts at the counter alone where central cannot take the claim (a central before 0019), and central adds the failure by push', async () => {
    const c = customers.old;
    const owner = knex({ client: 'pg', connection: central.url, pool: { min: 0, max: 1 } });
    try {
      await owner.transaction((tx) => c0019.down(tx));
      expect(outcome(await kiosk(b).call('account.login', { jsaId: c.jsaId, password: 'wrong-once' }))).toBe('LOGIN_FAILED');
      await waitPushed(b);
      expect(await eventsAtCentral(buckets.loginFailure(c.id))).toBe(1);
    } finally {
      await owner.transaction((tx) => c0019.up(tx));
      await owner.destroy();
    }
    expect(outcome(await kiosk(a).call('account.login', { jsaId: c.jsaId, password: PASSWORD }))).toBe('OK');
  }, 60_000);
});
