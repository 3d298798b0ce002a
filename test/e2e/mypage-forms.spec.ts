import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { shot, withStore } from './mypage-support';

const REFERENCE = /^WD-[0-9A-HJKMNP-TV-Z]{8}$/;

async function openForm(page: Page, url: string, link: 'JSA-ID が分からない方' | 'ご担当者が退職された方') {
  await page.goto(url);
  await page.getByRole('button', { name: 'ログインへ' }).click();
  await page.getByRole('button', { name: 'ID 忘れ・パスワード忘れ' }).click();
  await page.getByRole('button', { name: link }).click();
}

const unknownId = {
  postalCode: '〒１０８－００７３',
  address: '東京都港区三田３丁目１３番１２号',
  company: '株式会社サンプル商事',
  department: '品質保証部',
  name: '山田　花子',
  phone: '０３（１２３４）５６７８',
  email: 'hanako@example.co.jp',
};

async function fill(page: Page, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) await page.locator(`#inquiry-${name}`).fill(value);
}

interface InquiryRow {
  kind: string;
  status: string;
  data_json: string;
  reply_email: string;
}

test.describe('kiosk forms', () => {
  test('JSA-ID 不明: submitted, reference shown, stored for staff, acknowledged by mail', async ({ page, webApp }) => {
    await openForm(page, webApp.url, 'JSA-ID が分からない方');
    await expect(page.getByRole('heading', { name: 'JSA-ID が分からない方' })).toBeVisible();
    await expect(page.locator('label[for="inquiry-name"]')).toContainText('必須');
    await expect(page.locator('label[for="inquiry-predecessorName"]')).not.toContainText('必須');
    await fill(page, unknownId);
    await shot(page, 'form-jsa-id-unknown');
    await page.getByRole('button', { name: '送信する' }).click();
    const reference = (await page.getByTestId('inquiry-reference').textContent())!.trim();
    expect(reference).toMatch(REFERENCE);
    await shot(page, 'form-done');

    const row = await withStore(webApp.dataDir, (db) => db('inquiries').where('reference', reference).first() as Promise<InquiryRow | undefined>);
    expect(row).toMatchObject({ kind: 'jsa_id_unknown', status: 'open', reply_email: 'hanako@example.co.jp' });
    expect(JSON.parse(row!.data_json)).toMatchObject({ postalCode: '108-0073', address: '東京都港区三田3丁目13番12号', name: '山田 花子', phone: '03-1234-5678' });
    const mail = await webApp.waitForMail('hanako@example.co.jp', reference);
    expect(mail.text).toContain(reference);
  });

  test('前任者退職・担当者変更: submitted, reference shown, stored for staff', async ({ page, webApp }) => {
    await openForm(page, webApp.url, 'ご担当者が退職された方');
    await expect(page.getByText('前任者様がログインをしてからマイページにて担当者名及びメールアドレスを変更してもらってください。')).toBeVisible();
    await fill(page, {
      postalCode: '530-0001',
      address: '大阪府大阪市北区梅田1-1-1',
      company: '株式会社みほん工業',
      department: '技術部',
      predecessorName: '佐藤 花子',
      newContactName: '小林 健',
      phone: '06-2345-6789',
      email: 'kobayashi@example.co.jp',
    });
    await shot(page, 'form-contact-change');
    await page.getByRole('button', { name: '送信する' }).click();
    const reference = (await page.getByTestId('inquiry-reference').textContent())!.trim();
    expect(reference).toMatch(REFERENCE);
    const row = await withStore(webApp.dataDir, (db) => db('inquiries').where('reference', reference).first() as Promise<InquiryRow | undefined>);
    expect(row).toMatchObject({ kind: 'contact_change', status: 'open' });
    expect(JSON.parse(row!.data_json)).toMatchObject({ predecessorName: '佐藤 花子', newContactName: '小林 健', email: 'kobayashi@example.co.jp' });
  });

  // What each kind of bad (or merely unusual) input gets, beside the field and in the summary.
  const table: Array<{ what: string; field: string; value: string; message: string | null }> = [
    { what: 'empty', field: 'name', value: '', message: 'お名前を入力してください。' },
    { what: '1,000 characters', field: 'name', value: 'あ'.repeat(1000), message: 'お名前は 100 文字以内で入力してください。' },
    { what: 'emoji', field: 'name', value: '山田😀花子', message: 'お名前に絵文字は使えません。' },
    { what: '<script>', field: 'company', value: '<script>alert(1)</script>', message: '会社名に「<」「>」は使えません。' },
    { what: 'a web address as a name', field: 'name', value: 'https://evil.example/login', message: 'お名前に URL やメールアドレスは入力できません。' },
    { what: 'SQL-like text as phone', field: 'phone', value: "03'; DROP TABLE inquiries;--", message: '電話番号は数字とハイフンで、市外局番から入力してください（例：03-1234-5678）。' },
    { what: 'SQL-like text as name (stored as text)', field: 'name', value: "Robert'); DROP TABLE inquiries;--", message: null },
    { what: 'full-width digits (folded)', field: 'phone', value: '０６－２３４５－６７８９', message: null },
    { what: 'six full-width digits as postal code', field: 'postalCode', value: '１２３４５６', message: '郵便番号は 7 桁です。いま 6 桁入力されています。' },
  ];

  test('bad-input table: each input gets its message, and nothing runs as markup', async ({ page, webApp }) => {
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs += 1;
      void d.dismiss();
    });
    for (const [i, row] of table.entries()) {
      await openForm(page, webApp.url, 'JSA-ID が分からない方');
      await fill(page, { ...unknownId, email: `table${i}@example.jp`, [row.field]: row.value });
      await page.getByRole('button', { name: '送信する' }).click();
      if (row.message === null) {
        await expect(page.getByTestId('inquiry-reference'), row.what).toHaveText(REFERENCE);
      } else {
        await expect(page.locator(`#inquiry-${row.field}-error`), row.what).toContainText(row.message);
        await expect(page.getByRole('alert'), row.what).toContainText(row.message);
        if (row.what === 'empty' || row.what === 'emoji') await shot(page, `form-error-${row.what}`);
      }
    }
    expect(dialogs).toBe(0);
    const stored = await withStore(webApp.dataDir, (db) => db('inquiries').select('data_json') as Promise<InquiryRow[]>);
    expect(stored.map((r) => JSON.parse(r.data_json).name)).toContain("Robert'); DROP TABLE inquiries;--");
  });
});
