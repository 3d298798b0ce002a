// 監査ログ in words (issue 16 §2-3): every actor as 氏名（ユーザー名）, found by part of the name,
// a disabled user still named; actions by their label, the detail as labelled fields; the
// screenshots of the screen in Japanese and English.
import { expect, test } from './fixtures';
import { changePassword, loginAsAdmin, shoot, STAFF_PASSWORD, staffLogin } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 } });

test('a supervisor finds what a colleague did by typing part of their name', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  // Two people, one of them named 佐藤: added on スタッフ管理 with their real names.
  const add = async (username: string, displayName: string, role: string) => {
    await page.getByRole('button', { name: 'スタッフ管理' }).click();
    await page.locator('#user-username').fill(username);
    await page.locator('#user-display').fill(displayName);
    await page.locator('#user-role').selectOption({ label: role });
    await page.getByRole('button', { name: '追加する' }).click();
    await expect(page.getByRole('row', { name: new RegExp(username) })).toBeVisible();
    return (await page.getByTestId('one-time-password').textContent())!.trim();
  };
  const satoOtp = await add('sato', '佐藤 花子', '窓口担当');
  const bossOtp = await add('yamamoto', '山本 健', '責任者');

  // 佐藤 works a shift: log in, set a password, log out.
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await staffLogin(page, webApp.url, 'sato', satoOtp);
  await changePassword(page, satoOtp, STAFF_PASSWORD);
  await page.getByRole('button', { name: 'ログアウト' }).click();

  // The admin disables 佐藤's account afterwards: the log still names them.
  await loginAsAdmin(page, webApp, 'mado-no-soto-wa-yuki-2026');
  await page.getByRole('button', { name: 'スタッフ管理' }).click();
  await page.getByRole('row', { name: /sato/ }).getByRole('button', { name: '無効にする' }).click();
  await expect(page.getByRole('row', { name: /sato/ })).toContainText('無効');
  await page.getByRole('button', { name: 'ログアウト' }).click();

  await staffLogin(page, webApp.url, 'yamamoto', bossOtp);
  await changePassword(page, bossOtp, STAFF_PASSWORD);
  await page.getByRole('navigation', { name: 'スタッフツールのメニュー' }).getByRole('button', { name: '監査ログ' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '監査ログ' })).toBeVisible();
  const entries = page.getByTestId('audit-entries');
  // No internal code or JSON anywhere in the table.
  await expect(entries).not.toContainText('staff:');
  await expect(entries).not.toContainText('{');
  await expect(entries).not.toContainText('staff.login');

  // By part of the name, as typed at the desk (width and spaces ignored).
  await page.getByLabel('実行者の氏名・ユーザー名').fill('佐藤');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(entries.getByRole('row')).toHaveCount(4); // header, ログイン, パスワード変更, ログアウト
  for (const row of await entries.getByRole('row').all().then((rows) => rows.slice(1))) await expect(row).toContainText('佐藤 花子（sato）（無効）');
  await expect(entries.getByRole('row', { name: /スタッフのログイン/ })).toContainText(/パスワード変更が必要：\s*はい/);
  await shoot(page, 'audit-by-name');

  // By user, from the list of staff (disabled ones too); the admin's own entries.
  await page.getByLabel('実行者の氏名・ユーザー名').fill('');
  await page.locator('#audit-actor').selectOption({ label: '佐藤 花子（sato）（無効）' });
  await page.locator('#audit-action').selectOption({ label: 'スタッフのパスワード変更' });
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(entries.getByRole('row')).toHaveCount(2);
  await page.locator('#audit-actor').selectOption({ label: '管理者（admin）' });
  await page.locator('#audit-action').selectOption({ label: 'スタッフの追加' });
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(entries.getByRole('row')).toHaveCount(3);
  // The subject of a staff change is a person too.
  await expect(entries.getByRole('row', { name: /山本 健（yamamoto）/ })).toContainText(/役割：\s*責任者/);

  // A name nobody has: the empty state says what to do.
  await page.locator('#audit-actor').selectOption({ label: 'すべての実行者' });
  await page.locator('#audit-action').selectOption({ label: 'すべての操作' });
  await page.getByLabel('実行者の氏名・ユーザー名').fill('田中');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(page.getByRole('status').filter({ hasText: '条件に合う記録はありません' })).toContainText('期間を広げて');

  await page.getByLabel('実行者の氏名・ユーザー名').fill('');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(entries).toBeVisible();
  await shoot(page, 'audit');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(entries).toContainText('Staff logged in');
  await expect(entries).toContainText('佐藤 花子 (sato) (disabled)');
  await shoot(page, 'audit-en');
});
