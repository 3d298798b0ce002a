// Issue 13 on the staff screens: an admin sees where a staff user is logged in and ends that
// login from スタッフ管理 (ASVS 7.4.5); the demo data notice on 初期設定 and the dashboard, and
// its removal (ASVS 6.3.2). axe in Japanese and English on each new state.
import { expect, test } from './fixtures';
import { expectNoAxeViolations, expectNoAxeViolationsJaEn, withStore } from './kiosk-steps';
import { ADMIN_PASSWORD, callAs, changePassword, createStaffInUi, expectScreenComplete, loginAsAdmin, openScreen, STAFF_PASSWORD, staffLogin } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 } });

test('スタッフ管理 shows where a user is logged in, in Japanese and English, axe-clean', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  await page.getByRole('button', { name: 'スタッフ管理' }).click();
  await page.getByRole('button', { name: '管理者（admin） のログイン状況' }).click();
  const panel = page.getByTestId('user-sessions');
  await expect(panel.getByRole('heading', { level: 2, name: '管理者（admin） のログイン状況' })).toBeFocused();
  // Its own login, marked as this screen.
  await expect(panel.getByRole('row')).toHaveCount(2);
  await expect(panel.getByRole('row').nth(1)).toContainText('（この画面）');
  await expectNoAxeViolationsJaEn(page, 'staff user logins');

  // The dialog makes the page behind it inert (the language switch too): each language in turn.
  await page.getByRole('button', { name: 'English' }).click();
  await panel.getByRole('button', { name: 'End all logins' }).click();
  await expect(page.getByRole('dialog', { name: 'End the login?' })).toContainText('Every login of 管理者 (admin) will end.');
  await expectNoAxeViolations(page, 'end login dialog (en)');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: '日本語' }).click();
  await panel.getByRole('button', { name: 'このログインを終了' }).click();
  await expect(page.getByRole('dialog', { name: 'ログインを終了しますか' })).toContainText('管理者（admin） のこのログインを終了します。');
  await expectNoAxeViolations(page, 'end login dialog (ja)');
  await page.getByRole('dialog').getByRole('button', { name: 'やめる' }).click();
  await panel.getByRole('button', { name: '閉じる' }).click();
  await expect(page.getByTestId('user-sessions')).toHaveCount(0);
});

test('an admin ends a staff user’s login from スタッフ管理; the user is asked to log in again', async ({ page, browser, webApp }) => {
  await loginAsAdmin(page, webApp);
  const otp = await createStaffInUi(page, 'hanako.k', '窓口担当');

  const agentContext = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  const agent = await agentContext.newPage();
  await staffLogin(agent, webApp.url, 'hanako.k', otp);
  await changePassword(agent, otp, STAFF_PASSWORD);

  await page.getByRole('button', { name: 'hanako.k さん（hanako.k） のログイン状況' }).click();
  const panel = page.getByTestId('user-sessions');
  await expect(panel.getByRole('row')).toHaveCount(2);
  await panel.getByRole('button', { name: 'このログインを終了' }).click();
  const dialog = page.getByRole('dialog', { name: 'ログインを終了しますか' });
  await expect(dialog).toContainText('hanako.k さん（hanako.k） のこのログインを終了します。');
  await dialog.getByRole('button', { name: 'このログインを終了' }).click();
  await expect(panel.getByRole('status')).toHaveText('1 件のログインを終了しました。');
  await expect(panel.getByText('いまログインしている画面はありません。')).toBeVisible();

  // The agent's next step (本人確認の依頼 loads its list) finds the login gone and shows the staff login.
  await agent.getByRole('button', { name: '本人確認の依頼' }).click();
  await expect(agent.getByRole('heading', { level: 1, name: 'スタッフ ログイン' })).toBeVisible();
  await agentContext.close();

  // The audit log has the entry (its wording comes from issue 16's label table).
  await page.getByRole('button', { name: '監査ログ' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '監査ログ' })).toBeVisible();
  await expect(page.getByRole('table').first()).toContainText('スタッフのログインの終了（管理者）');
});

test('demo data is announced on 初期設定 and the dashboard until the admin removes it', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  // 初期設定 opens by itself on a fresh counter.
  await expect(page.getByRole('heading', { level: 1, name: '初期設定' })).toBeVisible();
  const notice = page.getByTestId('demo-data-notice');
  await expect(notice.getByRole('heading', { name: 'デモデータが残っています' })).toBeVisible();
  await expect(notice).toContainText('お試し用のアカウントが 3 件あります。');
  await expectNoAxeViolationsJaEn(page, 'setup with demo data');

  await page.getByRole('button', { name: 'ダッシュボード' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ダッシュボード' })).toBeVisible();
  await expect(page.getByTestId('demo-data-notice')).toContainText('管理者が「初期設定」から削除できます。');
  await expectNoAxeViolationsJaEn(page, 'dashboard with demo data');

  await page.getByRole('button', { name: '初期設定' }).click();
  await page.getByTestId('demo-data-notice').getByRole('button', { name: 'デモデータを削除' }).click();
  const dialog = page.getByRole('dialog', { name: 'デモデータを削除しますか' });
  await expect(dialog).toContainText('お試し用のアカウント 3 件');
  await dialog.getByRole('button', { name: 'デモデータを削除' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'デモデータ 3 件を削除しました。' })).toBeVisible();
  await expect(page.getByTestId('demo-data-notice')).toHaveCount(0);

  await page.getByRole('button', { name: 'ダッシュボード' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ダッシュボード' })).toBeVisible();
  await expect(page.getByText('依頼', { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId('demo-data-notice')).toHaveCount(0);
  const health = (await (await page.request.get(`${webApp.url}/health`)).json()) as { demoAccounts: number };
  expect(health.demoAccounts).toBe(0);
});

test('an idle time shortened while a clerk is logged in reaches their warning', async ({ page, webApp }) => {
  await page.clock.install();
  await loginAsAdmin(page, webApp);
  // Another admin (or `npm run cli -- settings-set`) makes it one minute; the counter reads it within seconds.
  await withStore(webApp.dataDir, (db) =>
    db('settings').insert({ key: 'staffSessionMinutes', value_json: '1', updated_at: new Date().toISOString(), updated_by: 'cli' }).onConflict('key').merge(),
  );
  const serverSays = () =>
    page.evaluate(async () => {
      const answer = await fetch('/api/call/app.info', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1' }, body: '{}' });
      return ((await answer.json()) as { value: { staffSessionMinutes: number } }).value.staffSessionMinutes;
    });
  await expect.poll(serverSays).toBe(1);
  // The screen reads the length again by itself (a passive read): the warning comes before the server's end.
  await page.clock.runFor(31_000);
  await expect(page.getByRole('dialog', { name: 'まもなくログインの有効期限が切れます' })).toBeVisible();
});

test.describe('a staff login that ends mid-edit', () => {
  test.use({ settings: { staffSessionMinutes: 1 } });

  test('warns before the idle end; 「続ける」 keeps the login and the edit; at the end the login screen says so and leads back', async ({ page, webApp }) => {
    await page.clock.install();
    await loginAsAdmin(page, webApp);
    await openScreen(page, '設定');
    await page.locator('#set-supportEmail').fill('changed-mid-edit@example.co.jp');
    // Typing is no call: the server counts the idle time from the screen's last call, and so does the warning.
    const warning = page.getByRole('dialog', { name: 'まもなくログインの有効期限が切れます' });
    await page.clock.runFor(31_000);
    await expect(warning).toContainText('秒でログインの有効期限が切れ、保存していない変更は反映されなくなります。');
    await warning.getByRole('button', { name: '続ける' }).click();
    await expect(warning).toHaveCount(0);
    await expect(page.locator('#set-supportEmail')).toHaveValue('changed-mid-edit@example.co.jp');
    // 「続ける」 was a call: 20 s after it is no warning, 61 s is the end.
    await page.clock.runFor(20_000);
    await expect(warning).toHaveCount(0);
    await page.clock.runFor(41_000);
    await expect(page.getByRole('heading', { level: 1, name: 'スタッフ ログイン' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveText('ログインの有効期限が切れました。保存されていない変更は反映されていません。もう一度ログインしてください。');

    await page.locator('#staff-username').fill('admin');
    await page.locator('#staff-password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '設定' })).toBeVisible();
    await expect(page.locator('#set-supportEmail')).toHaveValue('webdesk@jisa.or.jp');
  });

  test('同期の状態 polling by itself does not hold the warning off, as it does not keep the login on the server', async ({ page, webApp }) => {
    await page.clock.install();
    await loginAsAdmin(page, webApp);
    await openScreen(page, '同期の状態');
    const polled = page.waitForRequest((request) => request.url().endsWith('/api/call/sync.status'));
    await page.clock.runFor(31_000);
    await polled;
    await expect(page.getByRole('dialog', { name: 'まもなくログインの有効期限が切れます' })).toBeVisible();
  });

  test('保存 after the server ended the login: the login screen says the change was not saved (ja, en), and the same user is back on 設定', async ({ page, webApp }) => {
    await loginAsAdmin(page, webApp);
    await openScreen(page, '設定');
    await page.locator('#set-supportEmail').fill('changed-mid-edit@example.co.jp');
    // The page's own cookie: the login ends on the server, as an expiry would, behind the screen's back.
    expect((await callAs(page, webApp.url, 'staff.logout', {})).ok).toBe(true);
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'スタッフ ログイン' })).toBeVisible();
    const alert = page.getByRole('alert');
    await expect(alert).toHaveText('ログインの有効期限が切れました。保存されていない変更は反映されていません。もう一度ログインしてください。');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(alert).toHaveText('Your login has expired. Changes that were not saved have not been applied. Please log in again.');
    await page.getByRole('button', { name: '日本語' }).click();

    await page.locator('#staff-username').fill('admin');
    await page.locator('#staff-password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '設定' })).toBeVisible();
    await expectScreenComplete(page);
    await expect(page.locator('#set-supportEmail')).toHaveValue('webdesk@jisa.or.jp');
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});
