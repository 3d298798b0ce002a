// The customer's journey at the kiosk (seed steps 1–6) through the real UI in web mode, with
// the code read from the mail the app wrote. Demo accounts: README "Try a reset".
import { codeFrom, expect, linkFrom, test } from './fixtures';
import type { Page } from '@playwright/test';
import { expectNoAxeViolations, openForgotPage, submitSupportMail, TANAKA } from './kiosk-steps';
import { setTextSize } from './touch-steps';

const SHARED_EMAIL = 'shared@example.co.jp';

test('resets a password at the kiosk with the JSA-ID and the code from the mail, then logs in with it', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  // Full-width digits and a hyphen, as copied from a letter: the server folds them.
  await submitSupportMail(page, '１２３４５-６７８９０１', TANAKA.email);

  const received = page.getByRole('dialog', { name: '受付完了' });
  await expect(received).toBeVisible();
  await expect(received).toHaveAttribute('aria-modal', 'true');
  await expect(received.getByRole('button', { name: 'OK' })).toBeFocused();
  await received.getByRole('button', { name: 'OK' }).click();

  await expect(page.getByRole('heading', { level: 1, name: '変更権限コード' })).toBeVisible();
  const code = codeFrom(await webApp.waitForMail(TANAKA.email));

  await page.getByLabel(/JSA-ID またはメールアドレス/).fill(TANAKA.jsaId);
  const codeField = page.getByLabel(/変更権限コード/);
  // 「確認」 before the code is typed: said beside the field, and no try of the five is spent.
  await page.getByRole('button', { name: '確認' }).click();
  await expect(page.getByRole('alert')).toContainText('変更権限コードを入力してください');
  await expect(codeField).toHaveAttribute('aria-invalid', 'true');
  await codeField.pressSequentially('AAAAAAAAAA');
  await expect(codeField).toHaveValue('AAAAA-AAAAA');
  await page.getByRole('button', { name: '確認' }).click();
  await expect(page.getByRole('alert')).toContainText('変更権限コードが正しくありません');
  // Typed with the JSA-ID, the refusal says no more (no tries left, no "expired"): it would tell a
  // stranger whether the account has a reset under way; it says what else it may mean.
  await expect(page.getByRole('alert')).toContainText('メールのリンクから開くと理由が表示されます');
  await expect(page.getByRole('alert')).not.toContainText('あと 4 回');

  // Lower case and no hyphen: accepted all the same.
  await codeField.fill('');
  await codeField.pressSequentially(code.toLowerCase());
  await page.getByRole('button', { name: '確認' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'パスワード登録' })).toBeVisible();
  await expect(page.getByText('JSA-ID •••••••8901 のパスワードを登録します')).toBeVisible();
  const policy = page.getByRole('region', { name: 'パスワードポリシー' });
  await page.locator('#pw-new').fill('tanaka');
  await expect(policy.getByRole('listitem').filter({ hasText: '12 文字以上（いま 6 文字）' })).toContainText('満たしていません');

  const password = 'aozora no shita de hashiru';
  await page.locator('#pw-new').fill(password);
  await page.locator('#pw-confirm').fill(password);
  await expect(policy).toContainText('すべての条件を満たしています。');
  await page.getByRole('button', { name: '登録' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'パスワードの登録が完了しました' })).toBeVisible();
  await page.getByRole('button', { name: 'ログインへ' }).click();
  await page.getByLabel('JSA-ID', { exact: false }).fill(TANAKA.jsaId);
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByText('田中 一郎 様がログインしています')).toBeVisible();
});

test('says how many digits were typed and sends focus to the error summary', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await page.getByLabel('JSA-ID', { exact: true }).fill('1234567890');
  await expect(page.getByText('10 桁入力されています（11 桁必要です）')).toBeVisible();
  await page.getByRole('button', { name: 'サポートメール依頼' }).click();

  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('JSA-ID は 11 桁です。いま 10 桁入力されています。');
  await expect(summary).toContainText('メールアドレスを入力してください。');
  await expect(page.getByLabel('JSA-ID', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel(/メールアドレス/)).toHaveAccessibleDescription(/メールアドレスを入力してください。/);
});

test('shows 注意1 with the contact block when the address is on several JSA-IDs', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await submitSupportMail(page, '', SHARED_EMAIL);
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('複数のJSA-IDに同一のメールアドレスが登録されているため');
  await expect(summary).toContainText('営業グループ Webdeskチーム');
  await expect(summary).toContainText('MAIL: webdesk@jisa.or.jp');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('goes back to 変更権限コード without a new request after leaving it while the mail arrives', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await submitSupportMail(page, TANAKA.jsaId, TANAKA.email);
  await page.getByRole('dialog', { name: '受付完了' }).getByRole('button', { name: 'OK' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '変更権限コード' })).toBeVisible();
  // 最初に戻る while reading the phone (a reload or the idle timeout leave the same way).
  await page.getByRole('button', { name: '最初に戻る' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Webdeskトップ' })).toBeVisible();
  const code = codeFrom(await webApp.waitForMail(TANAKA.email));

  await page.getByRole('button', { name: 'ログインへ' }).click();
  await page.getByRole('button', { name: 'ID 忘れ・パスワード忘れ' }).click();
  const haveCode = page.getByRole('region', { name: 'メールが届いている方' });
  await haveCode.getByRole('button', { name: '変更権限コードを入力' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '変更権限コード' })).toBeVisible();
  await page.getByLabel(/JSA-ID またはメールアドレス/).fill(TANAKA.jsaId);
  await page.getByLabel(/変更権限コード/).fill(code);
  await page.getByRole('button', { name: '確認' }).click();
  // The code of the one request still works: nothing was requested again.
  await expect(page.getByRole('heading', { level: 1, name: 'パスワード登録' })).toBeVisible();
  expect((await webApp.mails()).filter((m) => m.to.includes(TANAKA.email))).toHaveLength(1);
});

test('an Enter held down on サポートメール依頼 does not also close 受付完了', async ({ page, webApp }) => {
  await page.clock.install();
  await openForgotPage(page, webApp.url);
  await page.getByLabel('JSA-ID', { exact: true }).fill(TANAKA.jsaId);
  await page.getByLabel(/メールアドレス/).fill(TANAKA.email);
  await page.clock.pauseAt(new Date(Date.now() + 60_000));
  await page.keyboard.down('Enter');
  const received = page.getByRole('dialog', { name: '受付完了' });
  await expect(received.getByRole('button', { name: 'OK' })).toBeFocused();
  // The key's auto-repeat, now landing on 「OK」: the customer has not read the popup yet.
  await page.keyboard.down('Enter');
  await page.keyboard.up('Enter');
  await expect(received).toBeVisible();
  // A fresh press, later than a double press could be: the customer's answer.
  await page.clock.runFor(600);
  await page.keyboard.press('Enter');
  await expect(received).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: '変更権限コード' })).toBeVisible();
});

test('two quick presses of Enter on サポートメール依頼 do not also close 受付完了', async ({ page, webApp }) => {
  // The page's clock stands still from here: the two presses are as close together as a hurried
  // customer's (about 100 ms) however long the machine takes between them.
  await page.clock.install();
  await openForgotPage(page, webApp.url);
  await page.getByLabel('JSA-ID', { exact: true }).fill(TANAKA.jsaId);
  await page.getByLabel(/メールアドレス/).fill(TANAKA.email);
  await page.clock.pauseAt(new Date(Date.now() + 60_000));
  await page.keyboard.press('Enter');
  const received = page.getByRole('dialog', { name: '受付完了' });
  await expect(received.getByRole('button', { name: 'OK' })).toBeFocused();
  await page.clock.runFor(100);
  // The second press, begun after 受付完了 opened, lands on 「OK」: the customer has not read it yet.
  await page.keyboard.press('Enter');
  await expect(received).toBeVisible();
  await expect(received.getByRole('button', { name: 'OK' })).toBeFocused();
  // Half a second on (a double-click's span), a press is the customer's answer.
  await page.clock.runFor(500);
  await page.keyboard.press('Enter');
  await expect(received).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: '変更権限コード' })).toBeVisible();
});

test('two quick presses of Enter, the first still down as 受付完了 opens, do not close it', async ({ page, webApp }) => {
  await page.clock.install();
  await openForgotPage(page, webApp.url);
  await page.getByLabel('JSA-ID', { exact: true }).fill(TANAKA.jsaId);
  await page.getByLabel(/メールアドレス/).fill(TANAKA.email);
  await page.clock.pauseAt(new Date(Date.now() + 60_000));
  // A quick answer: 受付完了 opens before the finger leaves the key.
  await page.keyboard.down('Enter');
  const received = page.getByRole('dialog', { name: '受付完了' });
  await expect(received.getByRole('button', { name: 'OK' })).toBeFocused();
  await page.clock.runFor(80);
  await page.keyboard.up('Enter');
  await page.clock.runFor(100);
  await page.keyboard.press('Enter');
  await expect(received).toBeVisible();
  await expect(received.getByRole('button', { name: 'OK' })).toBeFocused();
});

test('a tap on サポートメール依頼 and then Enter on 「OK」 closes 受付完了 at once', async ({ page, webApp }) => {
  await page.clock.install();
  await openForgotPage(page, webApp.url);
  await page.clock.pauseAt(new Date(Date.now() + 60_000));
  await submitSupportMail(page, TANAKA.jsaId, TANAKA.email);
  const received = page.getByRole('dialog', { name: '受付完了' });
  await expect(received.getByRole('button', { name: 'OK' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(received).toBeHidden();
});

// 1024×768 at 200 % zoom is a 512×384 CSS-pixel window (WCAG 1.4.4 asks for text at 200 %).
test.describe('受付完了 at 200 % zoom', () => {
  test.use({ viewport: { width: 512, height: 384 }, deviceScaleFactor: 2, hasTouch: true });

  /** The dialog's title and 「OK」 lie wholly inside the window, and the text between scrolls. */
  async function expectTitleAndOkInView(page: Page): Promise<void> {
    const received = page.getByRole('dialog', { name: '受付完了' });
    await expect(received.getByRole('button', { name: 'OK' })).toBeFocused();
    const window = page.viewportSize()!;
    for (const part of [received.getByRole('heading', { name: '受付完了' }), received.getByRole('button', { name: 'OK' })]) {
      const box = (await part.boundingBox())!;
      expect(box.y, 'top inside the window').toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, 'bottom inside the window').toBeLessThanOrEqual(window.height);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(window.width);
    }
    // The text the customer must read is reachable: the last line scrolls into view.
    const last = received.getByText(/「OK」を押すと/);
    await last.scrollIntoViewIfNeeded();
    await expect(last).toBeInViewport();
  }

  for (const size of ['標準', '特大'] as const) {
    test(`keeps the title and 「OK」 in view (文字サイズ ${size})`, async ({ page, webApp }) => {
      await openForgotPage(page, webApp.url);
      await setTextSize(page, size);
      await submitSupportMail(page, TANAKA.jsaId, TANAKA.email);
      await expectTitleAndOkInView(page);
      // The text that scrolls can be scrolled from the keyboard too (axe: scrollable-region-focusable).
      await expectNoAxeViolations(page, `受付完了 at 200 % (${size})`);
    });
  }
});

test('opens 変更権限コード from the mail link with only the code field', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await submitSupportMail(page, TANAKA.jsaId, TANAKA.email);
  await page.getByRole('button', { name: 'OK' }).click();
  const mail = await webApp.waitForMail(TANAKA.email);

  await page.goto(new URL(new URL(linkFrom(mail)).pathname, webApp.url).href);
  await expect(page.getByRole('heading', { level: 1, name: '変更権限コード' })).toBeVisible();
  await expect(page.getByLabel(/JSA-ID またはメールアドレス/)).toHaveCount(0);
  // The token leaves the address bar once read: the next customer cannot go back to it.
  await expect(page).toHaveURL(`${webApp.url}/`);
  await page.getByLabel(/変更権限コード/).fill(codeFrom(mail));
  await page.getByRole('button', { name: '確認' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'パスワード登録' })).toBeVisible();
});

test('opens an English mail’s link (…?lang=en) in English', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await submitSupportMail(page, TANAKA.jsaId, TANAKA.email);
  await page.getByRole('button', { name: 'OK' }).click();
  const mail = await webApp.waitForMail(TANAKA.email);

  await page.goto(new URL(`${new URL(linkFrom(mail)).pathname}?lang=en`, webApp.url).href);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByLabel(/code/i)).toBeVisible();
  await expect(page).toHaveURL(`${webApp.url}/`);
});

test.describe('idle timeout', () => {
  test.use({ settings: { idleTimeoutSeconds: 60 } });

  test('warns 30 s before the end, then returns to トップ with the form wiped and Japanese restored', async ({ page, webApp }) => {
    await page.clock.install();
    await openForgotPage(page, webApp.url);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel(/Email address/).fill(TANAKA.email);

    await page.clock.runFor(31_000);
    const warning = page.getByRole('dialog', { name: 'Returning to the first screen soon' });
    await expect(warning).toBeVisible();
    await warning.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByLabel(/Email address/)).toHaveValue(TANAKA.email);

    await page.clock.runFor(61_000);
    await expect(page.getByRole('heading', { level: 1, name: 'Webdeskトップ' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await page.getByRole('button', { name: 'ログインへ' }).click();
    await page.getByRole('button', { name: 'ID 忘れ・パスワード忘れ' }).click();
    await expect(page.getByLabel(/メールアドレス/)).toHaveValue('');
  });
});

test('switches between 日本語 and English and sets <html lang>', async ({ page, webApp }) => {
  await page.goto(webApp.url);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Go to login' })).toBeVisible();
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
});

test('has no WCAG 2.1 A/AA violations found by axe on the kiosk screens', async ({ page, webApp }) => {
  await page.goto(webApp.url);
  await expectNoAxeViolations(page, 'トップ');
  await page.getByRole('button', { name: 'ログインへ' }).click();
  await expectNoAxeViolations(page, 'ログイン');
  await page.getByRole('button', { name: 'ID 忘れ・パスワード忘れ' }).click();
  await page.getByRole('button', { name: 'サポートメール依頼' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoAxeViolations(page, 'ID忘れ with errors');
  await submitSupportMail(page, TANAKA.jsaId, TANAKA.email);
  await expect(page.getByRole('dialog', { name: '受付完了' })).toBeVisible();
  await expectNoAxeViolations(page, '受付完了');
  await page.getByRole('button', { name: 'OK' }).click();
  await expectNoAxeViolations(page, '変更権限コード');
});
