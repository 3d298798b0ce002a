// The clerk's journeys in web mode, mails read from a real SMTP peer: lookup with width and
// kana folding, identity checks approved and refused, a reset on the customer's behalf
// through to their new password, unlock, the audit CSV, and an agent refused a
// supervisor's action both on screen and at the contract.
import { readFileSync } from 'node:fs';
import { codeFrom, expect, linkFrom, test } from './fixtures';
import { addInquiry, callAs, createStaffInUi, loginAsAdmin, shoot, switchTo, withStore } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 }, smtp: true });

test('lookup folds width and kana; a reset sent for the customer ends in their new password', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  // An unconfigured kiosk opens 初期設定 for the admin first.
  await page.getByRole('button', { name: 'ダッシュボード' }).click();
  await shoot(page, 'dashboard-empty');
  await page.getByRole('button', { name: 'アカウント検索' }).click();
  for (const query of ['１２３４５６７８９０１', '田中　一郎', 'ＴＡＮＡＫＡ＠example.co.jp', '(株)サンプル商事', '０３−１２３４−５６７８']) {
    await page.locator('#lookup-query').fill(query);
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await expect(page.getByRole('row', { name: /•••••••8901/ }), query).toBeVisible();
  }
  await page.locator('#lookup-query').fill('さんぷる');
  await page.getByRole('button', { name: '検索', exact: true }).click();
  await expect(page.getByRole('row', { name: /•••••••8901/ })).toBeVisible();
  await shoot(page, 'lookup');

  await page.getByRole('button', { name: '•••••••8901' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'アカウントの詳細' })).toBeVisible();
  await page.getByRole('button', { name: '再設定メールを送る' }).click();
  await expect(page.getByRole('status').filter({ hasText: 't•••••@example.co.jp' })).toBeVisible();
  await expect(page.getByRole('row', { name: /スタッフ代行/ })).toContainText('未使用');
  await shoot(page, 'account');
  // The code is never on the staff screen.
  const mail = await webApp.waitForMail('tanaka@example.co.jp', '変更権限コード');
  const code = codeFrom(mail);
  await expect(page.locator('body')).not.toContainText(code);

  // The customer, with the mail on their phone.
  const customer = await page.context().browser()!.newPage();
  // The link in the mail opens 変更権限コード; the customer types the code from the same mail.
  await customer.goto(linkFrom(mail));
  await customer.getByLabel(/変更権限コード/).fill(code);
  await customer.getByRole('button', { name: '確認' }).click();
  await customer.locator('#pw-new').fill('aozora-no-shita-de-2026');
  await customer.locator('#pw-confirm').fill('aozora-no-shita-de-2026');
  await customer.getByRole('button', { name: '登録' }).click();
  await expect(customer.getByRole('heading', { level: 1, name: 'パスワードの登録が完了しました' })).toBeVisible();
  await customer.close();

  await page.getByRole('button', { name: 'アカウント検索' }).click();
  await page.locator('#lookup-query').fill('12345678901');
  await page.getByRole('button', { name: '検索', exact: true }).click();
  await page.getByRole('button', { name: '•••••••8901' }).click();
  await expect(page.getByRole('row', { name: /スタッフ代行/ })).toContainText('完了');

  await page.getByRole('button', { name: 'ダッシュボード' }).click();
  await expect(page.getByText('完了率')).toBeVisible();
  await expect(page.locator('.staff-card').filter({ hasText: '完了率' })).toContainText('100%');
  await shoot(page, 'dashboard');
});

test('identity checks: a match is approved (JSA-ID to the registered address), a different address is refused', async ({ page, webApp }) => {
  const match = await addInquiry(
    webApp,
    'jsa_id_unknown',
    { address: '東京都港区三田３－１３－１２', company: '(株)サンプル商事', department: '品質保証部', name: '田中 一郎', phone: '03-1234-5678' },
    'ichiro.home@example.net',
  );
  const wrong = await addInquiry(
    webApp,
    'jsa_id_unknown',
    { address: '福岡県福岡市博多区博多駅前1-1-1', company: '株式会社サンプル商事', department: '品質保証部', name: '田中 一郎', phone: '03-1234-5678' },
    'someone@example.net',
  );
  await loginAsAdmin(page, webApp);
  const agentOtp = await createStaffInUi(page, 'kato', '窓口担当');
  await switchTo(page, webApp.url, 'kato', agentOtp);

  await page.getByRole('button', { name: '本人確認の依頼' }).click();
  await page.getByRole('button', { name: `確認する ${match}` }).click();
  await expect(page.getByText('本人と確認できます')).toBeVisible();
  await shoot(page, 'identity-match');
  await page.getByRole('button', { name: '承認する' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'JSA-ID をご登録のメールアドレスに送りました' })).toBeVisible();
  const jsaMail = await webApp.waitForMail('tanaka@example.co.jp', 'JSA-ID のお知らせ');
  expect(jsaMail.text).toContain('12345678901');
  await expect(page.locator('body')).not.toContainText('12345678901');

  await page.getByRole('button', { name: '一覧に戻る' }).click();
  await page.getByRole('button', { name: `確認する ${wrong}` }).click();
  await expect(page.getByText(/ご住所または会社名が異なるため/).first()).toBeVisible();
  await expect(page.getByRole('row', { name: /ご住所/ }).first()).toContainText('不一致');
  await shoot(page, 'identity-refuse');
  // An agent is not offered the approval a supervisor's override needs; the screen says who can.
  await expect(page.getByRole('button', { name: '承認する' })).toHaveCount(0);
  await expect(page.getByTestId('override-needs-role')).toContainText('責任者による例外承認が必要です');
  // The server refuses it anyway, naming the role.
  const review = await callAs(page, webApp.url, 'staff.inquiries.list', { status: 'open' });
  const inquiryId = (review.value as { items: Array<{ inquiryId: string; reference: string }> }).items.find((i) => i.reference === wrong)!.inquiryId;
  const detail = await callAs(page, webApp.url, 'staff.inquiries.get', { inquiryId });
  const accountId = (detail.value as { candidates: Array<{ account: { accountId: string } }> }).candidates[0]!.account.accountId;
  expect(
    (await callAs(page, webApp.url, 'staff.inquiries.decide', { inquiryId, decision: 'approve', accountId, reasonTemplate: 'other', overrideReason: '電話で確認' })).error,
  ).toEqual({ code: 'FORBIDDEN', params: { role: 'supervisor' } });
  await page.locator('#inq-reason').selectOption('address-mismatch');
  await page.getByRole('button', { name: 'お断りする' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'お断りしました' })).toBeVisible();
  const refusal = await webApp.waitForMail('someone@example.net', 'お問合せの受付結果');
  expect(refusal.text).toContain('ご住所が、ご登録の情報と異なっていました');
});

test('an agent is refused unlocking on screen and at the contract; a supervisor unlocks; the audit log exports as CSV', async ({ page, webApp }) => {
  await withStore(webApp, async (db) => {
    const account = (await db('accounts').where({ jsa_id: '12345678901' }).first()) as { id: string };
    await db('account_locks').insert({ account_id: account.id, kind: 'reset', reason: 'too-many-code-failures', locked_at: new Date().toISOString() });
  });
  await loginAsAdmin(page, webApp);
  const agentOtp = await createStaffInUi(page, 'agent1', '窓口担当');
  const supervisorOtp = await createStaffInUi(page, 'super1', '責任者');
  await switchTo(page, webApp.url, 'agent1', agentOtp);

  await page.getByRole('button', { name: 'アカウント検索' }).click();
  await page.locator('#lookup-query').fill('田中');
  await page.getByRole('button', { name: '検索', exact: true }).click();
  await page.getByRole('button', { name: '•••••••8901' }).click();
  // Not offered to an agent: the screen says a supervisor lifts it.
  await expect(page.getByRole('button', { name: 'パスワード再設定の停止を解除' })).toHaveCount(0);
  await expect(page.getByTestId('unlock-needs-role')).toContainText('停止の解除は責任者が行います');

  // The same call made directly, with the agent's session cookie: refused by the contract.
  const direct = await page.request.post(`${webApp.url}/api/call/staff.audit.list`, {
    headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1', Origin: webApp.url },
    data: {},
  });
  expect(direct.status()).toBe(403);
  expect(await direct.json()).toEqual({ ok: false, error: { code: 'FORBIDDEN', params: { role: 'supervisor' } } });

  await switchTo(page, webApp.url, 'super1', supervisorOtp);
  await page.getByRole('button', { name: 'アカウント検索' }).click();
  await page.locator('#lookup-query').fill('田中');
  await page.getByRole('button', { name: '検索', exact: true }).click();
  await page.getByRole('button', { name: '•••••••8901' }).click();
  await page.locator('#acc-unlock-reason').fill('運転免許証で確認');
  await page.getByRole('button', { name: 'パスワード再設定の停止を解除' }).click();
  await expect(page.getByRole('status').filter({ hasText: '停止を解除しました' })).toBeVisible();

  await page.getByRole('button', { name: '監査ログ' }).click();
  await page.locator('#audit-action').selectOption({ label: 'パスワード再設定の停止を解除' });
  await page.getByRole('button', { name: '絞り込む' }).click();
  // The filtered answer (header row and the one entry), not the unfiltered list still on screen.
  await expect(page.getByTestId('audit-entries').getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('row', { name: /パスワード再設定の停止を解除/ })).toContainText('super1 さん（super1）');
  await shoot(page, 'audit');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV で書き出す' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
  const csv = readFileSync((await download.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.toString('utf8')).toContain('"reset.unlocked","パスワード再設定の停止を解除"');
  await page.getByRole('button', { name: 'ハッシュの連鎖を検証' }).click();
  await expect(page.getByRole('status').filter({ hasText: '改ざんは見つかりませんでした' })).toBeVisible();

  await page.getByRole('button', { name: 'メール送信状況' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'メール送信状況' })).toBeVisible();
  await shoot(page, 'outbox');

  await page.getByRole('button', { name: 'ログアウト' }).click();
  // A password used before is refused (history), so the admin picks another one this time.
  await loginAsAdmin(page, webApp, 'mado-no-soto-wa-yuki-2026');
  await page.getByRole('button', { name: '設定', exact: true }).click();
  await page.locator('#set-staffCodeLifetimeHours').fill('8');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByRole('status').filter({ hasText: '設定を保存しました' })).toBeVisible();
  await shoot(page, 'settings');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
});
