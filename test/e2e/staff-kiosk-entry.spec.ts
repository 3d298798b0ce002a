// A kiosk (WEBDESK_MODE=kiosk) in web mode: 「係員用」 opens the staff login; left there, the
// login returns to トップ after the customer idle time; staff get 「キオスクに戻る」 but not the
// Electron-only 「全画面表示を終了する」 (app.info says transport http). Hash routes switch live.
import { expect, test } from './fixtures';
import { loginAsAdmin } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 }, settings: { idleTimeoutSeconds: 60 }, env: { WEBDESK_MODE: 'kiosk' } });

test('the staff entry returns to トップ when left idle, and web mode offers no full-screen exit', async ({ page, webApp }) => {
  await page.clock.install();
  await page.goto(webApp.url);
  // Electron's file:// page moves by hash only; App follows hashchange without a reload.
  await page.evaluate(() => (window.location.hash = '#/staff'));
  await expect(page.getByRole('heading', { level: 1, name: 'スタッフ ログイン' })).toBeVisible();
  await page.evaluate(() => (window.location.hash = '#/'));
  await expect(page.getByRole('heading', { level: 1, name: 'Webdeskトップ' })).toBeVisible();

  await page.getByRole('button', { name: '係員用' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'スタッフ ログイン' })).toBeVisible();
  await page.clock.runFor(31_000);
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.clock.runFor(31_000);
  await expect(page.getByRole('heading', { level: 1, name: 'Webdeskトップ' })).toBeVisible();

  await loginAsAdmin(page, webApp);
  await expect(page.getByRole('button', { name: 'キオスクに戻る' })).toBeVisible();
  await expect(page.getByRole('button', { name: '全画面表示を終了する' })).toHaveCount(0);
  // At the contract, web mode answers why not (typed, not an error).
  const answer = await page.evaluate(async () => {
    const response = await fetch('/api/call/app.exitKiosk', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1' }, body: '{}' });
    return (await response.json()) as unknown;
  });
  expect(answer).toEqual({ ok: true, value: { done: false, reason: 'web-mode' } });
});
