// No mail twice (issue 8). The outbox commits `committing` just before the SMTP end-of-data
// terminator leaves, so whatever the peer can hold as a complete message is recorded as
// possibly delivered; a mail whose outcome is lost with the connection becomes `unknown`,
// is never sent again by itself, and waits for staff (送信結果不明). A real SMTP peer
// (test/support/mailbox.ts) and a real store throughout; a manual clock skips backoff.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { queueMail } from '../../src-main/services/mail/mail-outbox';
import type { MailRow } from '../../src-main/store/mail-outbox-repo';
import { startMailbox, type Mailbox, type MailboxOptions } from '../support/mailbox';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';
import { readyAdmin, readyStaff } from './staff/staff-support';
import { manualClock, startTestApp, type ManualClock } from './support/test-app';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

interface Setup {
  app: App;
  mailbox: Mailbox;
  clock: ManualClock;
  dataDir: string;
}

async function setup(mailboxOptions: MailboxOptions = {}): Promise<Setup> {
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  const mailbox = await startMailbox(mailboxOptions);
  cleanups.push(mailbox.close);
  const clock = manualClock();
  const app = await startTestApp({ dataDir: dir.path, smtpUrl: mailbox.url, clock, startMailWorker: false });
  cleanups.push(() => app.close());
  return { app, mailbox, clock, dataDir: dir.path };
}

/** A code mail as reset-service queues it (with sealed code and link). */
function queueCodeMail(app: App, to: string): Promise<string> {
  return app.db.transaction((tx) =>
    queueMail(
      tx,
      app.box,
      {
        template: 'reset-code',
        locale: 'ja',
        to,
        params: { contactName: '田中 一郎', maskedJsaId: '•••••••8901', lifetimeMinutes: 30, supportEmail: 'webdesk@jisa.or.jp' },
        secrets: { code: 'ABCDE23456', url: 'http://127.0.0.1/reset/handover-test-token-0123456789' },
      },
      app.clock.nowMs(),
    ),
  );
}

const idOf = (messageId: string) => messageId.replace(/^<|@.*$/g, '');
const row = async (app: App, id: string) => (await app.db<MailRow>('mail_outbox').where({ id }).first())!;
const received = (mailbox: Mailbox, id: string) => mailbox.mails.filter((m) => idOf(m.messageId) === id).length;

describe('the handover commit', () => {
  it('is in the store before the peer holds the whole message, and `sent` follows the 250', async () => {
    const seen: Array<{ id: string; state: string; handoverAt: string | null }> = [];
    const running: { app?: App } = {};
    const s = await setup({
      async onComplete(mail) {
        const r = await row(running.app!, idOf(mail.messageId));
        seen.push({ id: r.id, state: r.state, handoverAt: r.handover_at });
        return 'accept' as const;
      },
    });
    const app = (running.app = s.app);
    const ids = [await queueCodeMail(app, 'a@example.jp'), await queueCodeMail(app, 'b@example.jp'), await queueCodeMail(app, 'c@example.jp')];

    expect(await app.mailWorker.drainOnce()).toBe(3);

    // Each mail was `committing` (never still `sending`) when its terminator reached the peer.
    expect(seen.map((x) => x.id)).toEqual(ids);
    expect(seen.every((x) => x.state === 'committing' && x.handoverAt !== null)).toBe(true);
    const rows = await Promise.all(ids.map((id) => row(app, id)));
    expect(rows.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
    expect(rows.every((r) => r.handover_at !== null && r.sent_at !== null)).toBe(true);
  });

  it('never completes a message whose DATA did not end: smtp-server drops it when the client goes away', async () => {
    const { mailbox } = await setup();
    const socket = connect(mailbox.port, '127.0.0.1');
    let replies = '';
    socket.on('data', (d: Buffer) => (replies += d.toString()));
    const expectReply = (code: string) => waitFor(() => (new RegExp(`^${code} `, 'm').test(replies) ? true : undefined), { what: `SMTP reply ${code}` });
    await expectReply('220');
    socket.write('EHLO client.test\r\n');
    await expectReply('250');
    replies = '';
    socket.write('MAIL FROM:<webdesk@jisa.or.jp>\r\nRCPT TO:<half@example.jp>\r\nDATA\r\n');
    await expectReply('354');
    // Everything of a message but the final ".": the body's own CRLF is there, the dot line is not.
    socket.write('Message-ID: <half@jsa-webdesk.local>\r\nSubject: half\r\n\r\nパスワード変更権限コード\r\n');
    socket.destroy();

    await waitFor(() => (mailbox.incomplete() === 1 ? true : undefined), { what: 'the peer to drop the half message' });
    expect(mailbox.mails).toEqual([]);
  });
});

describe('a connection lost between the terminator and the 250', () => {
  it('leaves the mail `unknown`, never sent again by itself, while the rest go out', async () => {
    let dropped = false;
    const { app, mailbox, clock } = await setup({
      onComplete: () => {
        if (dropped) return 'accept';
        dropped = true;
        return 'drop';
      },
    });
    const [first, second, third] = [await queueCodeMail(app, 'a@example.jp'), await queueCodeMail(app, 'b@example.jp'), await queueCodeMail(app, 'c@example.jp')];

    expect(await app.mailWorker.drainOnce()).toBe(0);
    const lost = await row(app, first!);
    expect(lost).toMatchObject({ state: 'unknown', attempts: 1 });
    expect(lost.handover_at).not.toBeNull();
    expect(lost.last_error).toBeTruthy();
    // The others were not tried: the peer looked down, so the queue waits as a whole.
    expect((await row(app, second!)).state).toBe('queued');

    clock.advance(60 * 60_000);
    expect(await app.mailWorker.drainOnce()).toBe(2);
    clock.advance(60 * 60_000);
    expect(await app.mailWorker.drainOnce()).toBe(0);
    expect([received(mailbox, first!), received(mailbox, second!), received(mailbox, third!)]).toEqual([1, 1, 1]);
    expect((await row(app, first!)).state).toBe('unknown');

    const health = await app.health();
    expect(health.outboxUnknown).toBe(1);
    expect(health.problems).toContain('mail-unknown');
  });

  it('lets a supervisor, not an agent, resend it or record it as received, each audited', async () => {
    let drops = 2;
    const { app, mailbox, clock } = await setup({
      onComplete: () => {
        if (drops === 0) return 'accept';
        drops -= 1;
        return 'drop';
      },
    });
    const admin = await readyAdmin(app);
    const agent = await readyStaff(app, admin, 'agent');
    const supervisor = await readyStaff(app, admin, 'supervisor');
    const resent = await queueCodeMail(app, 'resent@example.jp');
    const confirmed = await queueCodeMail(app, 'confirmed@example.jp');
    await app.mailWorker.drainOnce();
    clock.advance(60 * 60_000);
    await app.mailWorker.drainOnce();
    expect([(await row(app, resent)).state, (await row(app, confirmed)).state]).toEqual(['unknown', 'unknown']);

    // Agents see them (the counter's clerk asks the customer) …
    const listed = await agent.ok('staff.outbox.list', { state: 'unknown' });
    expect(listed.items.map((m) => m.mailId).sort()).toEqual([resent, confirmed].sort());
    expect(listed.items.every((m) => m.state === 'unknown' && m.handoverAt !== null && m.maskedTo.includes('•'))).toBe(true);
    // … but only a supervisor records the answer.
    expect(await agent.fails('staff.outbox.resolveUnknown', { mailId: resent, outcome: 'resend' })).toBe('FORBIDDEN');
    expect(await supervisor.ok('staff.outbox.resolveUnknown', { mailId: resent, outcome: 'resend' })).toEqual({ resolved: true });
    expect(await supervisor.ok('staff.outbox.resolveUnknown', { mailId: confirmed, outcome: 'delivered' })).toEqual({ resolved: true });
    // Once resolved it is no longer unknown: a second answer changes nothing.
    expect(await supervisor.ok('staff.outbox.resolveUnknown', { mailId: resent, outcome: 'delivered' })).toEqual({ resolved: false });
    expect(await supervisor.fails('staff.outbox.resolveUnknown', { mailId: '01957a3c-0000-7000-8000-000000000000', outcome: 'resend' })).toBe('NOT_FOUND');

    await app.mailWorker.drainOnce();
    expect(await row(app, resent)).toMatchObject({ state: 'sent' });
    const delivered = await row(app, confirmed);
    expect(delivered).toMatchObject({ state: 'sent', message_id: `<${confirmed}@jsa-webdesk.local>` });
    expect(delivered.sent_at).toBe(delivered.handover_at);
    // Resent on the clerk's word: now twice at the peer, the second time on purpose. Confirmed: once.
    expect([received(mailbox, resent), received(mailbox, confirmed)]).toEqual([2, 1]);

    const audit = (await app.db('audit_log').whereIn('action', ['mail.unknown-resent', 'mail.unknown-delivered']).orderBy('seq').select('actor', 'action', 'detail_json')) as Array<{
      actor: string;
      action: string;
      detail_json: string;
    }>;
    const supervisorId = (await supervisor.ok('staff.me', {})).staffId;
    expect(audit.map((a) => [a.actor, a.action, (JSON.parse(a.detail_json) as { mailId: string }).mailId])).toEqual([
      [`staff:${supervisorId}`, 'mail.unknown-resent', resent],
      [`staff:${supervisorId}`, 'mail.unknown-delivered', confirmed],
    ]);
    expect((await app.health()).outboxUnknown).toBe(0);
  });
});

describe('after a crash', () => {
  it('sends again what was still `sending`, and makes what was `committing` unknown', async () => {
    const { app, mailbox, dataDir } = await setup();
    const claimed = await queueCodeMail(app, 'claimed@example.jp');
    const handedOver = await queueCodeMail(app, 'handed-over@example.jp');
    // As a SIGKILL leaves them: one claimed by a pass, one recorded just before its terminator.
    await app.db('mail_outbox').where({ id: claimed }).update({ state: 'sending' });
    await app.db('mail_outbox').where({ id: handedOver }).update({ state: 'committing', handover_at: new Date().toISOString() });
    cleanups.splice(cleanups.indexOf(cleanups.at(-1)!), 1);
    await app.close();

    const restarted = await startTestApp({ dataDir, smtpUrl: mailbox.url });
    cleanups.push(() => restarted.close());
    await mailbox.next((m) => idOf(m.messageId) === claimed, 'the claimed mail, sent after the restart');
    await waitFor(async () => ((await row(restarted, claimed)).state === 'sent' ? true : undefined), { what: 'the claimed mail marked sent' });
    expect((await row(restarted, handedOver)).state).toBe('unknown');
    expect(received(mailbox, handedOver)).toBe(0);
  });
});
