// Issue 16 §6: the JSA-ID 不明 form promised 「ご入力のメールアドレスに JSA-ID をお知らせします」
// while the JSA-ID rightly goes to the registered address. The form's own words (ja and en,
// read from the renderer's resources) are held against the mails a real SMTP peer receives
// after the form is submitted through the contract and a clerk approves it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { contactEn, contactJa } from '../../../src-renderer/i18n/contact-messages';
import { startMailbox, type Mailbox } from '../../support/mailbox';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { startTestApp } from '../support/test-app';
import { readyAdmin, readyStaff, staffClient, type StaffClient } from './staff-support';

let dir: TempDir;
let app: App;
let mailbox: Mailbox;
let agent: StaffClient;

beforeAll(async () => {
  dir = await makeTempDir();
  mailbox = await startMailbox();
  app = await startTestApp({ dataDir: dir.path, smtpUrl: mailbox.url });
  agent = await readyStaff(app, await readyAdmin(app), 'agent');
});
afterAll(async () => {
  await app.close();
  await mailbox.close();
  await dir.remove();
});

// The demo account 12345678901 (田中 一郎), registered at tanaka@example.co.jp.
const REGISTERED = 'tanaka@example.co.jp';
const JSA_ID = '12345678901';

/** Everything the form shows about where mail goes: the lead, the address hint, the done page. */
const formWords = (m: typeof contactJa | typeof contactEn) => [m.inquiry.jsaIdUnknownLead, m.inquiry.jsaIdUnknown.lead, m.inquiry.replyEmailHint, m.inquiry.done.nextJsaIdUnknown].join('\n');

describe.each([
  ['ja', contactJa, { registered: 'JSA-ID をご登録のメールアドレスにお送りします', typed: /ご入力のメールアドレスには.*(受付|結果)/, never: 'ご入力のメールアドレスに JSA-ID' }],
  ['en', contactEn, { registered: 'JSA-ID goes to the registered e-mail address', typed: /address you enter(ed)? gets the (receipt and the )?result/, never: 'send the JSA-ID to the address you give' }],
] as const)('the JSA-ID 不明 form in %s', (locale, messages, promise) => {
  it('says what the mails then do: the JSA-ID to the registered address, a notice without it to the typed one', async () => {
    const words = formWords(messages);
    expect(words).toContain(promise.registered);
    expect(words).toMatch(promise.typed);
    expect(words).not.toContain(promise.never);

    const typed = `ichiro.${locale}@example.net`;
    const kiosk = staffClient(app);
    const receipt = await kiosk.ok('inquiry.jsaIdUnknown', {
      postalCode: '108-0073',
      address: '東京都港区三田３－１３－１２',
      company: '株式会社サンプル商事',
      department: '品質保証部',
      name: '田中 一郎',
      phone: '03-1234-5678',
      predecessorName: '',
      email: typed,
      locale,
    });

    // What the form promised the typed address right away: the receipt, without the JSA-ID.
    const ack = await mailbox.next((m) => m.envelopeTo.includes(typed) && m.text.includes(receipt.reference), 'receipt to the typed address');
    expect(ack.text).not.toContain(JSA_ID);

    const queue = await agent.ok('staff.inquiries.list', { status: 'open' });
    const inquiry = queue.items.find((i) => i.reference === receipt.reference)!;
    const view = await agent.ok('staff.inquiries.get', { inquiryId: inquiry.inquiryId });
    const accountId = view.candidates.find((c) => c.account.maskedJsaId.endsWith('8901'))!.account.accountId;
    await agent.ok('staff.inquiries.decide', { inquiryId: inquiry.inquiryId, decision: 'approve', accountId, reasonTemplate: 'identity-confirmed' });

    // The JSA-ID: to the registered address only.
    const jsaMail = await mailbox.next((m) => m.text.includes(receipt.reference) && m.text.includes(JSA_ID), 'the JSA-ID mail');
    expect(jsaMail.envelopeTo).toEqual([REGISTERED]);
    // The typed address: the result, still without the JSA-ID.
    const result = await mailbox.next((m) => m.envelopeTo.includes(typed) && m.text.includes(receipt.reference), 'the result to the typed address');
    expect(result.text).not.toContain(JSA_ID);
    expect(result.text).toContain(locale === 'ja' ? 'ご登録のメールアドレス' : 'registered e-mail address');
  });
});
