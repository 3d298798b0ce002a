// Accessibility on every kiosk screen, in Japanese and in English (JIS X 8341-3:2016 AA, equal
// to WCAG 2.0 AA; issue 8): axe-core with all its rules finds nothing serious or critical.
// The journey is the seed's: トップ → ログイン → ID忘れ・パスワード忘れ (empty submit, then the
// request) → 受付完了 → 変更権限コード → パスワード登録 → 完了, with the code from the mail.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { codeFrom, expect, test } from './fixtures';

const TANAKA = { jsaId: '12345678901', email: 'tanaka@example.co.jp' };

const labels = {
  ja: {
    toLogin: 'ログインへ',
    forgot: 'ID 忘れ・パスワード忘れ',
    email: /メールアドレス/,
    request: 'サポートメール依頼',
    received: '受付完了',
    identifier: /JSA-ID またはメールアドレス/,
    code: /変更権限コード/,
    confirm: '確認',
    register: '登録',
    done: 'パスワードの登録が完了しました',
  },
  en: {
    toLogin: 'Go to login',
    forgot: 'Forgot ID or password',
    email: /Email address/,
    request: 'Request support email',
    received: 'Request received',
    identifier: /JSA-ID or email address/,
    code: /^Authorization code/,
    confirm: 'Confirm',
    register: 'Register',
    done: 'Your password has been registered',
  },
} as const;

/** Every axe rule (not only the WCAG-tagged ones); serious and critical findings fail. */
async function expectNoSeriousViolations(page: Page, screen: string, found: string[]): Promise<void> {
  await page.waitForLoadState('networkidle');
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  found.push(...bad.map((v) => `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  // Minor and moderate findings are reported, not failed, so they are seen and can be fixed.
  for (const v of result.violations.filter((x) => !bad.includes(x))) console.log(`a11y ${screen}: ${v.id} (${v.impact})`);
}

for (const locale of ['ja', 'en'] as const) {
  test(`every kiosk screen in ${locale === 'ja' ? 'Japanese' : 'English'} has no serious or critical axe violation`, async ({ page, webApp }) => {
    const l = labels[locale];
    const found: string[] = [];
    await page.goto(webApp.url);
    if (locale === 'en') {
      await page.getByRole('button', { name: 'English' }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    }
    await expectNoSeriousViolations(page, 'トップ', found);

    await page.getByRole('button', { name: l.toLogin }).click();
    // ASVS 5.0 V6.2.6: the password is masked.
    await expect(page.locator('#login-password')).toHaveAttribute('type', 'password');
    await expectNoSeriousViolations(page, 'ログイン', found);

    await page.getByRole('button', { name: l.forgot }).click();
    await expectNoSeriousViolations(page, 'ID忘れ・パスワード忘れ', found);
    await page.getByRole('button', { name: l.request }).click();
    await expect(page.getByRole('alert').first()).toBeVisible();
    await expectNoSeriousViolations(page, 'ID忘れ・パスワード忘れ (errors shown)', found);

    await page.getByLabel('JSA-ID', { exact: true }).fill(TANAKA.jsaId);
    await page.getByLabel(l.email).fill(TANAKA.email);
    await page.getByRole('button', { name: l.request }).click();
    const dialog = page.getByRole('dialog', { name: l.received });
    await expect(dialog).toBeVisible();
    await expectNoSeriousViolations(page, '受付完了', found);
    await dialog.getByRole('button', { name: 'OK' }).click();

    await expect(page.getByLabel(l.identifier)).toBeVisible();
    await expectNoSeriousViolations(page, '変更権限コード', found);
    const code = codeFrom(await webApp.waitForMail(TANAKA.email));
    await page.getByLabel(l.identifier).fill(TANAKA.jsaId);
    await page.getByLabel(l.code).fill(code);
    await page.getByRole('button', { name: l.confirm }).click();

    await expect(page.locator('#pw-new')).toBeVisible();
    await expect(page.locator('#pw-new')).toHaveAttribute('type', 'password');
    await expect(page.locator('#pw-confirm')).toHaveAttribute('type', 'password');
    await page.locator('#pw-new').fill('tanaka');
    await expectNoSeriousViolations(page, 'パスワード登録 (policy partly met)', found);
    const password = 'yuki-no-hi-no-toshokan';
    await page.locator('#pw-new').fill(password);
    await page.locator('#pw-confirm').fill(password);
    await page.getByRole('button', { name: l.register, exact: true }).click();

    await expect(page.getByRole('heading', { level: 1, name: l.done })).toBeVisible();
    await expectNoSeriousViolations(page, '完了', found);
    expect(found).toEqual([]);
  });
}
