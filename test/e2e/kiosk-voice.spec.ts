// Issue 15: 音声案内. speechSynthesis is replaced by a recorder before the page loads, so the
// test sees every line the kiosk would say; none may hold what was typed, a code or a password.
import type { Page } from '@playwright/test';
import { codeFrom, expect, test } from './fixtures';
import { submitSupportMail, TANAKA } from './kiosk-steps';

/** A recording speechSynthesis with the given installed voices (none: the switch must say so). */
async function stubSpeech(page: Page, voices: { lang: string; name: string }[]): Promise<void> {
  await page.addInitScript((installed) => {
    const spoken: { text: string; lang: string; voice: string }[] = [];
    (window as unknown as { __spoken: typeof spoken }).__spoken = spoken;
    class Utterance {
      text: string;
      lang = '';
      voice: { name: string } | null = null;
      constructor(text: string) {
        this.text = text;
      }
    }
    Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
    Object.defineProperty(window, 'speechSynthesis', {
      configurable: true,
      value: {
        speak: (u: Utterance) => spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.name ?? '' }),
        cancel: () => undefined,
        getVoices: () => installed,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
      },
    });
  }, voices);
}

const spokenLines = (page: Page) => page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string; voice: string }[] }).__spoken);

test.use({ env: { WEBDESK_MODE: 'kiosk' }, demoAccounts: true, viewport: { width: 1280, height: 1024 } });

test('reads headings, instructions and errors, in ja-JP then en-US, and never what was typed', async ({ page, webApp }) => {
  await stubSpeech(page, [
    { lang: 'ja-JP', name: 'Test Japanese' },
    { lang: 'en-US', name: 'Test English' },
  ]);
  await page.goto(webApp.url);
  const toggle = page.getByRole('button', { name: '音声案内' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await spokenLines(page), 'off by default').toEqual([]);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await spokenLines(page)).map((s) => s.text)).toContain('Webdeskトップ');

  await page.getByRole('button', { name: 'ログインへ' }).click();
  await expect.poll(async () => (await spokenLines(page)).map((s) => s.text)).toContain('ログイン');
  // A wrong password: the error is read, the password is not.
  await page.getByLabel(/JSA-ID/).first().fill(TANAKA.jsaId);
  await page.locator('#login-password').fill('wrong-password-123');
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  const alertText = (await page.getByRole('alert').innerText()).replace(/[!\s]+/g, ' ').trim();
  await expect.poll(async () => (await spokenLines(page)).some((s) => s.text.includes(alertText.slice(0, 10)))).toBe(true);

  await page.getByRole('button', { name: 'ID 忘れ・パスワード忘れ' }).click();
  await expect.poll(async () => (await spokenLines(page)).map((s) => s.text)).toContain('ID忘れ・パスワード忘れ');
  await submitSupportMail(page, '1234567890', TANAKA.email);
  await expect(page.getByRole('alert')).toContainText('10');
  await expect.poll(async () => (await spokenLines(page)).some((s) => s.text.includes('10 桁'))).toBe(true);
  await submitSupportMail(page, TANAKA.jsaId, TANAKA.email);
  await expect(page.getByRole('dialog', { name: '受付完了' })).toBeVisible();
  await expect.poll(async () => (await spokenLines(page)).map((s) => s.text)).toContain('受付完了');
  await page.getByRole('button', { name: 'OK' }).click();

  const code = codeFrom(await webApp.waitForMail(TANAKA.email));
  await page.getByLabel(/JSA-ID またはメールアドレス/).fill(TANAKA.email);
  await page.getByLabel(/変更権限コード/).fill('ZZZZZZZZZZ');
  await page.getByRole('button', { name: '確認' }).click();
  await expect(page.getByRole('alert')).toContainText('メールのリンクから開くと理由が表示されます');
  await expect.poll(async () => (await spokenLines(page)).some((s) => s.text.includes('メールのリンクから開くと理由が表示されます'))).toBe(true);
  await page.getByLabel(/変更権限コード/).fill(code);
  await page.getByRole('button', { name: '確認' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'パスワード登録' })).toBeVisible();
  const password = 'Tsuki-ga-Kirei#77';
  await page.locator('#pw-new').fill(password);
  await page.locator('#pw-confirm').fill(`${password}x`);
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByRole('alert')).toBeVisible();

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Register a password' }).or(page.getByRole('heading', { level: 1 }))).toBeVisible();
  await expect.poll(async () => (await spokenLines(page)).some((s) => s.lang === 'en-US' && s.voice === 'Test English')).toBe(true);

  const all = await spokenLines(page);
  expect(all.filter((s) => s.lang === 'ja-JP').every((s) => s.voice === 'Test Japanese')).toBe(true);
  const joined = all.map((s) => s.text.replace(/[\s-]/g, '')).join('\n');
  for (const secret of [TANAKA.jsaId, TANAKA.email, code, code.slice(0, 5), 'wrong-password-123'.replace(/-/g, ''), password.replace(/-/g, ''), 'ZZZZZZZZZZ', '1234567890']) {
    expect(joined, `never spoken: ${secret}`).not.toContain(secret);
  }
});

test('says on the switch when the machine has no voice for the language', async ({ page, webApp }) => {
  await stubSpeech(page, [{ lang: 'de-DE', name: 'Test German' }]);
  await page.goto(webApp.url);
  const toggle = page.getByRole('button', { name: '音声案内' });
  await expect(toggle).toBeDisabled();
  await expect(page.getByText('この端末には日本語の音声が入っていないため、音声案内は使えません。')).toBeVisible();
  await expect(toggle).toHaveAccessibleDescription('この端末には日本語の音声が入っていないため、音声案内は使えません。');
  expect(await spokenLines(page)).toEqual([]);
});
