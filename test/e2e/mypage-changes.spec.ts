import { expect, test } from './fixtures';
import { confirmationCode, DEMO, logIn, shot, withStore } from './mypage-support';

test.use({ smtp: true });

const NEW_EMAIL = 'suzuki.saburo@example.co.jp';

test.describe('マイページ', () => {
  test('shows the registered data and changes 担当者名', async ({ page, webApp }) => {
    await logIn(page, webApp.url);
    await page.locator('header').getByRole('button', { name: 'マイページ' }).click();
    await expect(page.getByRole('heading', { name: 'マイページ' })).toBeVisible();
    await expect(page.getByText('t•••••@example.co.jp')).toBeVisible();
    await expect(page.getByText(DEMO.email)).toHaveCount(0);
    await expect(page.getByText('株式会社サンプル商事')).toBeVisible();
    await shot(page, 'overview');

    await page.getByRole('button', { name: '担当者名を変更' }).click();
    await page.locator('#mypage-contact-name').fill('ｽｽﾞｷ　三郎');
    await shot(page, 'contact-name');
    await page.getByRole('button', { name: '変更する' }).click();
    await expect(page.getByRole('status').filter({ hasText: '担当者名を変更しました。' })).toBeVisible();
    await expect(page.locator('header').getByText('スズキ 三郎 様')).toBeVisible();
    const row = await withStore(webApp.dataDir, (db) => db('accounts').where({ jsa_id: DEMO.jsaId }).first());
    expect(row).toMatchObject({ contact_name: 'スズキ 三郎' });
  });

  test('changes メールアドレス with the code from the new address, telling the old one', async ({ page, webApp }) => {
    await logIn(page, webApp.url);
    await page.locator('header').getByRole('button', { name: 'マイページ' }).click();
    await page.getByRole('button', { name: 'メールアドレスを変更' }).click();
    await page.locator('#mypage-new-email').fill('Ｓｕｚｕｋｉ.Saburo@example.co.jp');
    // The current password first (a window left logged in is not enough to move the address).
    await page.getByLabel('現在のパスワード').fill('not-the-password');
    await page.getByRole('button', { name: '確認コードを送る' }).click();
    await expect(page.getByRole('alert')).toContainText('現在のパスワード');
    await expect(page.getByLabel('現在のパスワード')).toHaveValue('');
    await page.getByLabel('現在のパスワード').fill(DEMO.password);
    await page.getByRole('button', { name: '確認コードを送る' }).click();
    await expect(page.locator('#mypage-email-code')).toBeVisible();

    const codeMail = await webApp.waitForMail(NEW_EMAIL, '確認コード');
    const requested = await webApp.waitForMail(DEMO.email, '変更のお申し込み');
    expect(requested.text).not.toContain(confirmationCode(codeMail));
    await page.locator('#mypage-email-code').fill('ZZZZZ-ZZZZZ');
    await page.getByRole('button', { name: '確認', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('あと 4 回');
    await page.locator('#mypage-email-code').fill(confirmationCode(codeMail).toLowerCase());
    await shot(page, 'email-code');
    await page.getByRole('button', { name: '確認', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'メールアドレスを変更しました。' })).toBeVisible();
    await expect(page.getByText('s••••••••••••@example.co.jp')).toBeVisible();

    const oldNotice = await webApp.waitForMail(DEMO.email, 'メールアドレスが変更されました');
    expect(oldNotice.text).toContain('s••••••••••••@example.co.jp');
    await webApp.waitForMail(NEW_EMAIL, 'メールアドレスが変更されました');
    const row = await withStore(webApp.dataDir, (db) => db('accounts').where({ jsa_id: DEMO.jsaId }).first());
    expect(row).toMatchObject({ email: NEW_EMAIL });
  });

  test('changes the password with the live パスワードポリシー欄', async ({ page, webApp }) => {
    const next = 'hinoki-no-mori-2032';
    await logIn(page, webApp.url);
    await page.locator('header').getByRole('button', { name: 'マイページ' }).click();
    await page.getByRole('button', { name: 'パスワードを変更' }).click();
    const checklist = page.getByRole('region', { name: 'パスワードポリシー' });
    await page.locator('#mypage-current-password').fill(DEMO.password);
    await page.locator('#mypage-new-password').fill('tanaka');
    await expect(checklist).toContainText('いま 6 文字');
    await page.locator('#mypage-new-password').fill(next);
    await page.locator('#mypage-confirm-password').fill(next);
    await expect(checklist).toContainText('すべての条件を満たしています。');
    await shot(page, 'password');
    await page.getByRole('button', { name: '変更する' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'パスワードを変更しました。' })).toBeVisible();
    await webApp.waitForMail(DEMO.email, 'パスワードが変更されました');

    await page.locator('header').getByRole('button', { name: 'ログアウト' }).click();
    await logIn(page, webApp.url, next);
    await expect(page.locator('header').getByText(`${DEMO.name} 様`)).toBeVisible();
  });

  test('says so beside the field when the current password is wrong', async ({ page, webApp }) => {
    await logIn(page, webApp.url);
    await page.locator('header').getByRole('button', { name: 'マイページ' }).click();
    await page.getByRole('button', { name: 'パスワードを変更' }).click();
    await page.locator('#mypage-current-password').fill('not-my-password');
    await page.locator('#mypage-new-password').fill('hinoki-no-mori-2032');
    await page.locator('#mypage-confirm-password').fill('hinoki-no-mori-2032');
    await page.getByRole('button', { name: '変更する' }).click();
    await expect(page.locator('#mypage-current-password-error')).toHaveText(/現在のパスワードが正しくありません。/);
    await expect(page.getByRole('alert')).toContainText('現在のパスワードが正しくありません。');
  });
});
