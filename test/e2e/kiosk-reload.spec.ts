// A reload of パスワード登録 (F5, the browser's reload) keeps the grant 「確認」 gave: the main
// process holds it in the kiosk session (the page's cookie), not the page. The kiosk's wipe
// (最初に戻る, the idle timeout) ends it, and another browser never sees it (decisions.md).
import type { Page } from '@playwright/test';
import { codeFrom, expect, test, type WebApp } from './fixtures';
import { openForgotPage, submitSupportMail, TANAKA } from './kiosk-steps';

const passwordHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'パスワード登録' });
const topHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'Webdeskトップ' });
const codeHeading = (page: Page) => page.getByRole('heading', { level: 1, name: '変更権限コード' });

/** Waits until the main process holds a view with this in it (the page says it after each change). */
function viewHeld(page: Page, part: Record<string, unknown>) {
  return page.waitForResponse((r) => {
    if (!r.url().endsWith('/api/call/kiosk.holdView')) return false;
    const said = r.request().postDataJSON() as Record<string, unknown>;
    return Object.entries(part).every(([key, value]) => said[key] === value);
  });
}

async function chooseDisplay(page: Page, size: string, contrast: string): Promise<void> {
  await page.getByRole('group', { name: '文字サイズ' }).getByRole('button', { name: size, exact: true }).click();
  await page.getByRole('group', { name: 'コントラスト' }).getByRole('button', { name: contrast, exact: true }).click();
}

async function expectDisplay(page: Page, textSize: string, contrast: string): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-text-size', textSize);
  await expect(page.locator('html')).toHaveAttribute('data-contrast', contrast);
}

/** To パスワード登録 with TANAKA's JSA-ID and the code from the mail. */
async function verifyCode(page: Page, webApp: WebApp): Promise<void> {
  await openForgotPage(page, webApp.url);
  await submitSupportMail(page, TANAKA.jsaId, TANAKA.email);
  await page.getByRole('dialog', { name: '受付完了' }).getByRole('button', { name: 'OK' }).click();
  const code = codeFrom(await webApp.waitForMail(TANAKA.email));
  await page.getByLabel(/JSA-ID またはメールアドレス/).fill(TANAKA.jsaId);
  await page.getByLabel(/変更権限コード/).fill(code);
  await page.getByRole('button', { name: '確認' }).click();
  await expect(passwordHeading(page)).toBeVisible();
}

/** TANAKA's JSA-ID and address, and the request button by its name in the screen's language. */
async function submitSupportMailIn(page: Page, button: string): Promise<void> {
  await page.getByLabel('JSA-ID', { exact: true }).fill(TANAKA.jsaId);
  await page.getByLabel(/Email address/).fill(TANAKA.email);
  await page.getByRole('button', { name: button }).click();
}

/** Opens the app's first page and waits for its answer on a held grant (the state to check after). */
async function openAndAskForGrant(page: Page, open: () => Promise<unknown>): Promise<unknown> {
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/call/reset.resumeGrant'));
  await open();
  return (await (await answer).json()) as unknown;
}

test('a reload on パスワード登録 keeps the step, and the password can be registered', async ({ page, webApp }) => {
  await verifyCode(page, webApp);
  await page.reload();
  await expect(passwordHeading(page)).toBeVisible();
  await expect(page.getByText('JSA-ID •••••••8901 のパスワードを登録します')).toBeVisible();
  const password = 'aozora no shita de hashiru';
  await page.locator('#pw-new').fill(password);
  await page.locator('#pw-confirm').fill(password);
  await expect(page.getByRole('region', { name: 'パスワードポリシー' })).toContainText('すべての条件を満たしています。');
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'パスワードの登録が完了しました' })).toBeVisible();
  // Spent: a reload now shows トップ.
  expect(await openAndAskForGrant(page, () => page.reload())).toEqual({ ok: true, value: { verified: null } });
  await expect(topHeading(page)).toBeVisible();
});

test('a reload in English stays in English', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await page.getByRole('button', { name: 'English' }).click();
  await submitSupportMailIn(page, 'Request support email');
  await page.getByRole('dialog', { name: 'Request received' }).getByRole('button', { name: 'OK' }).click();
  const code = codeFrom(await webApp.waitForMail(TANAKA.email));
  await page.getByLabel(/JSA-ID or email address/).fill(TANAKA.jsaId);
  await page.getByLabel(/Authorization code/).fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Register password' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Register password' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('English chosen on パスワード登録 keeps the grant for a reload', async ({ page, webApp }) => {
  await verifyCode(page, webApp);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Register password' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Register password' })).toBeVisible();
});

test('最初に戻る ends the held grant: a reload then shows トップ', async ({ page, webApp }) => {
  await verifyCode(page, webApp);
  const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/call/account.logout'));
  await page.getByRole('button', { name: '最初に戻る' }).click();
  await loggedOut;
  expect(await openAndAskForGrant(page, () => page.reload())).toEqual({ ok: true, value: { verified: null } });
  await expect(topHeading(page)).toBeVisible();
});

test('Back off the app and Forward again does not bring パスワード登録 back (only a reload does)', async ({ page, webApp }) => {
  await verifyCode(page, webApp);
  await page.goBack();
  expect(await openAndAskForGrant(page, () => page.goForward())).toEqual({ ok: true, value: { verified: null } });
  await expect(topHeading(page)).toBeVisible();
  // Let go for good: a reload afterwards does not find it either.
  expect(await openAndAskForGrant(page, () => page.reload())).toEqual({ ok: true, value: { verified: null } });
});

test('another browser on the same counter does not get the held grant', async ({ page, webApp, browser }) => {
  await verifyCode(page, webApp);
  const other = await browser.newContext();
  try {
    const stranger = await other.newPage();
    expect(await openAndAskForGrant(stranger, () => stranger.goto(webApp.url))).toEqual({ ok: true, value: { verified: null } });
    await expect(topHeading(stranger)).toBeVisible();
  } finally {
    await other.close();
  }
  // The customer's own session still has it.
  await page.reload();
  await expect(passwordHeading(page)).toBeVisible();
});

test('a reload keeps 特大 and 白黒反転, and 変更権限コード as the step, with nothing typed', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  await chooseDisplay(page, '特大', '白黒反転');
  const held = viewHeld(page, { textSize: 'xlarge', contrast: 'inverted', step: 'code' });
  await page.getByRole('button', { name: '変更権限コードを入力' }).click();
  await expect(codeHeading(page)).toBeVisible();
  await page.getByLabel(/JSA-ID またはメールアドレス/).fill(TANAKA.jsaId);
  await held;
  await page.reload();
  await expect(codeHeading(page)).toBeVisible();
  await expectDisplay(page, 'xlarge', 'inverted');
  await expect(page.getByLabel(/JSA-ID またはメールアドレス/)).toHaveValue('');
});

test('a reload in English on ID忘れ keeps English and 大', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  const held = viewHeld(page, { textSize: 'large', locale: 'en' });
  await page.getByRole('group', { name: '文字サイズ' }).getByRole('button', { name: '大', exact: true }).click();
  await page.getByRole('button', { name: 'English' }).click();
  await held;
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
});

test('最初に戻る keeps 文字サイズ and コントラスト, and a reload after it still shows them', async ({ page, webApp }) => {
  await openForgotPage(page, webApp.url);
  const held = viewHeld(page, { textSize: 'xlarge', contrast: 'inverted' });
  await chooseDisplay(page, '特大', '白黒反転');
  await held;
  // The wipe forgets the held view; the page says it again once the wipe is answered, not beside
  // it (sent together, the logout could be handled second and forget it).
  const order: string[] = [];
  page.on('requestfinished', (r) => {
    if (r.url().endsWith('/api/call/account.logout')) order.push('logout answered');
  });
  page.on('request', (r) => {
    if (r.url().endsWith('/api/call/kiosk.holdView')) order.push('view said');
  });
  const heldAgain = viewHeld(page, { textSize: 'xlarge', contrast: 'inverted' });
  await page.getByRole('button', { name: '最初に戻る' }).click();
  await expect(topHeading(page)).toBeVisible();
  await expectDisplay(page, 'xlarge', 'inverted');
  await heldAgain;
  expect(order).toEqual(['logout answered', 'view said']);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/call/kiosk.resumeView'));
  await page.reload();
  expect(await (await answer).json()).toMatchObject({ ok: true, value: { view: { textSize: 'xlarge', contrast: 'inverted' } } });
  await expectDisplay(page, 'xlarge', 'inverted');
});

test.describe('idle timeout', () => {
  test.use({ settings: { idleTimeoutSeconds: 60 } });

  test('特大 and 白黒反転 chosen on トップ alone time out too, and a reload does not bring them back', async ({ page, webApp }) => {
    await page.clock.install();
    await page.goto(webApp.url);
    const held = viewHeld(page, { textSize: 'xlarge', contrast: 'inverted' });
    await chooseDisplay(page, '特大', '白黒反転');
    await held;
    const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/call/account.logout'));
    await page.clock.runFor(61_000);
    await loggedOut;
    await expectDisplay(page, 'standard', 'standard');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/call/kiosk.resumeView'));
    await page.reload();
    expect(await (await answer).json()).toEqual({ ok: true, value: { view: null } });
    await expectDisplay(page, 'standard', 'standard');
  });
});

test.describe('idle timeout, grant', () => {
  test.use({ settings: { idleTimeoutSeconds: 60 } });

  test('the idle wipe ends the held grant: a reload then shows トップ', async ({ page, webApp }) => {
    await page.clock.install();
    await verifyCode(page, webApp);
    const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/call/account.logout'));
    await page.clock.runFor(61_000);
    await expect(topHeading(page)).toBeVisible();
    await loggedOut;
    expect(await openAndAskForGrant(page, () => page.reload())).toEqual({ ok: true, value: { verified: null } });
    await expect(topHeading(page)).toBeVisible();
  });
});
