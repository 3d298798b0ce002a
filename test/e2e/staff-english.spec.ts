// The staff screens in English use English punctuation: the probe found 「／」 between the
// dashboard's queue counts and 「：」 after 診断情報's last purge date. Names and the seed's
// own labels may be Japanese; the punctuation our screens put around them may not.
import { expect, test } from './fixtures';
import { expectScreenComplete, loginAsAdmin, openScreen } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 } });

const FULL_WIDTH_PUNCTUATION = /[：（）／・、。「」]/;

test('the dashboard’s queue counts and 診断情報’s last purge hold no Japanese punctuation in English', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  await openScreen(page, '診断情報');
  await page.getByRole('button', { name: '今すぐ削除' }).click();
  await page.getByRole('dialog', { name: '保存期間を過ぎたデータを今すぐ削除しますか？' }).getByRole('button', { name: '削除する' }).click();
  await expect(page.getByTestId('last-purge')).toContainText('再設定依頼 0 件');

  await page.getByRole('button', { name: 'English' }).click();
  const lastPurge = page.getByTestId('last-purge');
  await expect(lastPurge).toContainText(': 0 reset requests, 0 attempt records');
  expect(await lastPurge.textContent()).not.toMatch(FULL_WIDTH_PUNCTUATION);

  await page.getByRole('navigation', { name: 'Staff tools menu' }).getByRole('button', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  // The whole screen is read below: every part must have its first answer, not only the heading.
  await expectScreenComplete(page);
  const queue = page.locator('.staff-card__sub').filter({ hasText: 'JSA-ID unknown' });
  await expect(queue).toHaveText('JSA-ID unknown 0 / Contact change 0');
  expect(await page.getByRole('main').textContent()).not.toMatch(FULL_WIDTH_PUNCTUATION);
});

test('スタッフ管理’s login list names the user as Name (user) in English', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('navigation', { name: 'Staff tools menu' }).getByRole('button', { name: 'Staff users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Staff users' })).toBeVisible();
  await page.getByRole('button', { name: /^Logins of .+ \(admin\)$/ }).click();
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { name: /\(admin\)/ })).toBeVisible();
  // The heading is drawn before the list of logins; read the panel once the list is there.
  await expectScreenComplete(page);
  expect(await main.textContent()).not.toMatch(FULL_WIDTH_PUNCTUATION);
});

