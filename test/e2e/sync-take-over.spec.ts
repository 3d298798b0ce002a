// 同期の状態 when central refuses this counter as another installation of it (central 0017),
// in web mode against a real central PostgreSQL: the PC was renamed or its data folder moved, so
// central still holds the old installation's name for the identity (set here by hand, as the
// old name's pushes left it). The refusal names the button, not a command; a supervisor reads it
// without the button; an admin takes the identity over through a confirmation dialog, and the
// counter syncs again. axe-clean in Japanese and English.
import { startCentral, type Central } from '../integration/support/sync-central';
import { expect, test } from './fixtures';
import { expectNoAxeViolationsJaEn } from './kiosk-steps';
import { ADMIN_PASSWORD, createStaffInUi, expectScreenComplete, loginAsAdmin, openScreen, shoot, staffLogin, switchTo } from './staff-support';

const OLD_INSTALLATION = 'ab'.repeat(16);

let central: Central;
let kioskUrl: string;

test.beforeAll(async () => {
  central = await startCentral();
  kioskUrl = await central.kioskUrl('kiosk_e2e_take');
});

test.afterAll(async () => {
  await central?.stop();
});

test.use({
  viewport: { width: 1280, height: 900 },
  // eslint-disable-next-line no-empty-pattern
  env: async ({}, use) => use({ WEBDESK_CENTRAL_URL: kioskUrl }),
});

test('an admin takes over sync on this PC from 同期の状態 when central refuses it as another installation', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  await openScreen(page, '同期の状態');
  await expect(page.getByTestId('sync-state')).toHaveText('オンライン');

  // The old name's installation holds the identity; the next entry this counter writes is refused.
  await central.query(`UPDATE kiosks SET instance = $1 WHERE kiosk_id = 'e2e-kiosk'`, [OLD_INSTALLATION]);
  const otp = await createStaffInUi(page, 'sekinin-take', '責任者');

  await switchTo(page, webApp.url, 'sekinin-take', otp);
  await openScreen(page, '同期の状態');
  const figures = page.getByTestId('sync-figures');
  await expect(figures).toContainText('管理者が「同期の状態」の「この端末で同期を引き継ぐ」を押してください');
  await expect(figures).not.toContainText('npm');
  await expect(page.getByRole('button', { name: 'この端末で同期を引き継ぐ' })).toHaveCount(0);

  await page.getByRole('button', { name: 'ログアウト' }).click();
  await staffLogin(page, webApp.url, 'admin', ADMIN_PASSWORD);
  await openScreen(page, '同期の状態');
  const takeOver = page.getByRole('button', { name: 'この端末で同期を引き継ぐ' });
  await expect(takeOver).toBeVisible();
  await shoot(page, 'sync-take-over');
  await expectNoAxeViolationsJaEn(page, 'sync refused as another installation', async () => {
    await expect(page.getByRole('button', { name: 'Take over sync on this PC' })).toBeVisible();
  });

  await takeOver.click();
  const dialog = page.getByRole('dialog', { name: 'この端末で同期を引き継ぎますか？' });
  await expect(dialog).toContainText('もう一方の PC は、これ以降送信できなくなり');
  await expect(dialog).toContainText('この PC を使い続ける場合にだけ行ってください');
  await dialog.getByRole('button', { name: '引き継ぐ' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'この PC が窓口 e2e-kiosk として同期するようになりました。' })).toBeVisible();
  await expect(page.getByTestId('sync-state')).toHaveText('オンライン');
  await expect(page.getByRole('button', { name: 'この端末で同期を引き継ぐ' })).toHaveCount(0);
  const [held] = await central.query<{ instance: string }>(`SELECT instance FROM kiosks WHERE kiosk_id = 'e2e-kiosk'`);
  expect(held!.instance).not.toBe(OLD_INSTALLATION);

  await openScreen(page, '監査ログ');
  await expectScreenComplete(page);
  await expect(page.getByRole('cell', { name: '同期：この PC を窓口の同期元に指定（別の PC からの送信を停止）' }).first()).toBeVisible();
});
