// The code key on 同期の状態 (issue 14) in web mode against a real central PostgreSQL: a counter
// started with only WEBDESK_CENTRAL_URL and WEBDESK_KIOSK_ID shows central's key in use; one
// started with a WEBDESK_SECRET that is not the deployment's says so on the screen (and sends
// the customer to staff). Both screens pass axe in Japanese and English.
import type { Page } from '@playwright/test';
import { startCentral, type Central } from '../integration/support/sync-central';
import { expect, test } from './fixtures';
import { expectNoAxeViolations, expectNoAxeViolationsJaEn, openForgotPage, submitSupportMail } from './kiosk-steps';
import { loginAsAdmin, shoot } from './staff-support';

let central: Central;
let kioskUrl: string;
let centralKey: string;

test.beforeAll(async () => {
  central = await startCentral();
  kioskUrl = await central.kioskUrl('kiosk_key_e2e');
  centralKey = (await central.query<{ id: string }>('SELECT id FROM code_keys WHERE superseded_at IS NULL'))[0]!.id;
});

test.afterAll(async () => {
  await central?.stop();
});

test.use({ viewport: { width: 1280, height: 900 } });

async function openSync(page: Page): Promise<void> {
  await page.getByRole('button', { name: '同期の状態' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '同期の状態' })).toBeVisible();
}

test.describe('a counter joined without WEBDESK_SECRET', () => {
  // eslint-disable-next-line no-empty-pattern
  test.use({ env: async ({}, use) => use({ WEBDESK_CENTRAL_URL: kioskUrl }) });

  test("shows central's key in use, by its id only", async ({ page, webApp }) => {
    await loginAsAdmin(page, webApp);
    await openSync(page);
    await expect(page.getByTestId('sync-state')).toHaveText('オンライン', { timeout: 20_000 });
    const section = page.getByRole('region', { name: '変更権限コードの鍵' });
    await expect(section.getByTestId('code-key-state')).toHaveText('中央データベースの鍵を使用中');
    await expect(section.getByText(centralKey)).toBeVisible();
    await expect(page.getByTestId('code-key-mismatch')).toHaveCount(0);
    await shoot(page, 'sync-code-key');
    await expectNoAxeViolationsJaEn(page, 'sync, code key', async () => {
      await expect(page.getByRole('region', { name: 'Code key' }).getByTestId('code-key-state')).toHaveText("the central database's key in use");
    });
  });
});

test.describe('a counter with a WEBDESK_SECRET that is not the deployment key', () => {
  // eslint-disable-next-line no-empty-pattern
  test.use({ env: async ({}, use) => use({ WEBDESK_CENTRAL_URL: kioskUrl, WEBDESK_SECRET: 'a-secret-copied-by-hand-and-wrongly-0123456' }) });

  test('says so on 同期の状態 and sends the customer to staff instead of "wrong code"', async ({ page, webApp }) => {
    await loginAsAdmin(page, webApp);
    await openSync(page);
    await expect(page.getByTestId('sync-state')).toHaveText('同期を止めています（変更権限コードの鍵が一致しません）', { timeout: 20_000 });
    const alert = page.getByTestId('code-key-mismatch');
    await expect(alert).toHaveAttribute('role', 'alert');
    await expect(alert).toContainText('この端末に設定された WEBDESK_SECRET');
    await expect(alert).toContainText('このお手続きは係員にお声がけください');
    await expect(page.getByTestId('code-key-state')).toHaveText('鍵が一致しません');
    // The operator's terminal has the one line, plainly.
    expect(webApp.output()).toMatch(/^webdesk: code key mismatch: WEBDESK_SECRET here \(key k-[0-9a-f]{12}\) is not the deployment's/m);
    await shoot(page, 'sync-code-key-mismatch');
    await expectNoAxeViolationsJaEn(page, 'sync, key mismatch', async () => {
      await expect(alert).toContainText("is not the deployment's key. This counter does not sync.");
    });

    await page.getByRole('button', { name: 'キオスクに戻る' }).click();
    await expect(page.getByRole('button', { name: 'ログインへ' })).toBeVisible();
    await openForgotPage(page, webApp.url);
    await submitSupportMail(page, '12345678901', 'tanaka@example.co.jp');
    await expect(page.getByText('このお手続きは係員にお声がけください。')).toBeVisible();
    await expect(page.getByText('変更権限コードが正しくありません', { exact: false })).toHaveCount(0);
    await expectNoAxeViolations(page, 'kiosk, ask staff (ja)');
  });
});
