// DESIGN §6 "Requests: ≤ 5 per account per hour, ≤ 10 per email per hour … 60 s resend
// cooldown", across counters (§7): one customer's 「サポートメール依頼」 sent at two online counters
// at once. Each counter checks the caps against its own replica and tells central afterwards
// (push, then the other's pull), so a burst at both passed the cooldown at each, and rounds of
// such bursts passed the hourly cap by what the other counter had not pulled yet: 6 requests and
// 6 mails for one JSA-ID (cap 5), 2 a round (cooldown 60 s). An online counter now passes the
// caps at central before it answers (central 0021), for real and made-up keys alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import knex from 'knex';
import * as c0021 from '../../../migrations/central/0021_request_claims';
import type { App } from '../../../src-main/app/create-app';
import type { CallResult } from '../../../src-main/contract/errors';
import { buckets } from '../../../src-main/services/limits-service';
import { kiosk, manualClock } from '../support/test-app';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';
const customer = { id: '0190a000-0000-7000-8000-00000000e001', jsaId: '73000000001', email: 'irai@example.co.jp' };
const outcome = (r: CallResult<unknown>) => (r.ok ? 'accepted' : r.error.code);

describe('reset requests sent at two online counters at once', () => {
  let central: Central;
  let dirs: TempDir[] = [];
  let a: App;
  let b: App;
  // One time for both counters; moved past the cooldown between rounds.
  const clock = manualClock();

  beforeAll(async () => {
    central = await startCentral();
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at)
       VALUES ($1, $2, $3, $3, '依頼 一郎', '株式会社依頼', 1, $4, $4)`,
      [customer.id, customer.jsaId, customer.email, NOW],
    );
    dirs = [await makeTempDir('webdesk-reqcaps-a-'), await makeTempDir('webdesk-reqcaps-b-')];
    a = await startKiosk({ dataDir: dirs[0]!.path, kioskId: 'kiosk-a', centralUrl: await central.kioskUrl('kiosk_a'), clock });
    b = await startKiosk({ dataDir: dirs[1]!.path, kioskId: 'kiosk-b', centralUrl: await central.kioskUrl('kiosk_b'), clock });
    await Promise.all([waitOnline(a), waitOnline(b)]);
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await central?.stop();
    for (const d of dirs) await d.remove();
  });

  const events = async (app: App, bucket: string) => Number((await app.db('limit_events').where({ bucket }).count<{ n: number }[]>({ n: '*' }))[0]!.n);
  const mails = async (app: App, to: string) => Number((await app.db('mail_outbox').where({ to_address: to }).count<{ n: number }[]>({ n: '*' }))[0]!.n);

  /**
   * `rounds` bursts of 3 requests at A and 3 at B at once; after each, both counters hold every
   * accepted request's event (so a round starts from the same count at both), and the clock
   * moves past the cooldown. Answers per round.
   */
  async function rounds(n: number, input: (round: number) => { jsaId?: string; email: string }, bucket: string): Promise<string[][]> {
    const answers: string[][] = [];
    let counted = await events(a, bucket);
    for (let round = 0; round < n; round++) {
      const tries = [a, b].flatMap((app) => Array.from({ length: 3 }, () => kiosk(app).call('reset.request', { ...input(round), locale: 'ja' })));
      const got = (await Promise.all(tries)).map(outcome);
      answers.push(got);
      counted += got.filter((o) => o === 'accepted').length;
      await Promise.all([waitPushed(a), waitPushed(b)]);
      for (const app of [a, b]) {
        await waitFor(async () => ((await events(app, bucket)) === counted ? true : undefined), { what: `${counted} × ${bucket} at ${app.config.kioskId}`, timeoutMs: 20_000 });
      }
      clock.advance(61_000);
    }
    return answers;
  }
  const accepted = (answers: string[][]) => answers.flat().filter((o) => o === 'accepted').length;
  const perRound = (answers: string[][]) => answers.map((r) => r.filter((o) => o === 'accepted').length);

  it('accepts 5 of 6 rounds of 3 + 3 requests for one JSA-ID at A and B at once, one a round, with 5 mails; a made-up JSA-ID alike', async () => {
    const real = await rounds(6, () => ({ jsaId: customer.jsaId, email: customer.email }), buckets.requestById(customer.jsaId));
    clock.advance(60 * 60_000);
    const madeUp = await rounds(6, () => ({ jsaId: '73000000099', email: 'nai@example.co.jp' }), buckets.requestById('73000000099'));
    const sent = (await mails(a, customer.email)) + (await mails(b, customer.email));
    expect({ real: accepted(real), madeUp: accepted(madeUp), sent }).toEqual({ real: 5, madeUp: 5, sent: 5 });
    expect(perRound(real)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(perRound(madeUp)).toEqual(perRound(real));
    const [atCentral] = await central.query<{ n: number }>(`SELECT count(*)::int AS n FROM limit_events WHERE bucket = $1`, [buckets.requestById(customer.jsaId)]);
    expect(atCentral!.n).toBe(5);
  }, 300_000);

  it('accepts 10 of 11 rounds of 3 + 3 requests for one address at A and B at once, one a round', async () => {
    clock.advance(60 * 60_000);
    const email = 'hitotsu@example.co.jp';
    const answers = await rounds(11, (round) => ({ jsaId: `7300000${String(1000 + round)}`, email }), buckets.requestByEmail(email));
    expect(perRound(answers)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
  }, 300_000);

  it('checks the caps at the counter alone where central cannot take the claim (a central before 0021), and central counts the request by push', async () => {
    clock.advance(60 * 60_000);
    const jsaId = '73000000098';
    const owner = knex({ client: 'pg', connection: central.url, pool: { min: 0, max: 1 } });
    try {
      await owner.transaction((tx) => c0021.down(tx));
      expect(outcome(await kiosk(b).call('reset.request', { jsaId, email: 'furui@example.co.jp', locale: 'ja' }))).toBe('accepted');
      await waitPushed(b);
    } finally {
      await owner.transaction((tx) => c0021.up(tx));
      await owner.destroy();
    }
    const [atCentral] = await central.query<{ n: number }>(`SELECT count(*)::int AS n FROM limit_events WHERE bucket = $1`, [buckets.requestById(jsaId)]);
    expect(atCentral!.n).toBe(1);
    // Central now holds it, so its claim keeps the cooldown at A too.
    expect(await kiosk(a).call('reset.request', { jsaId, email: 'furui@example.co.jp', locale: 'ja' })).toMatchObject({ ok: false, error: { code: 'COOLDOWN' } });
  }, 60_000);
});
