// The address a mail goes to is the address we stored, byte for byte, on a real SMTP peer:
// every stored address passes one rule (domain/email.ts emailProblem), a dot-atom that
// nodemailer cannot read as anything else. The prober's `x;attacker@evil.com` went to
// attacker@evil.com and `a(comment)@evil.com` to a@evil.com; now neither can be stored.
import { domainToUnicode } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { importAccountsCsv } from '../../src-main/services/account-import';
import { queueMail } from '../../src-main/services/mail/mail-outbox';
import { createMailTransport } from '../../src-main/services/mail/mail-transport';
import type { MailRow } from '../../src-main/store/mail-outbox-repo';
import { findAccountByJsaId } from '../../src-main/store/accounts-repo';
import { startMailbox } from '../support/mailbox';
import { makeTempDir } from '../support/temp-dir';
import { kiosk, startTestApp } from './support/test-app';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const header = 'jsa_id,email,contact_name,company,department,address,phone';

describe('mail recipients', () => {
  it('the transport sends to one address as given, never to what a header parser would read in it', async () => {
    const mailbox = await startMailbox();
    cleanups.push(mailbox.close);
    const transport = createMailTransport({ smtpUrl: mailbox.url, maildropDir: '/nonexistent' });
    cleanups.push(async () => transport.close());
    // A row stored before the address rule (or written by hand): at worst it bounces.
    for (const [i, to] of ['x;attacker@evil.com', 'a(comment)@evil.com'].entries()) {
      await transport.send({ from: 'webdesk@jisa.or.jp', to, subject: 's', text: 't', html: '<p>t</p>', messageId: `<recipient-${i}@jsa-webdesk.local>` });
    }
    expect(mailbox.rcptToOnWire).not.toContain('attacker@evil.com');
    expect(mailbox.rcptToOnWire).not.toContain('a@evil.com');
    expect(mailbox.rcptToOnWire).toHaveLength(2);
  });


  it('RCPT TO and To are exactly the stored address, for every kind of address the import keeps', async () => {
    const dir = await makeTempDir();
    cleanups.push(dir.remove);
    const mailbox = await startMailbox();
    cleanups.push(mailbox.close);
    const app = await startTestApp({ dataDir: dir.path, smtpUrl: mailbox.url });
    cleanups.push(() => app.close());

    const kept = {
      '56000000001': "o'brien+tag@example.co.jp",
      '56000000002': "x!#$%&*/=?^_`{|}~-@sub.example.jp",
      '56000000003': 'user@xn--r8jz45g.jp',
      '56000000004': 'a.b-c_d@example.com',
    };
    const refused = ['x;attacker@evil.com', '<attacker@evil.com>', 'a(comment)@evil.com', '=?utf-8?b?YXR0YWNrZXJAZXZpbC5jb20=?=@example.co.jp', 'user@例え.jp'];
    const cell = (value: string) => `"${value.replace(/"/g, '""')}"`;
    const csv = [
      header,
      ...Object.entries(kept).map(([id, email]) => `${id},${cell(email)},名前,会社,部,住所,03`),
      ...refused.map((email, i) => `5600000010${i},${cell(email)},名前,会社,部,住所,03`),
    ].join('\n');
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test' });
    expect(report).toMatchObject({ inserted: Object.keys(kept).length, rejected: refused.length });

    for (const [jsaId, email] of Object.entries(kept)) {
      expect((await findAccountByJsaId(app.db, jsaId))?.email).toBe(email);
      expect(await kiosk(app).call('reset.request', { jsaId, email, locale: 'ja' })).toEqual({ ok: true, value: { status: 'accepted' } });
      const mail = await mailbox.next(() => true, `the code mail to ${email}`);
      expect(mailbox.rcptToOnWire.at(-1)).toBe(email);
      // mailparser shows an xn-- domain decoded, as a mail client would.
      expect(mail.to).toEqual([email.replace(/@(.*)$/, (_, domain: string) => `@${domainToUnicode(domain)}`)]);
    }
    // Typed at the kiosk, the same addresses are refused in the forms' words, not mailed.
    for (const email of refused) {
      expect(await kiosk(app).call('reset.request', { email, locale: 'ja' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: [{ field: 'email' }] } });
    }
    expect(mailbox.rcptToOnWire).toEqual(Object.values(kept));
  });

  it('a mail queued before the rule, to an address nodemailer reads as another, fails at once and never reaches RCPT TO', async () => {
    const dir = await makeTempDir();
    cleanups.push(dir.remove);
    const mailbox = await startMailbox();
    cleanups.push(mailbox.close);
    const app = await startTestApp({ dataDir: dir.path, smtpUrl: mailbox.url, startMailWorker: false });
    cleanups.push(() => app.close());
    const queue = (to: string) =>
      app.db.transaction((tx) => queueMail(tx, app.box, { template: 'reset-locked', locale: 'ja', to, params: { maskedJsaId: '•••••••8901', supportEmail: 'webdesk@jisa.or.jp' } }, app.clock.nowMs()));
    const bad = await queue('x;attacker@evil.com');
    await queue('after@example.jp');

    expect(await app.mailWorker.drainOnce()).toBe(1);
    expect(mailbox.rcptToOnWire).toEqual(['after@example.jp']);
    expect(await app.db<MailRow>('mail_outbox').where({ id: bad }).first()).toMatchObject({ state: 'failed', attempts: 1 });
  });
});
