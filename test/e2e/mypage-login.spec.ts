import { expect, test } from './fixtures';
import { DEMO, logIn, shot } from './mypage-support';

test.describe('login and logout', () => {
  test('logs in with the demo account: the header names the contact and offers ログアウト', async ({ page, webApp }) => {
    await page.goto(webApp.url);
    await expect(page.getByText('ログインされていません')).toBeVisible();
    await logIn(page, webApp.url);
    const header = page.locator('header');
    await expect(header.getByText(`${DEMO.name} 様`)).toBeVisible();
    await expect(header.getByRole('button', { name: 'ログアウト' })).toBeVisible();
    await expect(header.getByRole('button', { name: 'マイページ' })).toBeVisible();
    await shot(page, 'header-logged-in');
    await header.getByRole('button', { name: 'ログアウト' }).click();
    await expect(page.getByText('ログインされていません')).toBeVisible();
    await expect(header.getByRole('button', { name: 'ログアウト' })).toHaveCount(0);
    // The server forgot the login too: a fresh page load still shows nobody.
    await page.reload();
    await expect(page.getByText('ログインされていません')).toBeVisible();
  });

  test.describe('lock', () => {
    test.use({ smtp: true, settings: { limits: { maxLoginFailures: 3 } } });

    test('locks after repeated wrong passwords and mails a notice pointing to ID 忘れ・パスワード忘れ', async ({ page, webApp }) => {
      await page.goto(webApp.url);
      await page.getByRole('button', { name: 'ログインへ' }).click();
      const summary = page.getByRole('alert');
      for (let i = 0; i < 2; i += 1) {
        await page.locator('#login-jsa-id').fill(DEMO.jsaId);
        await page.locator('#login-password').fill(`wrong-password-${i}`);
        await page.getByRole('button', { name: 'ログイン', exact: true }).click();
        await expect(summary).toContainText('JSA-ID またはパスワードが正しくありません。');
      }
      await page.locator('#login-password').fill('wrong-password-2');
      await page.getByRole('button', { name: 'ログイン', exact: true }).click();
      await expect(summary).toContainText('一時的にログインできません');
      await expect(summary).toContainText('「ID 忘れ・パスワード忘れ」');
      await shot(page, 'login-locked');

      const mail = await webApp.waitForMail(DEMO.email, 'ログインを一時停止');
      expect(mail.text).toContain('「ID 忘れ・パスワード忘れ」');
      // Even the right password is refused now.
      await page.locator('#login-password').fill(DEMO.password);
      await page.getByRole('button', { name: 'ログイン', exact: true }).click();
      await expect(summary).toContainText('一時的にログインできません');
    });

    test('ログイン pressed before the password is typed asks for it beside the field and spends no try', async ({ page, webApp }) => {
      await page.goto(webApp.url);
      await page.getByRole('button', { name: 'ログインへ' }).click();
      await page.locator('#login-jsa-id').fill(DEMO.jsaId);
      const password = page.locator('#login-password');
      const summary = page.getByRole('alert');
      // As many presses as the lock allows: none of them may count as a wrong password.
      for (let i = 0; i < 3; i += 1) {
        await page.locator('#login-jsa-id').press('Enter');
        await expect(summary).toContainText('パスワードを入力してください。');
        await expect(summary).not.toContainText('JSA-ID またはパスワードが正しくありません');
        await expect(password).toHaveAttribute('aria-invalid', 'true');
        await expect(password).toHaveAccessibleDescription(/パスワードを入力してください。/);
        await password.fill('x');
        await password.fill('');
      }
      await password.fill(DEMO.password);
      await page.getByRole('button', { name: 'ログイン', exact: true }).click();
      await expect(page.getByText(`${DEMO.name} 様がログインしています`)).toBeVisible();
    });
  });

  test.describe('idle', () => {
    test.use({ settings: { idleTimeoutSeconds: 15, customerSessionMinutes: 1 } });

    test('ends the login when the kiosk is left alone', async ({ page, webApp }) => {
      await logIn(page, webApp.url);
      await page.locator('header').getByRole('button', { name: 'マイページ' }).click();
      await expect(page.getByRole('heading', { name: 'マイページ' })).toBeVisible();
      await expect(page.getByRole('dialog', { name: 'まもなく最初の画面に戻ります' })).toBeVisible();
      await expect(page.getByText('ログインされていません')).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Webdeskトップ' })).toBeVisible();
      await page.reload();
      await expect(page.getByText('ログインされていません')).toBeVisible();
    });
  });
});
