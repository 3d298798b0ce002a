import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REFERENCE_PATTERN } from '../../../src-main/services/inquiry-service';
import { kiosk } from '../support/test-app';
import { auditActions, mailTo, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

interface InquiryDbRow {
  id: string;
  reference: string;
  kind: string;
  status: string;
  data_json: string;
  reply_email: string;
  account_id: string | null;
  version: number;
}
const stored = async (reference: string) => (await h.app.db<InquiryDbRow>('inquiries').where({ reference }).first())!;

const unknownIdForm = {
  postalCode: '〒１０８－００７３',
  address: '東京都港区三田３丁目１３番１２号',
  company: '株式会社サンプル商事',
  department: '品質保証部',
  name: '山田　花子',
  phone: '０３（１２３４）５６７８',
  predecessorName: '',
  email: 'Hanako.Yamada@Example.co.jp',
};

const contactChangeForm = {
  postalCode: '530-0001',
  address: '大阪府大阪市北区梅田１ー１ー１',
  company: '株式会社みほん工業',
  department: '技術部',
  predecessorName: '佐藤 花子',
  newContactName: 'ｺﾊﾞﾔｼ 健',
  phone: '06-2345-6789',
  email: 'kobayashi@example.co.jp',
};

describe('JSA-ID 不明 form', () => {
  it('stores the normalised form in the staff queue and mails the reference', async () => {
    const k = kiosk(h.app);
    const receipt = await k.ok('inquiry.jsaIdUnknown', unknownIdForm);
    expect(receipt.reference).toMatch(REFERENCE_PATTERN);
    expect(receipt).toMatchObject({ kind: 'jsa_id_unknown', maskedReplyEmail: `h${'•'.repeat(12)}@example.co.jp` });
    const row = await stored(receipt.reference);
    expect(row).toMatchObject({ kind: 'jsa_id_unknown', status: 'open', reply_email: 'hanako.yamada@example.co.jp', account_id: null, version: 1 });
    expect(JSON.parse(row.data_json)).toEqual({
      postalCode: '108-0073',
      address: '東京都港区三田3丁目13番12号',
      company: '株式会社サンプル商事',
      department: '品質保証部',
      name: '山田 花子',
      phone: '03-1234-5678',
      email: 'hanako.yamada@example.co.jp',
    });
    const ack = await mailTo(h.mailbox, 'hanako.yamada@example.co.jp', /お問合せを受け付けました/);
    expect(ack.subject).toContain(receipt.reference);
    expect(ack.text).toContain(receipt.reference);
    // Nothing the public typed travels in our mail except the reference.
    expect(ack.text).not.toContain('山田');
    expect(await auditActions(h.app, receipt.reference)).toEqual(['inquiry.submitted']);
  });

  it('answers the same whether or not the data matches an account', async () => {
    const match = await kiosk(h.app).ok('inquiry.jsaIdUnknown', { ...unknownIdForm, name: '田中 一郎', email: 'a@example.jp' });
    const none = await kiosk(h.app).ok('inquiry.jsaIdUnknown', { ...unknownIdForm, company: '存在しない会社', email: 'b@example.jp' });
    expect(Object.keys(match).sort()).toEqual(Object.keys(none).sort());
    expect((await stored(match.reference)).account_id).toBeNull();
  });

  it('keeps the optional 前任者名 when given', async () => {
    const r = await kiosk(h.app).ok('inquiry.jsaIdUnknown', { ...unknownIdForm, predecessorName: '田中 一郎' });
    expect(JSON.parse((await stored(r.reference)).data_json)).toMatchObject({ predecessorName: '田中 一郎' });
  });

  it('names every bad field at once and stores nothing', async () => {
    const r = await kiosk(h.app).call('inquiry.jsaIdUnknown', {
      postalCode: '12345',
      address: '',
      company: '<b>ACME</b>',
      department: 'x'.repeat(1000),
      name: '😀',
      phone: "0'; DROP TABLE inquiries;--",
      predecessorName: '',
      email: 'not an address',
    });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        fields: [
          { field: 'postalCode', code: 'postalCode.digits', params: { digits: 5 } },
          { field: 'address', code: 'required' },
          { field: 'company', code: 'markup' },
          { field: 'department', code: 'tooLong', params: { max: 200 } },
          { field: 'name', code: 'pictographs' },
          { field: 'phone', code: 'phone.format' },
          { field: 'email', code: 'email.format' },
        ],
      },
    });
    expect(await h.app.db('inquiries').count({ n: '*' }).first()).toEqual({ n: 0 });
  });
});

describe('前任者退職・担当者変更 form', () => {
  it('stores the new contact and the predecessor for staff to verify', async () => {
    const receipt = await kiosk(h.app).ok('inquiry.contactChange', contactChangeForm);
    expect(receipt).toMatchObject({ kind: 'contact_change' });
    const row = await stored(receipt.reference);
    expect(row).toMatchObject({ kind: 'contact_change', status: 'open', reply_email: 'kobayashi@example.co.jp' });
    expect(JSON.parse(row.data_json)).toEqual({
      postalCode: '530-0001',
      address: '大阪府大阪市北区梅田1-1-1',
      company: '株式会社みほん工業',
      department: '技術部',
      predecessorName: '佐藤 花子',
      newContactName: 'コバヤシ 健',
      phone: '06-2345-6789',
      email: 'kobayashi@example.co.jp',
    });
    const ack = await mailTo(h.mailbox, 'kobayashi@example.co.jp', /お問合せを受け付けました/);
    expect(ack.text).toContain('前任者退職に伴う担当者変更');
  });

  it('requires 前任者名 here', async () => {
    const r = await kiosk(h.app).call('inquiry.contactChange', { ...contactChangeForm, predecessorName: ' ' });
    expect(r).toEqual({ ok: false, error: { code: 'INVALID_INPUT', fields: [{ field: 'predecessorName', code: 'required' }] } });
  });
});

describe('form limits', () => {
  it('cools down per reply address and caps submissions per kiosk per hour', async () => {
    const s = await h.app.settings.get();
    await h.app.settings.update({ limits: { ...s.limits, perKioskPerHour: 3 } }, 'test');
    const k = kiosk(h.app);
    await k.ok('inquiry.contactChange', contactChangeForm);
    expect(await k.call('inquiry.contactChange', contactChangeForm)).toMatchObject({ ok: false, error: { code: 'COOLDOWN' } });
    await k.ok('inquiry.jsaIdUnknown', { ...unknownIdForm, email: 'x1@example.jp' });
    await k.ok('inquiry.jsaIdUnknown', { ...unknownIdForm, email: 'x2@example.jp' });
    expect(await k.call('inquiry.jsaIdUnknown', { ...unknownIdForm, email: 'x3@example.jp' })).toEqual({ ok: false, error: { code: 'RATE_LIMITED' } });
    h.clock.advance(60 * 60_000 + 1);
    await k.ok('inquiry.jsaIdUnknown', { ...unknownIdForm, email: 'x3@example.jp' });
  });

  it('holds its limits under a burst: 30 forms at once to one reply address are one form and one mail', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => kiosk(h.app).call('inquiry.jsaIdUnknown', { ...unknownIdForm, email: 'burst@example.jp' })));
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes.filter((c) => c !== 'ok').every((c) => c === 'COOLDOWN')).toBe(true);
    expect(await h.app.db('inquiries').where({ reply_email: 'burst@example.jp' }).count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await h.app.db('mail_outbox').where({ template: 'inquiry-received' }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});
