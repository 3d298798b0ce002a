import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { startMailbox, type Mailbox } from '../../support/mailbox';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { startTestApp } from '../support/test-app';
import { addInquiry, readyAdmin, readyStaff, type StaffClient } from './staff-support';

let dir: TempDir;
let app: App;
let mailbox: Mailbox;
let agent: StaffClient;
let supervisor: StaffClient;

beforeAll(async () => {
  dir = await makeTempDir();
  mailbox = await startMailbox();
  app = await startTestApp({ dataDir: dir.path, smtpUrl: mailbox.url });
  const admin = await readyAdmin(app);
  agent = await readyStaff(app, admin, 'agent');
  supervisor = await readyStaff(app, admin, 'supervisor');
});
afterAll(async () => {
  await app.close();
  await mailbox.close();
  await dir.remove();
});

// The demo account 12345678901: 田中 一郎, 株式会社サンプル商事, 東京都港区三田3丁目13番12号, 03-1234-5678.
const tanaka = {
  address: '東京都港区三田３－１３－１２',
  company: '(株)サンプル商事',
  department: '品質保証部',
  name: 'たなか いちろう',
  phone: '０３(1234)5678',
};

describe('identity check of a JSA-ID 不明 inquiry', () => {
  it('lists the inquiry in the queue and compares it with the registered account field by field', async () => {
    const id = await addInquiry(app, { kind: 'jsa_id_unknown', data: { ...tanaka, name: '田中 一郎', postalCode: '108-0073' }, replyEmail: 'ichiro.private@example.net' });
    const queue = await agent.ok('staff.inquiries.list', { status: 'open' });
    expect(queue.items.map((i) => i.inquiryId)).toContain(id);
    const view = await agent.ok('staff.inquiries.get', { inquiryId: id });
    const best = view.candidates[0]!;
    expect(best.account.maskedJsaId).toBe('•••••••8901');
    expect(Object.fromEntries(best.match.fields.map((f) => [f.field, f.verdict]))).toEqual({
      address: 'same',
      company: 'same',
      department: 'same',
      name: 'same',
      phone: 'same',
    });
    expect(best.match.overall).toBe('match');
  });

  it('approving sends the JSA-ID to the registered address only, and tells the reply address where it went', async () => {
    const id = await addInquiry(app, { kind: 'jsa_id_unknown', data: { ...tanaka, name: '田中一郎' }, replyEmail: 'ichiro.private@example.net' });
    const view = await agent.ok('staff.inquiries.get', { inquiryId: id });
    const accountId = view.candidates[0]!.account.accountId;
    expect(await agent.ok('staff.inquiries.decide', { inquiryId: id, decision: 'approve', accountId, reasonTemplate: 'identity-confirmed' })).toEqual({ status: 'approved' });
    const toRegistered = await mailbox.next((m) => m.subject.includes('JSA-ID のお知らせ'), 'JSA-ID mail');
    expect(toRegistered.envelopeTo).toEqual(['tanaka@example.co.jp']);
    expect(toRegistered.text).toContain('JSA-ID: 12345678901');
    const toReply = await mailbox.next((m) => m.envelopeTo.includes('ichiro.private@example.net'), 'notice to the reply address');
    expect(toReply.text).not.toContain('12345678901');
    // The outbox view masks the JSA-ID in the body.
    const outbox = await agent.ok('staff.outbox.list', {});
    const mail = outbox.items.find((m) => m.template === 'inquiry-jsa-id')!;
    const rendered = await agent.ok('staff.outbox.get', { mailId: mail.mailId });
    expect(rendered.text).toContain('JSA-ID: •••••••8901');
    expect(rendered.text).not.toContain('12345678901');
    expect(await agent.fails('staff.inquiries.decide', { inquiryId: id, decision: 'refuse', reasonTemplate: 'other' })).toBe('CONFLICT');
  });

  it('a different address means refuse: an agent cannot approve or override, a supervisor can with a written reason', async () => {
    const id = await addInquiry(app, { kind: 'jsa_id_unknown', data: { ...tanaka, address: '大阪府大阪市北区梅田1-1-1' }, replyEmail: 'x@example.net' });
    const view = await agent.ok('staff.inquiries.get', { inquiryId: id });
    const best = view.candidates.find((c) => c.account.maskedJsaId.endsWith('8901'))!;
    expect(best.match.overall).toBe('refuse');
    expect(best.match.refuseBecause).toEqual(['address']);
    const accountId = best.account.accountId;
    const approve = { inquiryId: id, decision: 'approve' as const, accountId, reasonTemplate: 'identity-confirmed-document' as const };
    const blocked = await agent.call('staff.inquiries.decide', approve);
    expect(blocked.ok ? undefined : blocked.error).toMatchObject({ code: 'CONFLICT', params: { reason: 'identity-mismatch' } });
    expect(await agent.fails('staff.inquiries.decide', { ...approve, overrideReason: '運転免許証で本人確認済み、転居直後' })).toBe('FORBIDDEN');
    await supervisor.ok('staff.inquiries.decide', { ...approve, overrideReason: '運転免許証で本人確認済み、転居直後' });
    const override = (await app.db('audit_log').where({ action: 'inquiry.override' }).first()) as { detail_json: string };
    expect(JSON.parse(override.detail_json)).toMatchObject({ refuseBecause: ['address'], reason: '運転免許証で本人確認済み、転居直後' });
    await mailbox.next((m) => m.subject.includes('JSA-ID のお知らせ'), 'JSA-ID mail after override');
  });

  it('refusing mails the reply address with the reason, and nothing goes to the account', async () => {
    const id = await addInquiry(app, { kind: 'jsa_id_unknown', data: { ...tanaka, company: '株式会社べつの会社' }, replyEmail: 'someone@example.net' });
    await agent.ok('staff.inquiries.decide', { inquiryId: id, decision: 'refuse', reasonTemplate: 'company-mismatch', reasonText: '社名が登録と異なる' });
    const mail = await mailbox.next((m) => m.envelopeTo.includes('someone@example.net'), 'refusal');
    expect(mail.text).toContain('会社名が、ご登録の情報と異なっていました');
    const reviewed = await agent.ok('staff.inquiries.get', { inquiryId: id });
    expect(reviewed.inquiry.status).toBe('refused');
    expect(reviewed.reviews[0]).toMatchObject({ decision: 'refused', reasonTemplate: 'company-mismatch' });
  });
});

describe('identity check of a 前任者退職 contact change', () => {
  it('approving changes 担当者名 and e-mail, and notifies the old and the new address', async () => {
    const id = await addInquiry(app, {
      kind: 'contact_change',
      data: {
        address: '大阪府大阪市北区梅田一丁目1番1号',
        company: '株式会社みほん工業',
        department: '技術部',
        predecessorName: '佐藤 花子',
        newContactName: '高橋 誠',
        phone: '06-2345-6789',
        email: 'Takahashi@Example.co.jp',
      },
      replyEmail: 'takahashi@example.co.jp',
    });
    const view = await agent.ok('staff.inquiries.get', { inquiryId: id });
    const best = view.candidates[0]!;
    expect(best.account.contactName).toBe('佐藤 花子');
    expect(best.match.overall).toBe('match');
    await agent.ok('staff.inquiries.decide', { inquiryId: id, decision: 'approve', accountId: best.account.accountId, reasonTemplate: 'identity-confirmed' });
    const old = await mailbox.next((m) => m.envelopeTo.includes('shared@example.co.jp') && m.subject.includes('変更しました'), 'notice to the old address');
    expect(old.text).toContain('高橋 誠');
    await mailbox.next((m) => m.envelopeTo.includes('takahashi@example.co.jp') && m.subject.includes('承りました'), 'confirmation to the new address');
    const row = (await app.db('accounts').where({ id: best.account.accountId }).first()) as { contact_name: string; email_norm: string };
    expect(row).toMatchObject({ contact_name: '高橋 誠', email_norm: 'takahashi@example.co.jp' });
    expect((await agent.ok('staff.accounts.search', { query: '高橋　誠' })).items.map((i) => i.accountId)).toContain(best.account.accountId);
  });

  it('reads unknown or odd data_json keys without failing', async () => {
    const id = await addInquiry(app, { kind: 'contact_change', data: { 会社名: 'サンプル', phone: 12345, nested: { a: 1 } }, replyEmail: 'bad' });
    const view = await agent.ok('staff.inquiries.get', { inquiryId: id });
    expect(view.inquiry.given).toMatchObject({ company: 'サンプル', phone: '12345' });
    expect(await agent.fails('staff.inquiries.decide', { inquiryId: id, decision: 'approve', reasonTemplate: 'identity-confirmed' })).toBe('INVALID_INPUT');
    await agent.ok('staff.inquiries.decide', { inquiryId: id, decision: 'refuse', reasonTemplate: 'insufficient-information' });
  });
});
