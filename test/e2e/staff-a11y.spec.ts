// Every staff screen through axe (WCAG 2.1 A/AA, the level of JIS X 8341-3 AA), in Japanese
// and in English, at 1280 and 1024 px wide (the side navigation's two widths above the fold):
// login, the forced change, each tool, and the ops screens. Also the kiosk's 「係員用」 entry
// and the way back, which must be real, keyboard-reachable buttons; and below 1024 px, the
// menu button the navigation folds behind.
import { expect, test } from './fixtures';
import { expectNoAxeViolations, expectNoAxeViolationsJaEn } from './kiosk-steps';
import { ADMIN_PASSWORD, addInquiry, changePassword, loginAsAdmin, staffLogin, openScreen } from './staff-support';

// Each test starts its own app, so the file's tests may spread over both workers (a long file).
test.describe.configure({ mode: 'parallel' });



for (const width of [1280, 1024]) {
  test.describe(`${width} px wide`, () => {
    test.use({ viewport: { width, height: 900 } });

    // Short walks, each a fresh app: one long walk of twenty-odd axe runs outlasted the test
    // time on a loaded machine.
    test('entry, login, the forced change and 初期設定 pass axe in Japanese and English', async ({ page, webApp }) => {
      // The kiosk's staff entry: a real button at the end of the footer, reached by keyboard.
      await page.goto(webApp.url);
      const entry = page.getByRole('button', { name: '係員用' });
      await entry.focus();
      await expect(entry).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(/\/staff$/);
      await expect(page.getByRole('heading', { level: 1, name: 'スタッフ ログイン' })).toBeVisible();
      await expectNoAxeViolationsJaEn(page, 'login');
      // And back: a customer who pressed it by mistake returns to トップ.
      await page.getByRole('button', { name: 'キオスクに戻る' }).click();
      await expect(page.getByRole('button', { name: 'ログインへ' })).toBeVisible();

      const otp = /one-time password (\S+)/.exec(webApp.cli('staff-reset-password', 'admin'))![1]!;
      await staffLogin(page, webApp.url, 'admin', otp);
      await expect(page.getByRole('heading', { level: 1, name: 'パスワードの変更' })).toBeVisible();
      await expectNoAxeViolationsJaEn(page, 'forced change');
      await changePassword(page, otp, ADMIN_PASSWORD);

      await expect(page.getByRole('heading', { level: 1, name: '初期設定' })).toBeVisible();
      await expectNoAxeViolationsJaEn(page, 'setup');
    });

    test('ダッシュボード, アカウント検索 and アカウントの詳細 pass axe in Japanese and English', async ({ page, webApp }) => {
      await loginAsAdmin(page, webApp);
      await openScreen(page, 'ダッシュボード', 'ダッシュボード');
      await expectNoAxeViolationsJaEn(page, 'dashboard');
      await openScreen(page, 'アカウント検索', 'アカウント検索');
      await page.locator('#lookup-query').fill('田中');
      await page.getByRole('button', { name: '検索', exact: true }).click();
      await expect(page.getByRole('row', { name: /•••••••8901/ })).toBeVisible();
      await expectNoAxeViolationsJaEn(page, 'lookup with results');
      await page.getByRole('button', { name: '•••••••8901' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'アカウントの詳細' })).toBeVisible();
      await expectNoAxeViolationsJaEn(page, 'account detail');
    });

    test('本人確認の依頼 and メール送信状況 pass axe in Japanese and English', async ({ page, webApp }) => {
      const reference = await addInquiry(
        webApp,
        'jsa_id_unknown',
        { address: '東京都港区三田３－１３－１２', company: '(株)サンプル商事', department: '品質保証部', name: '田中 一郎', phone: '03-1234-5678' },
        'ichiro.home@example.net',
      );
      await loginAsAdmin(page, webApp);
      await openScreen(page, '本人確認の依頼', '本人確認の依頼');
      await expectNoAxeViolationsJaEn(page, 'inquiries');
      await page.getByRole('button', { name: `確認する ${reference}` }).click();
      await expect(page.getByText('本人と確認できます')).toBeVisible();
      await expectNoAxeViolationsJaEn(page, 'identity check');

      await openScreen(page, 'メール送信状況', 'メール送信状況');
      await expectNoAxeViolationsJaEn(page, 'outbox');
    });

    test('同期の状態, 監査ログ and 診断情報 pass axe in Japanese and English', async ({ page, webApp }) => {
      await loginAsAdmin(page, webApp);
      await openScreen(page, '同期の状態', '同期の状態');
      await expect(page.getByTestId('sync-state')).toHaveText('単独運用（中央データベース未設定）');
      await expectNoAxeViolationsJaEn(page, 'sync');
      await openScreen(page, '監査ログ', '監査ログ');
      await expectNoAxeViolationsJaEn(page, 'audit');
      await openScreen(page, '診断情報', '診断情報');
      await expect(page.getByTestId('diag-figures')).toBeVisible();
      await expectNoAxeViolationsJaEn(page, 'diagnostics');
      await page.getByRole('button', { name: '今すぐ削除' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await expectNoAxeViolations(page, 'purge confirm (ja)');
      await page.getByRole('button', { name: 'やめる' }).click();
    });

    test('スタッフ管理, 設定 and the account import and export pass axe in Japanese and English; キオスクに戻る ends the session', async ({ page, webApp }) => {
      await loginAsAdmin(page, webApp);
      await openScreen(page, 'スタッフ管理', 'スタッフ管理');
      await expectNoAxeViolationsJaEn(page, 'staff users');
      await openScreen(page, '設定', '設定');
      await expectNoAxeViolationsJaEn(page, 'settings');
      await openScreen(page, 'アカウントの取り込み');
      await expect(page.getByLabel('取り込む CSV ファイル')).toBeVisible();
      await expectNoAxeViolationsJaEn(page, 'account import');
      await openScreen(page, 'アカウントの書き出し');
      await expect(page.getByRole('group', { name: '文字コード' })).toBeVisible();
      await expectNoAxeViolationsJaEn(page, 'account export');

      // 「キオスクに戻る」 ends the staff session: 係員用 again shows the login, not the tools.
      await page.getByRole('button', { name: 'キオスクに戻る' }).click();
      await expect(page.getByRole('button', { name: 'ログインへ' })).toBeVisible();
      await page.getByRole('button', { name: '係員用' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'スタッフ ログイン' })).toBeVisible();
    });
  });
}

test.describe('below 1024 px', () => {
  test.use({ viewport: { width: 960, height: 900 } });

  test('the navigation folds behind a menu button that opens it, and passes axe closed and open', async ({ page, webApp }) => {
    const otp = /one-time password (\S+)/.exec(webApp.cli('staff-reset-password', 'admin'))![1]!;
    await staffLogin(page, webApp.url, 'admin', otp);
    await changePassword(page, otp, ADMIN_PASSWORD);
    const nav = page.getByRole('navigation', { name: 'スタッフツールのメニュー' });
    const menu = nav.getByRole('button', { name: 'メニュー' });
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(nav.getByRole('button', { name: 'アカウント検索' })).toBeHidden();
    await expectNoAxeViolationsJaEn(page, 'folded menu');
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(nav.getByRole('button', { name: 'アカウント検索' })).toBeVisible();
    await expectNoAxeViolationsJaEn(page, 'open menu');
    await nav.getByRole('button', { name: 'アカウント検索' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'アカウント検索' })).toBeVisible();
    // Choosing a screen folds the menu again.
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
  });
});

