// The new screens of issue 4 under axe (WCAG 2.1 A/AA, the JIS X 8341-3 AA level), with
// errors on screen where a screen has them, and in both languages where wording differs.
import { expect, test } from './fixtures';
import { expectNoAxeViolations } from './kiosk-steps';
import { logIn, shot } from './mypage-support';
import { screenshotPath } from './screenshot-path';

test('マイページ screens have no axe violations', async ({ page, webApp }) => {
  await logIn(page, webApp.url);
  await expectNoAxeViolations(page, 'トップ (logged in)');
  await page.locator('header').getByRole('button', { name: 'マイページ' }).click();
  await expect(page.getByRole('heading', { name: 'ご登録内容', exact: true })).toBeVisible();
  await expectNoAxeViolations(page, 'マイページ');
  await page.getByRole('button', { name: '担当者名を変更' }).click();
  await page.getByRole('button', { name: '変更する' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoAxeViolations(page, '担当者名の変更 with errors');
  await page.getByRole('button', { name: 'マイページに戻る' }).click();
  await page.getByRole('button', { name: 'メールアドレスを変更' }).click();
  await page.getByRole('button', { name: '確認コードを送る' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoAxeViolations(page, 'メールアドレスの変更 with errors');
  await page.getByRole('button', { name: 'マイページに戻る' }).click();
  await page.getByRole('button', { name: 'パスワードを変更' }).click();
  await expect(page.getByRole('region', { name: 'パスワードポリシー' })).toBeVisible();
  await expectNoAxeViolations(page, 'パスワード変更');
});

test('the inquiry forms and their links have no axe violations, in Japanese and English', async ({ page, webApp }) => {
  await page.goto(webApp.url);
  await page.getByRole('button', { name: 'ログインへ' }).click();
  await page.getByRole('button', { name: 'ID 忘れ・パスワード忘れ' }).click();
  const links = page.getByRole('region', { name: 'JSA-ID が分からない方・ご担当者が替わった方' });
  await expect(links).toBeVisible();
  await links.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('mypage-forgot-links.png') });
  await page.getByRole('button', { name: 'ご担当者が退職された方' }).click();
  await page.getByRole('button', { name: '送信する' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoAxeViolations(page, '前任者退職 with errors');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Our contact person has left (change of contact)' })).toBeVisible();
  // The error summary is re-worded in English without sending again.
  await expect(page.getByRole('alert')).toContainText('Postal code');
  await shot(page, 'form-contact-change-en');
  await expectNoAxeViolations(page, 'contact change (en) with errors');
});
