// The DESIGN §6 request caps not covered by reset-flow.test.ts: ≤ 10 per email per hour and
// ≤ 60 per kiosk per hour. (Per-account 5/h, the 60 s cooldown, 5 wrong codes, 10 failures a
// day and the login lock are in reset-flow.test.ts and account-login.test.ts.) Keys are what
// was typed, so a cap answers the same for addresses that exist and addresses that do not.
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { addSyntheticAccounts } from '../../src-main/services/synthetic-accounts';
import { makeTempDir } from '../support/temp-dir';
import { kiosk, manualClock, startTestApp, type ManualClock } from './support/test-app';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function start(): Promise<{ app: App; clock: ManualClock }> {
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  const clock = manualClock();
  const app = await startTestApp({ dataDir: dir.path, clock, startMailWorker: false });
  cleanups.push(() => app.close());
  await addSyntheticAccounts(app.db, clock, 80);
  return { app, clock };
}

const id = (n: number) => `9${String(n).padStart(10, '0')}`;
const accepted = { ok: true, value: { status: 'accepted' } };

describe('per email: at most 10 requests an hour', () => {
  it.each([
    ['an address on an account', 'user1@example.jp'],
    ['an address on no account', 'nobody-at-all@example.jp'],
  ])('answers the 11th request for %s within the hour with RATE_LIMITED, whatever JSA-IDs come with it', async (_what, email) => {
    const { app, clock } = await start();
    const k = kiosk(app);
    for (let i = 1; i <= 10; i += 1) {
      // A different JSA-ID each time, so only the email's bucket fills; 61 s apart for the cooldown.
      expect(await k.call('reset.request', { jsaId: id(i), email, locale: 'ja' })).toEqual(accepted);
      clock.advance(61_000);
    }
    expect(await k.call('reset.request', { jsaId: id(11), email, locale: 'ja' })).toEqual({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await k.call('reset.request', { jsaId: '', email: email.toUpperCase(), locale: 'ja' })).toEqual({ ok: false, error: { code: 'RATE_LIMITED' } });
    clock.advance(60 * 60_000 - 10 * 61_000 + 1_000); // the first request is now over an hour old
    expect(await k.call('reset.request', { jsaId: id(12), email, locale: 'ja' })).toEqual(accepted);
  });
});

describe('per kiosk: at most 60 requests an hour', () => {
  it('answers the 61st request from one kiosk within the hour with RATE_LIMITED, for new and known people alike', async () => {
    const { app, clock } = await start();
    const k = kiosk(app);
    for (let i = 1; i <= 60; i += 1) {
      const match = i % 2 === 0;
      expect(await k.call('reset.request', { jsaId: id(i), email: match ? `user${i}@example.jp` : `stranger${i}@example.jp`, locale: 'ja' })).toEqual(accepted);
      clock.advance(30_000);
    }
    expect(await k.call('reset.request', { jsaId: id(61), email: 'user61@example.jp', locale: 'ja' })).toEqual({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await k.call('reset.request', { jsaId: '', email: 'stranger62@example.jp', locale: 'ja' })).toEqual({ ok: false, error: { code: 'RATE_LIMITED' } });
    // Another window of the same kiosk shares the cap: it is the counter's, not the session's.
    expect(await kiosk(app).call('reset.request', { jsaId: id(63), email: 'user63@example.jp', locale: 'ja' })).toEqual({ ok: false, error: { code: 'RATE_LIMITED' } });
    // Refused requests were not counted and queued nothing.
    expect(Number((await app.db('reset_requests').count<{ n: number }[]>({ n: '*' }))[0]!.n)).toBe(30);
    clock.advance(31 * 60_000); // the first request is now over an hour old
    expect(await k.call('reset.request', { jsaId: id(64), email: 'user64@example.jp', locale: 'ja' })).toEqual(accepted);
  });
});
