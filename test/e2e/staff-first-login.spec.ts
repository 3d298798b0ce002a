// First start: the printed admin one-time password, the forced change, and creating an agent.
import { launchWebApp } from '../kit/webdesk-kit';
import { expect, test } from './fixtures';
import { ADMIN_PASSWORD, changePassword, shoot, staffLogin } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 } });

test('the admin logs in with the printed one-time password, must change it, then adds an agent', async ({ page }) => {
  const app = await launchWebApp();
  try {
    // The notice follows the address line, maybe in a later chunk of output: wait for it.
    let printed: string | undefined;
    await expect
      .poll(() => (printed = /one-time password: (\S+)/.exec(app.output())?.[1]), { message: 'the first start prints the admin one-time password' })
      .toBeTruthy();

    await page.goto(`${app.url}/staff`);
    await expect(page.getByRole('heading', { level: 1, name: 'スタッフ ログイン' })).toBeVisible();
    await shoot(page, 'login');
    await page.locator('#staff-username').fill('admin');
    await page.locator('#staff-password').fill('wrong-password-123');
    await page.getByRole('button', { name: 'ログイン' }).click();
    await expect(page.getByRole('alert')).toContainText('正しくありません');

    await staffLogin(page, app.url, 'admin', printed!);
    await expect(page.getByRole('heading', { level: 1, name: 'パスワードの変更' })).toBeVisible();
    // A weak password is refused with the rule named beside the field.
    await page.locator('#staff-current').fill(printed!);
    await page.locator('#staff-next').fill('password');
    await page.locator('#staff-confirm').fill('password');
    await page.getByRole('button', { name: '変更する' }).click();
    await expect(page.getByRole('alert')).toContainText('文字数が足りません');
    await shoot(page, 'change-password');
    await changePassword(page, printed!, ADMIN_PASSWORD);
    await expect(page.getByText('管理者（管理者）でログイン中')).toBeVisible();

    await page.getByRole('button', { name: 'スタッフ管理' }).click();
    await page.locator('#user-username').fill('yamada');
    await page.locator('#user-display').fill('山田 太郎');
    await page.locator('#user-role').selectOption({ label: '窓口担当' });
    await page.getByRole('button', { name: '追加する' }).click();
    const otp = (await page.getByTestId('one-time-password').textContent())!.trim();
    await expect(page.getByRole('row', { name: /yamada/ })).toContainText('窓口担当');
    await shoot(page, 'users');

    await page.getByRole('button', { name: 'ログアウト' }).click();
    await staffLogin(page, app.url, 'yamada', otp);
    await changePassword(page, otp, 'madoguchi-no-asa-2026');
    await expect(page.getByRole('button', { name: 'スタッフ管理' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: '監査ログ' })).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1, name: 'ダッシュボード' })).toBeVisible();

    // The printed password is not valid any more.
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await staffLogin(page, app.url, 'admin', printed!);
    await expect(page.getByRole('alert')).toContainText('正しくありません');
  } finally {
    await app.close();
  }
});
