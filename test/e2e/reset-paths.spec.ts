// The other ways through seed steps 3–6: email only, no match, wrong codes, an expired or a
// spent code. Each test has its own app and data folder (fixtures.ts).
import type { Page } from '@playwright/test';
import { codeFrom, expect, test } from './fixtures';
import { openForgotPage, submitSupportMail, TANAKA, withStore } from './kiosk-steps';


/** Through 受付完了 to the 変更権限コード screen. */
async function requestSupportMail(page: Page, jsaId: string, email: string): Promise<void> {
  await submitSupportMail(page, jsaId, email);
  await expect(page.getByRole('dialog', { name: '受付完了' })).toBeVisible();
  await page.getByRole('button', { name: 'OK' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '変更権限コード' })).toBeVisible();
}

async function enterCode(page: Page, identifier: string, code: string): Promise<void> {
  await page.getByLabel(/JSA-ID またはメールアドレス/).fill(identifier);
  await page.getByLabel(/変更権限コード/).fill(code);
  await page.getByRole('button', { name: '確認' }).click();
}

test('email only: the support mail names the JSA-ID and the code works with the email at the kiosk', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await requestSupportMail(page, '', TANAKA.email);
  const mail = await webApp.waitForMail(TANAKA.email, 'サポートメール');
  expect(mail.text).toContain(`JSA-ID: ${TANAKA.jsaId}`);

  await enterCode(page, TANAKA.email, codeFrom(mail));
  await expect(page.getByRole('heading', { level: 1, name: 'パスワード登録' })).toBeVisible();
  const password = 'yuki-no-hi-no-kissaten';
  await page.locator('#pw-new').fill(password);
  await page.locator('#pw-confirm').fill(password);
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'パスワードの登録が完了しました' })).toBeVisible();
  // The notice goes to the registered address; no automatic login.
  await webApp.waitForMail(TANAKA.email, 'パスワードが変更されました');
  await page.getByRole('button', { name: '最初に戻る' }).click();
  await expect(page.getByText('ログインされていません')).toBeVisible();
});

test('an unknown JSA-ID and a wrong email get the same 受付完了 as a match, and no mail', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await requestSupportMail(page, '99999999999', TANAKA.email);
  await page.getByRole('button', { name: '最初に戻る' }).click();
  await openForgotPage(page, webApp.url);
  await requestSupportMail(page, TANAKA.jsaId, 'someone-else@example.co.jp');
  // A matching request afterwards proves the mail path works; only it produced a mail.
  await page.getByRole('button', { name: '最初に戻る' }).click();
  await openForgotPage(page, webApp.url);
  await requestSupportMail(page, '23456789012', 'shared@example.co.jp');
  await webApp.waitForMail('shared@example.co.jp');
  expect((await webApp.mails()).map((m) => m.to)).toEqual(['shared@example.co.jp']);
});

test('five wrong codes void the request, and the right code no longer works; typed at the kiosk the refusal says no more than 正しくありません', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await requestSupportMail(page, TANAKA.jsaId, TANAKA.email);
  const code = codeFrom(await webApp.waitForMail(TANAKA.email));
  const attempts = () => withStore(webApp.dataDir, async (db) => ((await db('reset_requests').max({ n: 'attempts' }).first()) as { n: number }).n);
  for (let i = 1; i <= 5; i += 1) {
    await enterCode(page, TANAKA.jsaId, 'ZZZZZZZZZZ');
    // The same words each time: the store says when this try was counted.
    await expect.poll(attempts).toBe(i);
    await expect(page.getByRole('alert')).toContainText('メールのリンクから開くと理由が表示されます');
    await expect(page.getByRole('alert')).not.toContainText('あと');
  }
  await enterCode(page, TANAKA.jsaId, code);
  await expect(page.getByRole('alert')).toContainText('変更権限コードが正しくありません');
  await expect(page.getByRole('heading', { level: 1, name: 'パスワード登録' })).toHaveCount(0);
  // The way on is offered there, and the mail's link says why.
  await expect(page.getByRole('button', { name: 'サポートメール依頼からやり直す' })).toBeVisible();
});

test('an expired code is refused with the way to start again', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await requestSupportMail(page, TANAKA.jsaId, TANAKA.email);
  const code = codeFrom(await webApp.waitForMail(TANAKA.email));
  // Straight into the kiosk's real SQLite file, as a clock jump would.
  await withStore(webApp.dataDir, (db) => db('reset_requests').where({ status: 'pending' }).update({ expires_at: '2000-01-01T00:00:00.000Z' }));
  await enterCode(page, TANAKA.jsaId, code);
  // Typed at the kiosk: the same words as any refusal there, with the way on.
  await expect(page.getByRole('alert')).toContainText('有効期限が切れたコード');
});

test('a code already used is refused', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await requestSupportMail(page, TANAKA.jsaId, TANAKA.email);
  const code = codeFrom(await webApp.waitForMail(TANAKA.email));
  await enterCode(page, TANAKA.jsaId, code);
  await expect(page.getByRole('heading', { level: 1, name: 'パスワード登録' })).toBeVisible();

  await page.getByRole('button', { name: '最初に戻る' }).click();
  await openForgotPage(page, webApp.url);
  await page.getByRole('button', { name: '最初に戻る' }).click();
  await page.getByRole('button', { name: 'ログインへ' }).click();
  await page.getByRole('button', { name: 'ID 忘れ・パスワード忘れ' }).click();
  // Straight to the code screen the way a returning customer would: request → OK → code.
  await requestSupportMail(page, '99999999999', 'nobody@example.co.jp');
  await enterCode(page, TANAKA.jsaId, code);
  await expect(page.getByRole('alert')).toContainText('使用済みのコード');
});

test('the パスワードポリシー欄 answers as the customer types', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await requestSupportMail(page, TANAKA.jsaId, TANAKA.email);
  await enterCode(page, TANAKA.jsaId, codeFrom(await webApp.waitForMail(TANAKA.email)));
  const policy = page.getByRole('region', { name: 'パスワードポリシー' });
  const item = (text: string | RegExp) => policy.getByRole('listitem').filter({ hasText: text });

  await page.locator('#pw-new').fill('password');
  await expect(item(/よく使われている/)).toContainText('満たしていません');
  await page.locator('#pw-new').fill('my-jsa-webdesk-2026');
  await expect(item(/JSA-ID|メールアドレス|Webdesk/)).toContainText('満たしていません');
  // Full-width letters count as the same characters (NFKC): ｐａｓｓｗｏｒｄ is still common.
  await page.locator('#pw-new').fill('ｐａｓｓｗｏｒｄ');
  await expect(item(/よく使われている/)).toContainText('満たしていません');
  await page.locator('#pw-new').fill('kaze-ga-fuku-hi-ni');
  await page.locator('#pw-confirm').fill('kaze-ga-fuku-hi-ni');
  await expect(policy).toContainText('すべての条件を満たしています。');
});
