// Two admins, each in their own browser, on the same 設定 screen: a save made on a screen loaded
// before the other admin saved is refused in words, the screen shows the other admin's values,
// and nothing of theirs is put back.
import { expect, test } from './fixtures';
import { changePassword, createStaffInUi, loginAsAdmin, openScreen, STAFF_PASSWORD, staffLogin } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 } });

test('a 設定 save from a screen older than another admin’s save is refused in words and the screen shows their change', async ({ page, browser, webApp }) => {
  await loginAsAdmin(page, webApp);
  const otp = await createStaffInUi(page, 'kanri.2', '管理者');
  const otherContext = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  const other = await otherContext.newPage();
  await staffLogin(other, webApp.url, 'kanri.2', otp);
  await changePassword(other, otp, STAFF_PASSWORD);

  // Both screens open on the same settings.
  await openScreen(page, '設定');
  await openScreen(other, '設定');
  const idle = '#set-idleTimeoutSeconds';
  const before = await page.locator(idle).inputValue();

  await other.locator(idle).fill('77');
  await other.getByRole('button', { name: '保存する' }).click();
  await expect(other.getByRole('status').filter({ hasText: '設定を保存しました' })).toBeVisible();

  // The first screen still shows the old idle time; its save would have put it back.
  await expect(page.locator(idle)).toHaveValue(before);
  await page.locator('#set-staffCodeLifetimeHours').fill('8');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'ほかの管理者が設定を変更したため、保存しませんでした' }).first()).toBeVisible();
  await expect(page.locator(idle)).toHaveValue('77');
  await expect(page.getByRole('status').filter({ hasText: '設定を保存しました' })).toHaveCount(0);

  // Made again on the screen as it is now, the change is kept beside the other admin's.
  await page.locator('#set-staffCodeLifetimeHours').fill('8');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByRole('status').filter({ hasText: '設定を保存しました' })).toBeVisible();
  await other.reload();
  await openScreen(other, '設定');
  await expect(other.locator(idle)).toHaveValue('77');
  await expect(other.locator('#set-staffCodeLifetimeHours')).toHaveValue('8');
  await otherContext.close();
});
