// Steps every kiosk spec takes the same way: to ID忘れ・パスワード忘れ, fill the support-mail
// form, check a screen with axe (WCAG 2.1 A/AA, the level of JIS X 8341-3 AA), and open the
// running app's SQLite file beside it (WAL allows a second connection).
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import knex, { type Knex } from 'knex';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export const TANAKA = { jsaId: '12345678901', email: 'tanaka@example.co.jp' } as const;

export async function openForgotPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'ログインへ' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ログイン' })).toBeVisible();
  await page.getByRole('button', { name: 'ID 忘れ・パスワード忘れ' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ID忘れ・パスワード忘れ' })).toBeVisible();
}

/** Types JSA-ID and email and presses 「サポートメール依頼」; the caller checks what follows. */
export async function submitSupportMail(page: Page, jsaId: string, email: string): Promise<void> {
  await page.getByLabel('JSA-ID', { exact: true }).fill(jsaId);
  await page.getByLabel(/メールアドレス/).fill(email);
  await page.getByRole('button', { name: 'サポートメール依頼' }).click();
}

export async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(result.violations.map((v) => `${screen}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/**
 * axe on the current screen in Japanese, then in English (`english` may check what the switch
 * changed before the scan), and back to Japanese for the next step.
 */
export async function expectNoAxeViolationsJaEn(page: Page, screen: string, english?: () => Promise<void>): Promise<void> {
  await expectNoAxeViolations(page, `${screen} (ja)`);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await english?.();
  await expectNoAxeViolations(page, `${screen} (en)`);
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
}

export async function withStore<T>(dataDir: string, work: (db: Knex) => Promise<T>): Promise<T> {
  const db = knex({ client: 'sqlite3', connection: { filename: join(dataDir, 'webdesk.sqlite3') }, useNullAsDefault: true });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}
