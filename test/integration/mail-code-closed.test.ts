// The worker's own retries of a code mail, on a real SMTP peer that refuses the first try:
// once the request behind the code is closed (replaced by a newer request, run out), the
// retry is not sent. The customer got the dead code beside the new one and could not tell
// which to type. The row ends `withdrawn` (送信中止) in メール送信状況 and is audited.
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src-main/app/demo-data';
import { messageIdFor } from '../../src-main/services/mail/mail-outbox';
import type { MailRow } from '../../src-main/store/mail-outbox-repo';
import { startMailbox } from '../support/mailbox';
import { makeTempDir } from '../support/temp-dir';
import { addAccount, kiosk, manualClock, startTestApp } from './support/test-app';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const jsaId = '56100000001';
const email = 'sato@example.co.jp';

/** An app whose peer refuses (550 at RCPT TO) the first mail to `refused` only. */
async function start(refused = email) {
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  let refusals = 1;
  const mailbox = await startMailbox({ refuse: (to) => to === refused && refusals-- > 0 });
  cleanups.push(mailbox.close);
  const clock = manualClock();
  const app = await startTestApp({ dataDir: dir.path, smtpUrl: mailbox.url, clock, startMailWorker: false });
  cleanups.push(() => app.close());
  await addAccount(app, { jsaId, email, contactName: '佐藤 花子', company: '株式会社テスト' });
  const ask = async () => {
    expect(await kiosk(app).call('reset.request', { jsaId, email, locale: 'ja' })).toEqual({ ok: true, value: { status: 'accepted' } });
    return ((await app.db<MailRow>('mail_outbox').where({ template: 'reset-code' }).orderBy('id', 'desc').first()) as MailRow).id;
  };
  const mail = (id: string) => app.db<MailRow>('mail_outbox').where({ id }).first();
  const withdrawnEntries = async () =>
    ((await app.db('audit_log').where({ action: 'mail.withdrawn' }).orderBy('seq')) as Array<{ actor: string; detail_json: string }>).map((r) => ({ actor: r.actor, detail: JSON.parse(r.detail_json) as unknown }));
  return { app, clock, mailbox, ask, mail, withdrawnEntries };
}

describe('a code mail the peer refused once', () => {
  it('is not sent again after a newer request replaced its request: only the new code arrives', async () => {
    const { app, clock, mailbox, ask, mail, withdrawnEntries } = await start();
    const old = await ask();
    expect(await app.mailWorker.drainOnce()).toBe(0);
    expect(await mail(old)).toMatchObject({ state: 'queued', attempts: 1 });

    // Past the retry's 5 s and the request cooldown: the customer asks again at the kiosk.
    clock.advance(120_000);
    const fresh = await ask();
    expect(await app.mailWorker.drainOnce()).toBe(1);
    expect(mailbox.mails.map((m) => m.messageId)).toEqual([messageIdFor(fresh)]);
    expect(await mail(old)).toMatchObject({ state: 'withdrawn', attempts: 1 });
    expect(await withdrawnEntries()).toEqual([{ actor: 'system', detail: { mailId: old, reason: 'mail-code-closed' } }]);

    // Nothing left to try: a later pass sends nothing more.
    clock.advance(3_600_000);
    expect(await app.mailWorker.drainOnce()).toBe(0);
    expect(mailbox.mails).toHaveLength(1);
  });

  it('is not sent after its code ran out while it waited', async () => {
    const { app, clock, mailbox, ask, mail, withdrawnEntries } = await start();
    const old = await ask();
    expect(await app.mailWorker.drainOnce()).toBe(0);
    clock.advance(31 * 60_000);
    expect(await app.mailWorker.drainOnce()).toBe(0);
    expect(mailbox.mails).toEqual([]);
    expect(await mail(old)).toMatchObject({ state: 'withdrawn' });
    expect(await withdrawnEntries()).toHaveLength(1);
  });
});

describe('an e-mail change code (マイページ) the peer refused once', () => {
  it('is not sent after the customer cancelled the change', async () => {
    const newEmail = 'new-address@example.jp';
    const { app, clock, mailbox, mail, withdrawnEntries } = await start(newEmail);
    const k = kiosk(app);
    // A demo account (createApp adds them to an empty store).
    await k.ok('account.login', { jsaId: '12345678901', password: DEMO_PASSWORD });
    await k.ok('mypage.requestEmailChange', { currentPassword: DEMO_PASSWORD, newEmail });
    await app.mailWorker.drainOnce();
    const code = (await app.db<MailRow>('mail_outbox').where({ template: 'email-change-code' }).first()) as MailRow;
    expect(code).toMatchObject({ state: 'queued', attempts: 1 });

    expect(await k.ok('mypage.cancelEmailChange', {})).toEqual({ cancelled: true });
    clock.advance(10_000);
    await app.mailWorker.drainOnce();
    expect(mailbox.rcptToOnWire.filter((to) => to === newEmail)).toHaveLength(1); // the refused try only
    expect(mailbox.mails.filter((m) => m.envelopeTo.includes(newEmail))).toEqual([]);
    expect(await mail(code.id)).toMatchObject({ state: 'withdrawn' });
    expect(await withdrawnEntries()).toEqual([{ actor: 'system', detail: { mailId: code.id, reason: 'mail-code-closed' } }]);
  });
});
