// Issue 15: the kiosk with nothing but a touch screen. Touch emulation, taps only: the
// on-screen keyboard types every character, at 標準 and at 特大, through both reset paths
// (the code typed at the kiosk, and the mail's link), the login and the JSA-ID 不明 form.
import type { Page } from '@playwright/test';
import { codeFrom, expect, linkFrom, test } from './fixtures';
import { TANAKA } from './kiosk-steps';
import { expectNoHorizontalScroll, expectTouchTargets, keyboardOf, setTextSize, tapField, tapKana, tapNext, tapText } from './touch-steps';

// Each test starts its own app, so the file's tests may spread over both workers (a long file).
test.describe.configure({ mode: 'parallel' });

test.use({ hasTouch: true, viewport: { width: 1280, height: 1024 }, env: { WEBDESK_MODE: 'kiosk' }, demoAccounts: true });

const EMAIL_TOKENS = [...'tanaka', '@', ...'example', '.co.jp'];
const NEW_PASSWORD = 'Kiri-no-Umi#2026';

async function tapButton(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).tap();
}

async function openForgot(page: Page, url: string, size: '標準' | '特大'): Promise<void> {
  await page.goto(url);
  await expect(page.getByText('ログインされていません')).toBeVisible();
  await setTextSize(page, size);
  await expectTouchTargets(page, 'トップ');
  await tapButton(page, 'ログインへ');
  await expect(page.getByRole('heading', { level: 1, name: 'ログイン' })).toBeVisible();
  await tapButton(page, 'ID 忘れ・パスワード忘れ');
  await expect(page.getByRole('heading', { level: 1, name: 'ID忘れ・パスワード忘れ' })).toBeVisible();
}

async function requestByTouch(page: Page): Promise<void> {
  const jsaId = page.getByLabel('JSA-ID', { exact: true });
  await tapField(page, jsaId, 'digits');
  await expectTouchTargets(page, 'ID忘れ (数字キー)');
  await tapText(page, TANAKA.jsaId.slice(0, 10));
  // The digit counter follows the keys as it follows typing.
  await expect(page.locator('#forgot-jsa-id-live')).toContainText('10');
  await tapText(page, TANAKA.jsaId.slice(10));
  await expect(jsaId).toHaveValue(TANAKA.jsaId);
  await tapNext(page);
  const email = page.getByLabel(/メールアドレス/);
  await expect(email).toBeFocused();
  await expect(keyboardOf(page)).toHaveAttribute('data-layout', 'email');
  await expectTouchTargets(page, 'ID忘れ (メールキー)');
  await tapText(page, EMAIL_TOKENS);
  await expect(email).toHaveValue(TANAKA.email);
  await tapButton(page, 'サポートメール依頼');
  await expect(page.getByRole('dialog', { name: '受付完了' })).toBeVisible();
  await tapButton(page, 'OK');
  await expect(page.getByRole('heading', { level: 1, name: '変更権限コード' })).toBeVisible();
}

async function codeByTouch(page: Page, code: string): Promise<void> {
  const field = page.getByLabel(/変更権限コード/);
  await tapField(page, field, 'code');
  await expectTouchTargets(page, '変更権限コード (コードキー)');
  await tapText(page, code);
  await expect(field).toHaveValue(`${code.slice(0, 5)}-${code.slice(5)}`);
  await tapButton(page, '確認');
  await expect(page.getByRole('heading', { level: 1, name: 'パスワード登録' })).toBeVisible();
}

async function passwordByTouch(page: Page): Promise<void> {
  const field = page.locator('#pw-new');
  await tapField(page, field, 'password');
  await expectTouchTargets(page, 'パスワード登録 (英字)');
  await tapText(page, NEW_PASSWORD);
  await expect(field).toHaveValue(NEW_PASSWORD);
  await tapNext(page);
  await expect(page.locator('#pw-confirm')).toBeFocused();
  await tapText(page, NEW_PASSWORD);
  // The live パスワードポリシー欄 saw the keys as typing.
  await expect(page.locator('.checklist__item--ok', { hasText: '確認用パスワードが一致' })).toBeVisible();
  await tapButton(page, '登録');
  await expect(page.getByRole('heading', { level: 1, name: 'パスワードの登録が完了しました' })).toBeVisible();
  await expectTouchTargets(page, '完了');
}

for (const size of ['標準', '特大'] as const) {
  test.describe(`文字サイズ ${size}`, () => {
    test('reset with the code typed at the kiosk, all by touch', async ({ page, webApp }) => {
      await openForgot(page, webApp.url, size);
      await requestByTouch(page);
      const code = codeFrom(await webApp.waitForMail(TANAKA.email));
      const identifier = page.getByLabel(/JSA-ID またはメールアドレス/);
      await tapField(page, identifier, 'email');
      await tapText(page, TANAKA.jsaId);
      await expect(identifier).toHaveValue(TANAKA.jsaId);
      await codeByTouch(page, code);
      await expectNoHorizontalScroll(page, 'パスワード登録');
      await passwordByTouch(page);
    });

    test('reset through the mail link, all by touch', async ({ page, webApp }) => {
      await openForgot(page, webApp.url, size);
      await requestByTouch(page);
      const mail = await webApp.waitForMail(TANAKA.email);
      await page.goto(linkFrom(mail));
      await expect(page.getByRole('heading', { level: 1, name: '変更権限コード' })).toBeVisible();
      await setTextSize(page, size);
      await codeByTouch(page, codeFrom(mail));
      await passwordByTouch(page);
    });

    test('login by touch', async ({ page, webApp }) => {
      await page.goto(webApp.url);
      await setTextSize(page, size);
      await tapButton(page, 'ログインへ');
      const jsaId = page.locator('#login-jsa-id');
      await tapField(page, jsaId, 'digits');
      await tapText(page, TANAKA.jsaId);
      await tapNext(page);
      const password = page.locator('#login-password');
      await expect(password).toBeFocused();
      await expect(keyboardOf(page)).toHaveAttribute('data-layout', 'password');
      await tapText(page, 'sakura-tokei-2026');
      await expectTouchTargets(page, 'ログイン (パスワードキー)');
      await expectNoHorizontalScroll(page, 'ログイン');
      await tapButton(page, 'ログイン');
      await expect(page.getByText('田中 一郎 様がログインしています')).toBeVisible();
      await expectTouchTargets(page, 'トップ (ログイン後)');
      await page.locator('header').getByRole('button', { name: 'マイページ' }).tap();
      await expect(page.getByRole('heading', { level: 1, name: 'マイページ' })).toBeVisible();
      await expectTouchTargets(page, 'マイページ');
      await expectNoHorizontalScroll(page, 'マイページ');
    });

    test('JSA-ID 不明 form in kana, by touch', async ({ page, webApp }) => {
      await openForgot(page, webApp.url, size);
      await tapButton(page, 'JSA-ID が分からない方');
      await expect(page.getByRole('heading', { level: 1 })).toContainText('JSA-ID');
      await expect(page.getByText('ひらがな・カタカナでご入力いただいて構いません')).toBeVisible();

      await tapField(page, page.getByLabel(/郵便番号/), 'tel');
      await tapText(page, '107-0052');
      await tapNext(page);
      await expect(page.getByLabel(/ご住所/)).toBeFocused();
      await expect(keyboardOf(page)).toHaveAttribute('data-layout', 'kana');
      await expectTouchTargets(page, 'JSA-ID 不明 (かなキー)');
      await expectNoHorizontalScroll(page, 'JSA-ID 不明 (かなキー)');
      await tapKana(page, 'とうきょうと みなとく あかさか');
      // The alphanumeric page for the block number.
      await keyboardOf(page).getByRole('button', { name: '英数', exact: true }).tap();
      await expect(keyboardOf(page)).toHaveAttribute('data-page', 'alnum');
      await tapText(page, ' 4-1-24');
      await expect(page.getByLabel(/ご住所/)).toHaveValue('とうきょうと みなとく あかさか 4-1-24');
      await tapNext(page);
      // 会社名 in katakana with 濁点 and 長音.
      await expect(keyboardOf(page)).toHaveAttribute('data-page', 'kana');
      await keyboardOf(page).getByRole('button', { name: 'カタカナ', exact: true }).tap();
      await tapKana(page, 'サクラデータ');
      await expect(page.getByLabel(/会社名/)).toHaveValue('サクラデータ');
      await keyboardOf(page).getByRole('button', { name: 'カタカナ', exact: true }).tap();
      await tapNext(page);
      await tapKana(page, 'そうむぶ');
      await tapNext(page);
      await tapKana(page, 'たなか いちろう');
      await tapNext(page);
      await expect(keyboardOf(page)).toHaveAttribute('data-layout', 'tel');
      await tapText(page, '03-1234-5678');
      await tapNext(page);
      await tapNext(page); // 前任者名 is optional
      await expect(keyboardOf(page)).toHaveAttribute('data-layout', 'email');
      await tapText(page, EMAIL_TOKENS);
      await tapButton(page, '送信する');
      await expect(page.getByTestId('inquiry-reference')).toHaveText(/^WD-[0-9A-Z]{8}$/);
      await expectTouchTargets(page, '受付番号');
    });
  });
}
