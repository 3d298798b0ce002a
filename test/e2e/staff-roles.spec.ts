// Each role walks every staff screen it has, and nothing on any of them is offered that the
// server would refuse (issue 16 §1). The menu is checked against the server too: a screen is
// listed exactly when its opening call is not refused. Every action button names its call
// (data-call) and is probed with the user's own session; dispatch checks the role before the
// input, so the probe changes nothing. Data on screen: a locked account, an inquiry whose
// address differs (needs a supervisor's override), a failed and an unknown mail.
import type { Page } from '@playwright/test';
import { expect, test, type WebApp } from './fixtures';
import { createStaffInUi, loginAsAdmin, seedStaffScreens, serverRefuses, switchTo, openScreen, expectScreenComplete } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 } });

type Role = 'agent' | 'supervisor' | 'admin';

/** The side navigation, grouped by task, with the call each screen opens with. */
const screens = [
  { nav: 'ダッシュボード', heading: 'ダッシュボード', opens: 'staff.dashboard' },
  { nav: 'アカウント検索', heading: 'アカウント検索', opens: 'staff.accounts.search' },
  { nav: '本人確認の依頼', heading: '本人確認の依頼', opens: 'staff.inquiries.list' },
  { nav: 'メール送信状況', heading: 'メール送信状況', opens: 'staff.outbox.list' },
  { nav: '監査ログ', heading: '監査ログ', opens: 'staff.audit.list' },
  { nav: '同期の状態', heading: '同期の状態', opens: 'sync.status' },
  { nav: '診断情報', heading: '診断情報', opens: 'ops.diagnostics' },
  { nav: 'アカウントの書き出し', heading: 'アカウントの書き出し', opens: 'accounts.export.summary' },
  { nav: 'アカウントの取り込み', heading: 'アカウントの取り込み', opens: 'accounts.import.status' },
  { nav: 'スタッフ管理', heading: 'スタッフ管理', opens: 'staff.users.list' },
  { nav: '設定', heading: '設定', opens: 'staff.settings.get' },
  { nav: '初期設定', heading: '初期設定', opens: 'ops.setup.get' },
] as const;

/** What README's staff table promises each role. */
const promised: Record<Role, string[]> = {
  agent: ['ダッシュボード', 'アカウント検索', '本人確認の依頼', 'メール送信状況', '同期の状態'],
  supervisor: ['ダッシュボード', 'アカウント検索', '本人確認の依頼', 'メール送信状況', '監査ログ', '同期の状態', '診断情報', 'アカウントの書き出し'],
  admin: screens.map((s) => s.nav),
};


/**
 * Every action on the screen names its call; none is one the server refuses this user. Buttons
 * that only move around (links, the pager, choosing a candidate) make no call of their own.
 */
async function expectOnlyAllowedActions(page: Page, url: string, where: string): Promise<string[]> {
  const main = page.getByRole('main');
  const untagged = await main
    .locator('button:visible:not([data-call]):not(.button--link):not([aria-pressed])')
    .evaluateAll((nodes) => nodes.filter((n) => !n.closest('.staff-pager')).map((n) => n.textContent?.trim() ?? ''));
  expect(untagged, `${where}: action buttons without data-call`).toEqual([]);
  const calls = [...new Set(await main.locator('[data-call]:visible').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-call')!)))];
  for (const call of calls) expect(await serverRefuses(page, url, call), `${where}: offers ${call}`).toBe(false);
  return calls;
}


async function walk(page: Page, webApp: WebApp, role: Role, reference: string): Promise<Set<string>> {
  const url = webApp.url;
  const offered = new Set<string>();
  const note = (calls: string[]) => calls.forEach((c) => offered.add(c));
  const nav = page.getByRole('navigation', { name: 'スタッフツールのメニュー' });
  await expect(nav.getByRole('button').first()).toBeVisible();

  // The menu: exactly what README promises, and exactly what the server lets this user open.
  const shown = await nav.getByRole('button').evaluateAll((nodes) => nodes.map((n) => n.firstChild?.textContent?.trim() ?? ''));
  expect(shown).toEqual(promised[role]);
  for (const screen of screens) expect(await serverRefuses(page, url, screen.opens), `${role}: ${screen.nav}`).toBe(!promised[role].includes(screen.nav));
  // Grouped by task; a group with nothing this role may open is left out.
  expect(await nav.locator('.staff-nav__heading').allTextContents()).toEqual(role === 'admin' ? ['受付', '管理', '設定'] : ['受付', '管理']);

  for (const screen of screens.filter((s) => promised[role].includes(s.nav))) {
    await openScreen(page, screen.nav, screen.heading);
    if (screen.nav === 'アカウント検索') {
      await page.locator('#lookup-query').fill('田中');
      await page.getByRole('button', { name: '検索', exact: true }).click();
      await expect(page.getByRole('row', { name: /•••••••8901/ })).toBeVisible();
      note(await expectOnlyAllowedActions(page, url, `${role} lookup`));
      await page.getByRole('button', { name: '•••••••8901' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'アカウントの詳細' })).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: 'ご登録の内容' })).toBeVisible();
      await expectScreenComplete(page);
      note(await expectOnlyAllowedActions(page, url, `${role} account detail`));
      continue;
    }
    if (screen.nav === '本人確認の依頼') {
      note(await expectOnlyAllowedActions(page, url, `${role} inquiries`));
      await page.getByRole('button', { name: `確認する ${reference}` }).click();
      await expect(page.getByText(/ご住所または会社名が異なるため/).first()).toBeVisible();
      await expectScreenComplete(page);
      note(await expectOnlyAllowedActions(page, url, `${role} identity check`));
      const overrideOffered = await page.locator('main [data-act="inquiries.override"]:visible').count();
      expect(overrideOffered, `${role}: approve with override`).toBe(role === 'agent' ? 0 : 1);
      continue;
    }
    if (screen.nav === 'メール送信状況') await expect(page.getByRole('row', { name: /ログイン停止のお知らせ/ })).toBeVisible();
    if (screen.nav === '監査ログ') await expect(page.getByTestId('audit-entries')).toBeVisible();
    if (screen.nav === '診断情報') await expect(page.getByTestId('diag-figures')).toBeVisible();
    if (screen.nav === 'スタッフ管理') await expect(page.getByRole('row', { name: /admin/ })).toBeVisible();
    note(await expectOnlyAllowedActions(page, url, `${role} ${screen.nav}`));
  }
  return offered;
}

test.describe('each role sees only what it may use', () => {
  test('an agent: the counter screens, no unlock, no retry, no override', async ({ page, webApp }) => {
    const reference = await seedStaffScreens(webApp);
    await loginAsAdmin(page, webApp);
    const otp = await createStaffInUi(page, 'kato', '窓口担当');
    await switchTo(page, webApp.url, 'kato', otp);
    // 「/」 from any screen: to the account search, focused; typed into a field, it is just a character.
    await expect(page.getByRole('heading', { level: 1, name: 'ダッシュボード' })).toBeVisible();
    await page.keyboard.press('/');
    await expect(page.getByRole('heading', { level: 1, name: 'アカウント検索' })).toBeVisible();
    await expect(page.locator('#lookup-query')).toBeFocused();
    await page.keyboard.type('03/1234');
    await expect(page.locator('#lookup-query')).toHaveValue('03/1234');
    const offered = await walk(page, webApp, 'agent', reference);
    for (const call of ['staff.locks.lift', 'staff.outbox.retry', 'staff.outbox.resolveUnknown', 'staff.audit.export']) expect(offered.has(call), call).toBe(false);
    expect(offered).toContain('staff.reset.send');
    expect(offered).toContain('staff.inquiries.decide');
  });

  test('a supervisor: also unlock, retry, the unknown mails, the audit log and diagnostics', async ({ page, webApp }) => {
    const reference = await seedStaffScreens(webApp);
    await loginAsAdmin(page, webApp);
    const otp = await createStaffInUi(page, 'suzuki', '責任者');
    await switchTo(page, webApp.url, 'suzuki', otp);
    const offered = await walk(page, webApp, 'supervisor', reference);
    for (const call of ['staff.locks.lift', 'staff.outbox.retry', 'staff.outbox.resolveUnknown', 'staff.audit.export', 'ops.supportBundle', 'accounts.export.begin']) expect(offered.has(call), call).toBe(true);
    for (const call of ['ops.backupNow', 'ops.purgeNow', 'staff.users.create', 'accounts.import.beginUpload']) expect(offered.has(call), call).toBe(false);
  });

  test('an admin: every screen and every action', async ({ page, webApp }) => {
    const reference = await seedStaffScreens(webApp);
    await loginAsAdmin(page, webApp);
    const offered = await walk(page, webApp, 'admin', reference);
    for (const call of ['ops.backupNow', 'ops.purgeNow', 'staff.users.create', 'staff.settings.update', 'ops.setup.save', 'accounts.import.beginUpload', 'accounts.export.begin']) expect(offered.has(call), call).toBe(true);
  });
});
