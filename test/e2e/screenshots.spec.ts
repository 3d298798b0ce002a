// Walks the seed's steps 1–6 once and saves a picture of each screen (docs/screenshots/ with `npm run screenshots`)
// (the README shows them). A fixed viewport keeps the pictures comparable between runs.
import type { Page } from '@playwright/test';
import { codeFrom, expect, test } from './fixtures';
import { screenshotPath } from './screenshot-path';

const shoot = (page: Page, name: string) => page.screenshot({ path: screenshotPath(`${name}.png`), fullPage: true, animations: 'disabled' });

test.use({ viewport: { width: 1280, height: 900 } });

test('captures every step of the reset for the README', async ({ page, webApp }) => {
  await page.goto(webApp.url);
  await expect(page.getByText('ログインされていません')).toBeVisible();
  await shoot(page, '01-top');

  await page.getByRole('button', { name: 'ログインへ' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ログイン' })).toBeVisible();
  await shoot(page, '02-login');

  await page.getByRole('button', { name: 'ID 忘れ・パスワード忘れ' }).click();
  await page.getByLabel('JSA-ID', { exact: true }).fill('1234567890');
  await page.getByLabel(/メールアドレス/).fill('tanaka@example.co.jp');
  await page.getByRole('button', { name: 'サポートメール依頼' }).click();
  await expect(page.getByRole('alert')).toContainText('10');
  await shoot(page, '03-forgot-error');

  await page.getByLabel('JSA-ID', { exact: true }).fill('12345678901');
  await page.getByRole('button', { name: 'サポートメール依頼' }).click();
  await expect(page.getByRole('dialog', { name: '受付完了' })).toBeVisible();
  await shoot(page, '04-received-dialog');

  await page.getByRole('button', { name: 'OK' }).click();
  const code = codeFrom(await webApp.waitForMail('tanaka@example.co.jp'));
  await page.getByLabel(/JSA-ID またはメールアドレス/).fill('12345678901');
  await page.getByLabel(/変更権限コード/).fill(code);
  await shoot(page, '05-code');

  await page.getByRole('button', { name: '確認' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'パスワード登録' })).toBeVisible();
  await page.locator('#pw-new').fill('tanaka2026');
  await expect(page.getByRole('region', { name: 'パスワードポリシー' })).toContainText('いま 10 文字');
  await shoot(page, '06-password-policy');

  await page.locator('#pw-new').fill('hoshi-ga-kirei-na-yoru');
  await page.locator('#pw-confirm').fill('hoshi-ga-kirei-na-yoru');
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'パスワードの登録が完了しました' })).toBeVisible();
  await shoot(page, '07-done');

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: /start/i }).first().click();
  await shoot(page, '08-top-english');
});
