// Every staff screen in Japanese and English, as README shows them (docs/screenshots/staff/
// <screen>.<ja|en>.png): the admin's full set on seeded data, the agent's view of the two
// screens where an action is a supervisor's, and the folded menu below 1024 px.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ADMIN_PASSWORD, changePassword, createStaffInUi, loginAsAdmin, seedStaffScreens, staffLogin, switchTo, openScreen, shootBoth } from './staff-support';
import { screenshotPath } from './screenshot-path';

test.use({ viewport: { width: 1280, height: 900 } });

async function openAccount(page: Page): Promise<void> {
  await openScreen(page, 'アカウント検索', 'アカウント検索');
  await page.locator('#lookup-query').fill('田中');
  await page.getByRole('button', { name: '検索', exact: true }).click();
  await page.getByRole('button', { name: '•••••••8901' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'ご登録の内容' })).toBeVisible();
}

// Three walks, each a fresh app, so none outlasts the test time on a loaded machine.
test('login, the forced change, 初期設定 and the counter’s lookup, ja and en', async ({ page, webApp }) => {
  await seedStaffScreens(webApp);
  await page.goto(`${webApp.url}/staff`);
  await expect(page.getByRole('heading', { level: 1, name: 'スタッフ ログイン' })).toBeVisible();
  await shootBoth(page, 'login', 'Staff login');
  const otp = /one-time password (\S+)/.exec(webApp.cli('staff-reset-password', 'admin'))![1]!;
  await staffLogin(page, webApp.url, 'admin', otp);
  await expect(page.getByRole('heading', { level: 1, name: 'パスワードの変更' })).toBeVisible();
  await shootBoth(page, 'change-password', 'Change your password');
  await changePassword(page, otp, ADMIN_PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: '初期設定' })).toBeVisible();
  await shootBoth(page, 'setup', 'First-run setup');

  await openScreen(page, 'ダッシュボード', 'ダッシュボード');
  await shootBoth(page, 'dashboard', 'Dashboard');
  await openScreen(page, 'アカウント検索', 'アカウント検索');
  await shootBoth(page, 'lookup-start', 'Account lookup');
  await page.locator('#lookup-query').fill('存在しない名前');
  await page.getByRole('button', { name: '検索', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '該当するアカウントはありません' })).toBeVisible();
  await shootBoth(page, 'lookup-empty', 'Account lookup');
  await page.locator('#lookup-query').fill('田中');
  await page.getByRole('button', { name: '検索', exact: true }).click();
  await expect(page.getByRole('row', { name: /•••••••8901/ })).toBeVisible();
  await shootBoth(page, 'lookup', 'Account lookup');
  await page.getByRole('button', { name: '•••••••8901' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'ご登録の内容' })).toBeVisible();
  await shootBoth(page, 'account', 'Account details');
});

test('the other screens of an admin, ja and en', async ({ page, webApp }) => {
  const reference = await seedStaffScreens(webApp);
  await loginAsAdmin(page, webApp);
  await openScreen(page, '本人確認の依頼', '本人確認の依頼');
  await expect(page.getByRole('row', { name: new RegExp(reference) })).toBeVisible();
  await shootBoth(page, 'inquiries', 'Identity checks');
  await page.getByRole('button', { name: `確認する ${reference}` }).click();
  await expect(page.getByText(/ご住所または会社名が異なるため/).first()).toBeVisible();
  await shootBoth(page, 'identity-check', 'Identity checks');

  await openScreen(page, 'メール送信状況', 'メール送信状況');
  await expect(page.getByRole('row', { name: /ログイン停止のお知らせ/ })).toBeVisible();
  await shootBoth(page, 'outbox', 'Mail outbox');
  await openScreen(page, '監査ログ', '監査ログ');
  await expect(page.getByTestId('audit-entries')).toBeVisible();
  await shootBoth(page, 'audit', 'Audit log');
  await openScreen(page, '同期の状態', '同期の状態');
  await expect(page.getByTestId('sync-state')).toBeVisible();
  await shootBoth(page, 'sync', 'Sync status');
  await openScreen(page, '診断情報', '診断情報');
  await expect(page.getByTestId('diag-figures')).toBeVisible();
  await shootBoth(page, 'diagnostics', 'Diagnostics');
  await openScreen(page, 'スタッフ管理', 'スタッフ管理');
  await shootBoth(page, 'users', 'Staff users');
  await openScreen(page, '設定', '設定');
  await expect(page.locator('#set-staffCodeLifetimeHours')).toBeVisible();
  await shootBoth(page, 'settings', 'Settings');
});

test('an agent where the next step is a supervisor’s, and the folded menu', async ({ page, webApp }) => {
  const reference = await seedStaffScreens(webApp);
  await loginAsAdmin(page, webApp);
  const agentOtp = await createStaffInUi(page, 'kato', '窓口担当');
  await switchTo(page, webApp.url, 'kato', agentOtp);
  await openAccount(page);
  await expect(page.getByTestId('unlock-needs-role')).toBeVisible();
  await shootBoth(page, 'account-agent', 'Account details');
  await openScreen(page, '本人確認の依頼', '本人確認の依頼');
  await page.getByRole('button', { name: `確認する ${reference}` }).click();
  await expect(page.getByTestId('override-needs-role')).toBeVisible();
  await shootBoth(page, 'identity-check-agent', 'Identity checks');

  // Below 1024 px: the menu button, opened.
  await page.setViewportSize({ width: 900, height: 900 });
  await page.getByRole('button', { name: 'メニュー' }).click();
  await expect(page.getByRole('navigation', { name: 'スタッフツールのメニュー' }).getByRole('button', { name: 'アカウント検索' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('staff', 'menu-900px.ja.png'), fullPage: false, animations: 'disabled' });
});
