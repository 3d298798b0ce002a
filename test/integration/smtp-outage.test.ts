// The SMTP peer is down for a while, then back (issue 8): every queued mail is delivered
// once, in order of age. A manual clock skips the worker's backoff (5 s doubling to 15 min,
// services/mail/mail-outbox.ts) instead of sleeping; drainOnce() is the worker's tick. While
// the peer is down the whole queue waits (only the oldest mail is tried), so no mail can
// overtake an older one; a mail the peer refuses for itself waits alone.
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { backoffMs, MAX_MAIL_ATTEMPTS } from '../../src-main/services/mail/mail-outbox';
import { addSyntheticAccounts } from '../../src-main/services/synthetic-accounts';
import type { MailRow } from '../../src-main/store/mail-outbox-repo';
import { startMailbox } from '../support/mailbox';
import { claimQuietPort } from '../support/port-claims';
import { makeTempDir } from '../support/temp-dir';
import { kiosk, manualClock, startTestApp, type ManualClock } from './support/test-app';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const outbox = (app: App) => app.db<MailRow>('mail_outbox').orderBy('created_at').orderBy('id');

async function requestFor(app: App, n: number): Promise<void> {
  const result = await kiosk(app).call('reset.request', { jsaId: `9${String(n).padStart(10, '0')}`, email: `user${n}@example.jp`, locale: 'ja' });
  expect(result).toEqual({ ok: true, value: { status: 'accepted' } });
}

/**
 * A port where nothing listens until the test brings the peer back there: claimed, not
 * freePort(), whose port anything may take between the outage and startMailbox({ port }).
 */
async function downPort(): Promise<number> {
  const claim = await claimQuietPort();
  cleanups.push(async () => claim.release());
  return claim.port;
}

/** A counter with `accounts` synthetic accounts, mail to `smtpUrl`, on a manual clock, the worker driven by the test. */
async function outageApp(smtpUrl: string, accounts: number): Promise<{ app: App; clock: ManualClock }> {
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  const clock = manualClock();
  const app = await startTestApp({ dataDir: dir.path, smtpUrl, clock, startMailWorker: false });
  cleanups.push(() => app.close());
  await addSyntheticAccounts(app.db, clock, accounts);
  return { app, clock };
}

describe('SMTP peer down, then back', () => {
  it('delivers every mail queued during the outage exactly once, oldest first', async () => {
    const port = await downPort(); // nothing listens here yet: connection refused
    const { app, clock } = await outageApp(`smtp://127.0.0.1:${port}`, 30);

    // Mail keeps arriving during the outage while the worker keeps trying and backing off.
    let n = 0;
    for (let pass = 0; pass < 8; pass += 1) {
      for (let i = 0; i < 3; i += 1) {
        n += 1;
        await requestFor(app, n);
        clock.advance(1_000);
      }
      expect(await app.mailWorker.drainOnce()).toBe(0);
      clock.advance(backoffMs(pass + 1) / 2 + 7_000);
    }
    const queued = await outbox(app);
    expect(queued).toHaveLength(24);
    expect(queued.every((m) => m.state === 'queued' && m.sent_at === null)).toBe(true);
    // The peer is down, not the mail: only the oldest mail was tried, and it keeps its place.
    expect(queued[0]!.attempts).toBeGreaterThan(1);
    expect(queued[0]!.attempts).toBeLessThan(MAX_MAIL_ATTEMPTS);
    expect(queued[0]!.last_error).toMatch(/ECONNREFUSED/);
    expect(queued.slice(1).every((m) => m.attempts === 0)).toBe(true);

    // The peer comes back on its old address; the worker's next ticks come after the longest backoff.
    const mailbox = await startMailbox({ port });
    cleanups.push(mailbox.close);
    clock.advance(backoffMs(MAX_MAIL_ATTEMPTS));
    expect(await app.mailWorker.drainOnce()).toBe(24);
    expect(await app.mailWorker.drainOnce()).toBe(0);

    const sent = await outbox(app);
    expect(sent.every((m) => m.state === 'sent' && m.last_error === null)).toBe(true);
    // Once each, and in the order they were asked for.
    expect(mailbox.mails.map((m) => m.messageId)).toEqual(sent.map((m) => `<${m.id}@jsa-webdesk.local>`));
    expect(mailbox.mails.map((m) => m.envelopeTo[0])).toEqual(Array.from({ length: 24 }, (_, i) => `user${i + 1}@example.jp`));
  });

  it('keeps the order when the peer returns between two retries of a batch larger than one pass (20)', async () => {
    const port = await downPort();
    const { app, clock } = await outageApp(`smtp://127.0.0.1:${port}`, 45);
    for (let i = 1; i <= 45; i += 1) {
      await requestFor(app, i);
      clock.advance(500);
    }
    expect(await app.mailWorker.drainOnce()).toBe(0);
    const mailbox = await startMailbox({ port });
    cleanups.push(mailbox.close);
    clock.advance(backoffMs(1));
    expect(await app.mailWorker.drainOnce()).toBe(45);
    expect(new Set(mailbox.mails.map((m) => m.messageId)).size).toBe(45);
    expect(mailbox.mails.map((m) => m.envelopeTo[0])).toEqual(Array.from({ length: 45 }, (_, i) => `user${i + 1}@example.jp`));
  });

  it('holds a mail queued after the peer is back behind older mail still waiting out the backoff', async () => {
    const port = await downPort();
    const { app, clock } = await outageApp(`smtp://127.0.0.1:${port}`, 4);
    for (let i = 1; i <= 3; i += 1) {
      await requestFor(app, i);
      clock.advance(1_000);
    }
    expect(await app.mailWorker.drainOnce()).toBe(0);
    clock.advance(backoffMs(1) + 1_000);
    expect(await app.mailWorker.drainOnce()).toBe(0); // second failure: the next try is 10 s away

    // The peer is back and a new mail arrives while the older three still wait: it must wait too.
    const mailbox = await startMailbox({ port });
    cleanups.push(mailbox.close);
    await requestFor(app, 4);
    expect(await app.mailWorker.drainOnce()).toBe(0);
    expect(mailbox.mails).toEqual([]);

    clock.advance(backoffMs(2));
    expect(await app.mailWorker.drainOnce()).toBe(4);
    expect(mailbox.mails.map((m) => m.envelopeTo[0])).toEqual(['user1@example.jp', 'user2@example.jp', 'user3@example.jp', 'user4@example.jp']);
    expect(new Set(mailbox.mails.map((m) => m.messageId)).size).toBe(4);
  });

  it('lets a mail the peer refuses for itself wait alone while the mails after it go out', async () => {
    const mailbox = await startMailbox({ refuse: (address) => address === 'user2@example.jp' });
    cleanups.push(mailbox.close);
    const { app, clock } = await outageApp(mailbox.url, 4);
    for (let i = 1; i <= 3; i += 1) {
      await requestFor(app, i);
      clock.advance(1_000);
    }
    expect(await app.mailWorker.drainOnce()).toBe(2);
    const refused = (await outbox(app))[1]!;
    expect(refused).toMatchObject({ to_address: 'user2@example.jp', state: 'queued', attempts: 1 });
    expect(refused.last_error).toMatch(/550/);
    expect(refused.next_attempt_ms).toBeGreaterThan(clock.nowMs());
    // The peer itself is fine, so a new mail is not held back.
    await requestFor(app, 4);
    expect(await app.mailWorker.drainOnce()).toBe(1);
    expect(mailbox.mails.map((m) => m.envelopeTo[0])).toEqual(['user1@example.jp', 'user3@example.jp', 'user4@example.jp']);
  });

  it('sends a mail a failed pass left in `sending` with the next pass, without a restart', async () => {
    const mailbox = await startMailbox();
    cleanups.push(mailbox.close);
    const { app } = await outageApp(mailbox.url, 3);
    for (let i = 1; i <= 3; i += 1) await requestFor(app, i);
    // As a pass leaves them when the store refuses its write after the claim (disk full).
    await app.db('mail_outbox').update({ state: 'sending' });
    expect(await app.mailWorker.drainOnce()).toBe(3);
    expect((await outbox(app)).map((m) => m.state)).toEqual(['sent', 'sent', 'sent']);
    expect(new Set(mailbox.mails.map((m) => m.messageId)).size).toBe(3);
  });
});
