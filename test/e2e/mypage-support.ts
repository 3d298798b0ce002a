// Helpers shared by the mypage-*.spec.ts files: log in through the real screens, read the
// store the web-mode app wrote, and pick codes out of mails.
import type { Page } from '@playwright/test';
import { expect, type Mail } from './fixtures';
import { screenshotPath } from './screenshot-path';

export const DEMO = { jsaId: '12345678901', email: 'tanaka@example.co.jp', password: 'sakura-tokei-2026', name: '田中 一郎' } as const;

export async function logIn(page: Page, url: string, password: string = DEMO.password): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'ログインへ' }).click();
  await page.locator('#login-jsa-id').fill(DEMO.jsaId);
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
}


export function confirmationCode(mail: Mail): string {
  const code = /(?:確認コード|Confirmation code): ([0-9A-Z]{10})/.exec(mail.text)?.[1];
  if (!code) throw new Error(`no confirmation code in "${mail.subject}"`);
  return code;
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(`mypage-${name}.png`), fullPage: true });
}

export { expect };
export { withStore } from './kiosk-steps';
