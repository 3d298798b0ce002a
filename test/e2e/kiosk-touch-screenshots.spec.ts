// Pictures of the touch kiosk (issue 15) for the README: each on-screen keyboard layout,
// 特大 and 白黒反転, saved as screenshots.spec.ts saves its pictures.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { openForgotPage } from './kiosk-steps';
import { keyboardOf, setTextSize, tapField } from './touch-steps';
import { screenshotPath } from './screenshot-path';

// The window only, not the full page: the keyboard is fixed to the bottom of the window.
const shoot = (page: Page, name: string) => page.screenshot({ path: screenshotPath(`${name}.png`), animations: 'disabled' });

test.use({ hasTouch: true, viewport: { width: 1280, height: 1024 }, env: { WEBDESK_MODE: 'kiosk' }, demoAccounts: true });

test('captures each keyboard layout, 特大 and 白黒反転', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await tapField(page, page.getByLabel('JSA-ID', { exact: true }), 'digits');
  await shoot(page, 'touch-keyboard-digits');
  await tapField(page, page.getByLabel(/メールアドレス/), 'email');
  await shoot(page, 'touch-keyboard-email');

  await page.getByRole('button', { name: 'JSA-ID が分からない方' }).tap();
  await tapField(page, page.getByLabel(/郵便番号/), 'tel');
  await shoot(page, 'touch-keyboard-tel');
  await tapField(page, page.getByLabel(/ご住所/), 'kana');
  await shoot(page, 'touch-keyboard-kana');
  await keyboardOf(page).getByRole('button', { name: '英数', exact: true }).tap();
  await expect(keyboardOf(page)).toHaveAttribute('data-page', 'alnum');
  await shoot(page, 'touch-keyboard-alnum');

  await page.goto(`${webApp.url}/reset/not-a-real-token`);
  await tapField(page, page.getByLabel(/変更権限コード/), 'code');
  await shoot(page, 'touch-keyboard-code');

  await page.goto(webApp.url);
  await page.getByRole('button', { name: 'ログインへ' }).tap();
  await tapField(page, page.locator('#login-password'), 'password');
  await shoot(page, 'touch-keyboard-password');
  await keyboardOf(page).getByRole('button', { name: '記号', exact: true }).tap();
  await expect(keyboardOf(page)).toHaveAttribute('data-page', 'symbols');
  await shoot(page, 'touch-keyboard-symbols');

  await page.goto(webApp.url);
  await setTextSize(page, '特大');
  await shoot(page, 'touch-xlarge-top');
  await page.getByRole('button', { name: 'ログインへ' }).tap();
  await page.getByRole('button', { name: 'ID 忘れ・パスワード忘れ' }).tap();
  await tapField(page, page.getByLabel('JSA-ID', { exact: true }), 'digits');
  await shoot(page, 'touch-xlarge-forgot');
  await page.getByRole('group', { name: 'コントラスト' }).getByRole('button', { name: '白黒反転' }).tap();
  await expect(page.locator('html')).toHaveAttribute('data-contrast', 'inverted');
  await tapField(page, page.getByLabel('JSA-ID', { exact: true }), 'digits');
  await shoot(page, 'touch-inverted-forgot');
  await setTextSize(page, '標準');
  await keyboardOf(page).getByRole('button', { name: '閉じる', exact: true }).tap();
  await page.getByRole('button', { name: '最初に戻る' }).tap();
  await expect(page.getByText('ログインされていません')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-contrast', 'inverted');
  await shoot(page, 'touch-inverted-top');
});
