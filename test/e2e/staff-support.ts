// Helpers for the staff e2e specs: log in as admin (the printed one-time password, or one
// reissued with the CLI), create staff through the UI, write kiosk-form inquiries and locks
// straight into the store (the kiosk forms are another branch's screens), save screenshots.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import knex from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { expect, type WebApp } from './fixtures';
import { screenshotPath } from './screenshot-path';

export const ADMIN_PASSWORD = 'kiri-no-naka-no-tokei-2026';
export const STAFF_PASSWORD = 'madoguchi-no-hikari-2026';

/** The screen in Japanese, then in English once `englishHeading` shows, and back. */
export async function shootBoth(page: Page, name: string, englishHeading: string): Promise<void> {
  await page.screenshot({ path: screenshotPath('staff', `${name}.ja.png`), fullPage: true, animations: 'disabled' });
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: englishHeading })).toBeVisible();
  await page.screenshot({ path: screenshotPath('staff', `${name}.en.png`), fullPage: true, animations: 'disabled' });
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
}

export const shoot = (page: Page, name: string) => page.screenshot({ path: screenshotPath(`staff-${name}.png`), fullPage: true, animations: 'disabled' });

/**
 * Opens a staff screen from the side menu (the 初期設定 entry may carry its 未設定 badge) and
 * waits until the screen is complete: its heading, and <main> no longer aria-busy (every part
 * has its first answer, so the buttons that depend on it are drawn).
 */
export async function openScreen(page: Page, nav: string, heading = nav): Promise<void> {
  await page.getByRole('navigation', { name: 'スタッフツールのメニュー' }).getByRole('button', { name: new RegExp(`^${nav}( 未設定)?$`) }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await expectScreenComplete(page);
}

/** <main> has every first answer it is waiting for. */
export async function expectScreenComplete(page: Page): Promise<void> {
  await expect(page.getByRole('main')).not.toHaveAttribute('aria-busy', 'true');
}

export async function staffLogin(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/staff`);
  await page.locator('#staff-username').fill(username);
  await page.locator('#staff-password').fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
}

export async function changePassword(page: Page, current: string, next: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'パスワードの変更' })).toBeVisible();
  await page.locator('#staff-current').fill(current);
  await page.locator('#staff-next').fill(next);
  await page.locator('#staff-confirm').fill(next);
  await page.getByRole('button', { name: '変更する' }).click();
  // Production scrypt (N=2^17) for the new hash and each remembered one: seconds, not ms.
  await expect(page.getByRole('navigation', { name: 'スタッフツールのメニュー' })).toBeVisible();
}

/** A one-time password for admin from the operator's CLI, then the forced change in the UI. */
export async function loginAsAdmin(page: Page, webApp: WebApp, password = ADMIN_PASSWORD): Promise<void> {
  const otp = /one-time password (\S+)/.exec(webApp.cli('staff-reset-password', 'admin'))![1]!;
  await staffLogin(page, webApp.url, 'admin', otp);
  await changePassword(page, otp, password);
}

/** Admin creates a staff user on スタッフ管理; returns the one-time password shown once. */
export async function createStaffInUi(page: Page, username: string, role: '窓口担当' | '責任者' | '管理者'): Promise<string> {
  await page.getByRole('button', { name: 'スタッフ管理' }).click();
  await page.locator('#user-username').fill(username);
  await page.locator('#user-display').fill(`${username} さん`);
  await page.locator('#user-role').selectOption({ label: role });
  await page.getByRole('button', { name: '追加する' }).click();
  const otp = (await page.getByTestId('one-time-password').textContent())!.trim();
  expect(otp).toMatch(/^[A-Za-z0-9-]{24}$/);
  return otp;
}

/** Logs out the current staff user and logs another one in (with the forced change). */
export async function switchTo(page: Page, url: string, username: string, otp: string): Promise<void> {
  const logout = page.getByRole('button', { name: 'ログアウト' });
  if (await logout.isVisible()) await logout.click();
  await staffLogin(page, url, username, otp);
  await changePassword(page, otp, STAFF_PASSWORD);
}

/** The store of a running web app (WAL lets the test write beside the server). */
export async function withStore<T>(webApp: WebApp, work: (db: knex.Knex) => Promise<T>): Promise<T> {
  const db = knex({ client: 'sqlite3', connection: { filename: join(webApp.dataDir, 'webdesk.sqlite3') }, useNullAsDefault: true });
  try {
    await db.raw('PRAGMA busy_timeout = 5000');
    return await work(db);
  } finally {
    await db.destroy();
  }
}

let counter = 0;
export async function addInquiry(webApp: WebApp, kind: 'jsa_id_unknown' | 'contact_change', data: Record<string, string>, replyEmail: string): Promise<string> {
  counter += 1;
  const reference = `Q-E2E-${Date.now().toString(36).toUpperCase()}${counter}`;
  await withStore(webApp, (db) =>
    db('inquiries').insert({
      id: `e2e-${Date.now()}-${counter}`,
      reference,
      kind,
      status: 'open',
      data_json: JSON.stringify(data),
      reply_email: replyEmail,
      locale: 'ja',
      kiosk_id: 'e2e-kiosk',
      created_at: new Date().toISOString(),
      version: 1,
    }),
  );
  return reference;
}

/** A call straight to the server with the page's session cookie, as the renderer makes it. */
export async function callAs(page: Page, url: string, name: string, input: unknown): Promise<{ status: number; ok: boolean; value?: unknown; error?: unknown }> {
  const response = await page.request.post(`${url}/api/call/${name}`, {
    headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1', Origin: url },
    data: JSON.stringify(input),
  });
  return { status: response.status(), ...((await response.json()) as { ok: boolean; value?: unknown; error?: unknown }) };
}

/**
 * Whether the server would refuse this staff user the call, without making it: dispatch checks
 * the role before the input, so an input no call accepts answers FORBIDDEN or INVALID_INPUT.
 */
export async function serverRefuses(page: Page, url: string, name: string): Promise<boolean> {
  const answer = await callAs(page, url, name, 'role-probe');
  expect(answer.ok, `${name} must not run on a probe`).toBe(false);
  const code = (answer.error as { code: string }).code;
  expect(['FORBIDDEN', 'INVALID_INPUT'], `${name} answered ${code}`).toContain(code);
  return code === 'FORBIDDEN';
}

/**
 * Something on every staff screen: a locked account (both kinds), an inquiry whose address
 * differs (it needs a supervisor's override), a failed and an unknown mail. Returns the
 * inquiry's reference.
 */
export async function seedStaffScreens(webApp: WebApp): Promise<string> {
  await withStore(webApp, async (db) => {
    const account = (await db('accounts').where({ jsa_id: '12345678901' }).first()) as { id: string };
    const now = new Date().toISOString();
    await db('account_locks').insert([
      { account_id: account.id, kind: 'reset', reason: 'too-many-code-failures', locked_at: now },
      { account_id: account.id, kind: 'login', reason: 'too-many-password-failures', locked_at: now },
    ]);
    const mail = (state: string, template: string) => ({
      id: uuidv7(),
      template,
      locale: 'ja',
      to_address: 'tanaka@example.co.jp',
      params_json: JSON.stringify({ maskedJsaId: '•••••••8901', supportEmail: 'webdesk@jisa.or.jp', changedAt: '2026年3月1日 10:06 (JST)' }),
      secret_params: null,
      state,
      attempts: state === 'failed' ? 8 : 1,
      next_attempt_ms: Date.now() + 3_600_000,
      last_error: state === 'failed' ? '550 mailbox unavailable' : 'interrupted after the message was handed to the SMTP server',
      message_id: null,
      related_id: null,
      created_at: now,
      sent_at: null,
      handover_at: state === 'unknown' ? now : null,
    });
    await db('mail_outbox').insert([mail('failed', 'login-locked'), mail('unknown', 'password-changed')]);
  });
  return addInquiry(
    webApp,
    'jsa_id_unknown',
    { address: '福岡県福岡市博多区博多駅前1-1-1', company: '株式会社サンプル商事', department: '品質保証部', name: '田中 一郎', phone: '03-1234-5678' },
    'someone@example.net',
  );
}
