// Issue 15: axe over each on-screen keyboard layout and at 特大 / 白黒反転 (0 violations of any
// impact), the physical keyboard beside the on-screen one, the idle wipe of text size,
// contrast and keyboard, and the 「キーボード」 switch outside kiosk mode.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoAxeViolations, openForgotPage, TANAKA } from './kiosk-steps';
import { expectFieldAboveKeyboard, expectNoHorizontalScroll, expectTouchTargets, keyboardOf, setTextSize, tapField, tapText } from './touch-steps';

async function checkLayout(page: Page, where: string): Promise<void> {
  await expectNoAxeViolations(page, where);
  await expectTouchTargets(page, where);
  await expectNoHorizontalScroll(page, where);
}

async function openInquiry(page: Page, url: string): Promise<void> {
  await openForgotPage(page, url);
  await page.getByRole('button', { name: 'JSA-ID が分からない方' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'JSA-ID が分からない方' })).toBeVisible();
}

test.describe('kiosk mode', () => {
  test.use({ hasTouch: true, viewport: { width: 1280, height: 1024 }, env: { WEBDESK_MODE: 'kiosk' }, demoAccounts: true });

  test('every keyboard layout passes axe and the touch-size checks', async ({ page, webApp }) => {
    await openForgotPage(page, webApp.url);
    await tapField(page, page.getByLabel('JSA-ID', { exact: true }), 'digits');
    await checkLayout(page, 'digits');
    await tapField(page, page.getByLabel(/メールアドレス/), 'email');
    await checkLayout(page, 'email');

    await page.getByRole('button', { name: '最初に戻る' }).tap();
    await page.getByRole('button', { name: 'ログインへ' }).tap();
    await tapField(page, page.locator('#login-password'), 'password');
    await checkLayout(page, 'password (letters)');
    await keyboardOf(page).getByRole('button', { name: '記号', exact: true }).tap();
    await expect(keyboardOf(page)).toHaveAttribute('data-page', 'symbols');
    await checkLayout(page, 'password (symbols)');

    await page.goto(`${webApp.url}/reset/not-a-real-token`);
    await tapField(page, page.getByLabel(/変更権限コード/), 'code');
    await checkLayout(page, 'code');

    await openInquiry(page, webApp.url);
    await tapField(page, page.getByLabel(/郵便番号/), 'tel');
    await checkLayout(page, 'tel');
    await tapField(page, page.getByLabel(/ご住所/), 'kana');
    await checkLayout(page, 'kana');
    await keyboardOf(page).getByRole('button', { name: 'カタカナ', exact: true }).tap();
    await expect(keyboardOf(page).getByRole('button', { name: 'ア', exact: true })).toBeVisible();
    await checkLayout(page, 'kana (katakana)');
    await keyboardOf(page).getByRole('button', { name: '英数', exact: true }).tap();
    await checkLayout(page, 'kana (英数)');
  });

  for (const viewport of [
    { width: 1280, height: 1024 },
    { width: 1080, height: 1920 },
  ]) {
    test(`特大 and 白黒反転 at ${viewport.width}×${viewport.height}: axe, touch sizes, no horizontal scroll`, async ({ page, webApp }) => {
      await page.setViewportSize(viewport);
      await page.goto(webApp.url);
      await setTextSize(page, '特大');
      const inverted = page.getByRole('group', { name: 'コントラスト' }).getByRole('button', { name: '白黒反転' });
      await inverted.tap();
      await expect(inverted).toHaveAttribute('aria-pressed', 'true');
      await expect(page.locator('html')).toHaveAttribute('data-contrast', 'inverted');
      await checkLayout(page, 'トップ 特大 白黒反転');
      await page.getByRole('button', { name: 'ログインへ' }).tap();
      await checkLayout(page, 'ログイン 特大 白黒反転');
      await page.getByRole('button', { name: 'ID 忘れ・パスワード忘れ' }).tap();
      await tapField(page, page.getByLabel(/メールアドレス/), 'email');
      await checkLayout(page, 'ID忘れ 特大 白黒反転 (メールキー)');
      // A server error on screen, read at 特大 too.
      await tapText(page, ['x']);
      await page.getByRole('button', { name: 'サポートメール依頼' }).tap();
      await expect(page.getByRole('alert')).toBeVisible();
      await checkLayout(page, 'ID忘れ エラー 特大 白黒反転');
      await page.getByRole('button', { name: 'JSA-ID が分からない方' }).tap();
      await tapField(page, page.getByLabel(/ご住所/), 'kana');
      await checkLayout(page, 'JSA-ID 不明 特大 白黒反転 (かなキー)');
      await page.goto(`${webApp.url}/reset/not-a-real-token`);
      await setTextSize(page, '特大');
      await tapField(page, page.getByLabel(/変更権限コード/), 'code');
      await checkLayout(page, '変更権限コード 特大 (コードキー)');
    });
  }

  test('a physical keyboard keeps working beside the on-screen one, into the same field', async ({ page, webApp }) => {
    await openForgotPage(page, webApp.url);
    const jsaId = page.getByLabel('JSA-ID', { exact: true });
    await tapField(page, jsaId, 'digits');
    // The OS touch keyboard stays away while ours is there; the field's own mode comes back after.
    await expect(jsaId).toHaveAttribute('inputmode', 'none');
    await tapText(page, '12345');
    await page.keyboard.type('678');
    await tapText(page, '901');
    await expect(jsaId).toHaveValue(TANAKA.jsaId);
    await keyboardOf(page).getByRole('button', { name: '削除', exact: true }).tap();
    await page.keyboard.press('Backspace');
    await expect(jsaId).toHaveValue('123456789');
    await keyboardOf(page).getByRole('button', { name: '全部消す', exact: true }).tap();
    await expect(jsaId).toHaveValue('');
    await page.getByLabel(/メールアドレス/).tap();
    await expect(jsaId).toHaveAttribute('inputmode', 'numeric');
    await expect(page.getByLabel(/メールアドレス/)).toHaveAttribute('inputmode', 'none');
  });

  test('閉じる hides the keyboard, tapping the field brings it back; 次へ walks the form', async ({ page, webApp }) => {
    await openForgotPage(page, webApp.url);
    const jsaId = page.getByLabel('JSA-ID', { exact: true });
    await tapField(page, jsaId, 'digits');
    await keyboardOf(page).getByRole('button', { name: '閉じる', exact: true }).tap();
    await expect(keyboardOf(page)).toHaveCount(0);
    await expect(jsaId).toBeFocused();
    await jsaId.tap();
    await expect(keyboardOf(page)).toHaveAttribute('data-layout', 'digits');
    await expectFieldAboveKeyboard(page, jsaId);
  });

  test.describe('idle wipe', () => {
    test.use({ settings: { idleTimeoutSeconds: 15 } });

    test('clears what the keys typed, the keyboard, text size and contrast', async ({ page, webApp }) => {
      await page.clock.install();
      await openForgotPage(page, webApp.url);
      await setTextSize(page, '特大');
      await page.getByRole('group', { name: 'コントラスト' }).getByRole('button', { name: '白黒反転' }).tap();
      const jsaId = page.getByLabel('JSA-ID', { exact: true });
      await tapField(page, jsaId, 'digits');
      await tapText(page, '123');
      await expect(jsaId).toHaveValue('123');
      await page.clock.runFor(16_000);
      await expect(page.getByText('ログインされていません')).toBeVisible();
      await expect(keyboardOf(page)).toHaveCount(0);
      await expect(page.locator('html')).toHaveAttribute('data-text-size', 'standard');
      await expect(page.locator('html')).toHaveAttribute('data-contrast', 'standard');
      await expect(page.getByRole('group', { name: '文字サイズ' }).getByRole('button', { name: '標準' })).toHaveAttribute('aria-pressed', 'true');
      await page.getByRole('button', { name: 'ログインへ' }).tap();
      await page.getByRole('button', { name: 'ID 忘れ・パスワード忘れ' }).tap();
      await expect(page.getByLabel('JSA-ID', { exact: true })).toHaveValue('');
    });
  });
});

test.describe('staff mode (no kiosk)', () => {
  test.use({ hasTouch: true, viewport: { width: 1280, height: 1024 } });

  test('the keyboard comes only with the header 「キーボード」 switch', async ({ page, webApp }) => {
    await openForgotPage(page, webApp.url);
    const jsaId = page.getByLabel('JSA-ID', { exact: true });
    await jsaId.tap();
    await expect(jsaId).toBeFocused();
    await expect(keyboardOf(page)).toHaveCount(0);
    const toggle = page.getByRole('button', { name: 'キーボード', exact: true });
    await toggle.tap();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await tapField(page, jsaId, 'digits');
    await tapText(page, '42');
    await expect(jsaId).toHaveValue('42');
    await expectNoAxeViolations(page, 'キーボード switch');
  });
});

test.describe('kiosk mode with a mouse standing in for a finger', () => {
  test.use({ viewport: { width: 1280, height: 1024 }, env: { WEBDESK_MODE: 'kiosk' }, demoAccounts: true });

  test('clicked keys type into the field and the field keeps the focus', async ({ page, webApp }) => {
    await openForgotPage(page, webApp.url);
    const email = page.getByLabel(/メールアドレス/);
    await email.click();
    await expect(keyboardOf(page)).toHaveAttribute('data-layout', 'email');
    for (const key of ['t', 'a', 'n', 'a', 'k', 'a', '@', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.co.jp']) {
      await keyboardOf(page).getByRole('button', { name: key, exact: true }).click();
    }
    await expect(email).toHaveValue(TANAKA.email);
    await expect(email).toBeFocused();
  });
});
