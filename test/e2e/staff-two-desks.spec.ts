// Two desks, each in its own browser, on the same screen: an action made on a screen older than
// the other desk's is refused in words (role=alert), the screen then shows the other desk's
// change, and nothing of theirs is put back or repeated.
import { expect, test } from './fixtures';
import { addInquiry, changePassword, createStaffInUi, expectScreenComplete, loginAsAdmin, openScreen, STAFF_PASSWORD, staffLogin, withStore } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 } });

test('a 設定 save from a screen older than another admin’s save is refused in words and the screen shows their change', async ({ page, browser, webApp }) => {
  await loginAsAdmin(page, webApp);
  const otp = await createStaffInUi(page, 'kanri.2', '管理者');
  const otherContext = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  const other = await otherContext.newPage();
  await staffLogin(other, webApp.url, 'kanri.2', otp);
  await changePassword(other, otp, STAFF_PASSWORD);

  // Both screens open on the same settings.
  await openScreen(page, '設定');
  await openScreen(other, '設定');
  const idle = '#set-idleTimeoutSeconds';
  const before = await page.locator(idle).inputValue();

  await other.locator(idle).fill('77');
  await other.getByRole('button', { name: '保存する' }).click();
  await expect(other.getByRole('status').filter({ hasText: '設定を保存しました' })).toBeVisible();

  // The first screen still shows the old idle time; its save would have put it back.
  await expect(page.locator(idle)).toHaveValue(before);
  await page.locator('#set-staffCodeLifetimeHours').fill('8');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'ほかの管理者が設定を変更したため、保存しませんでした' }).first()).toBeVisible();
  await expect(page.locator(idle)).toHaveValue('77');
  await expect(page.getByRole('status').filter({ hasText: '設定を保存しました' })).toHaveCount(0);

  // Made again on the screen as it is now, the change is kept beside the other admin's.
  await page.locator('#set-staffCodeLifetimeHours').fill('8');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByRole('status').filter({ hasText: '設定を保存しました' })).toBeVisible();
  await other.reload();
  await openScreen(other, '設定');
  await expect(other.locator(idle)).toHaveValue('77');
  await expect(other.locator('#set-staffCodeLifetimeHours')).toHaveValue('8');
  await otherContext.close();
});

test('再送 on an account screen older than another desk’s 取消 is refused in words and the screen shows the request cancelled', async ({ page, browser, webApp }) => {
  await loginAsAdmin(page, webApp);
  const otp = await createStaffInUi(page, 'madoguchi.2', '窓口担当');
  const otherContext = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  const other = await otherContext.newPage();
  await staffLogin(other, webApp.url, 'madoguchi.2', otp);
  await changePassword(other, otp, STAFF_PASSWORD);

  const openTanaka = async (desk: typeof page) => {
    await openScreen(desk, 'アカウント検索');
    await desk.locator('#lookup-query').fill('12345678901');
    await desk.getByRole('button', { name: '検索', exact: true }).click();
    await desk.getByRole('button', { name: '•••••••8901' }).click();
    await expect(desk.getByRole('heading', { level: 1, name: 'アカウントの詳細' })).toBeVisible();
    await expectScreenComplete(desk);
  };
  await openTanaka(page);
  await page.getByRole('button', { name: '再設定メールを送る' }).click();
  await expect(page.getByRole('status').filter({ hasText: 't•••••@example.co.jp' })).toBeVisible();
  const request = (desk: typeof page) => desk.getByRole('row', { name: /スタッフ代行/ });
  await expect(request(page)).toContainText('未使用');

  // The second desk opens the customer while the request is open, then the first cancels it.
  await openTanaka(other);
  await expect(request(other)).toContainText('未使用');
  await page.getByRole('button', { name: '依頼を取り消す' }).click();
  await expect(page.getByRole('status').filter({ hasText: '依頼を取り消しました。' })).toBeVisible();
  await expect(request(page)).toContainText('取消し');

  await other.getByRole('button', { name: '同じメールを再送' }).click();
  await expect(other.getByRole('alert').filter({ hasText: 'ほかの画面で取り消されたか' }).first()).toBeVisible();
  await expect(other.getByRole('alert').filter({ hasText: 'サポートメール依頼' })).toHaveCount(0);
  await expect(request(other)).toContainText('取消し');
  await expect(other.getByRole('button', { name: '同じメールを再送' })).toHaveCount(0);
  await otherContext.close();
});

test('an 初期設定 save from a screen older than another admin’s save is refused in words and the screen shows their value', async ({ page, browser, webApp }) => {
  await loginAsAdmin(page, webApp);
  const otp = await createStaffInUi(page, 'kanri.3', '管理者');
  const otherContext = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  const other = await otherContext.newPage();
  await staffLogin(other, webApp.url, 'kanri.3', otp);
  await changePassword(other, otp, STAFF_PASSWORD);

  await openScreen(page, '初期設定');
  await openScreen(other, '初期設定');
  const support = 'お問合せ先メールアドレス';
  await other.getByLabel(support).fill('desk-two@example.jp');
  await other.getByRole('button', { name: '保存する' }).click();
  await expect(other.getByRole('status').filter({ hasText: '初期設定を保存しました。' })).toBeVisible();

  await page.getByLabel(support).fill('desk-one@example.jp');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'ほかの管理者が設定を変更したため、保存しませんでした' }).first()).toBeVisible();
  await expect(page.getByLabel(support)).toHaveValue('desk-two@example.jp');
  await otherContext.close();
});

test('送信 on an account screen older than a change of the registered address is refused in words and the screen shows the new details', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  await openScreen(page, 'アカウント検索');
  await page.locator('#lookup-query').fill('12345678901');
  await page.getByRole('button', { name: '検索', exact: true }).click();
  await page.getByRole('button', { name: '•••••••8901' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'アカウントの詳細' })).toBeVisible();
  await expectScreenComplete(page);
  await expect(page.getByText('田中 一郎')).toBeVisible();

  // Another desk approves a 担当者変更 meanwhile (written straight into the store here).
  await withStore(webApp, (db) => db('accounts').where({ jsa_id: '12345678901' }).update({ email: 'suzuki@example.co.jp', email_norm: 'suzuki@example.co.jp', contact_name: '鈴木 花子', updated_at: new Date().toISOString(), version: db.raw('version + 1') }));

  await page.getByRole('button', { name: '再設定メールを送る' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'お客様の登録内容（メールアドレスなど）が変更されたため、送信しませんでした' }).first()).toBeVisible();
  await expect(page.getByText('鈴木 花子')).toBeVisible();
  await expect(page.getByRole('row', { name: /スタッフ代行/ })).toHaveCount(0);

  await page.getByRole('button', { name: '再設定メールを送る' }).click();
  await expect(page.getByRole('status').filter({ hasText: 's•••••@example.co.jp' })).toBeVisible();
});

test('パスワード再発行 from a スタッフ管理 list older than another admin’s reissue is refused in words and issues nothing', async ({ page, browser, webApp }) => {
  await loginAsAdmin(page, webApp);
  const otp = await createStaffInUi(page, 'kanri.5', '管理者');
  // Its one-time password stays on this screen until another is issued here.
  const created = await createStaffInUi(page, 'uketsuke.5', '窓口担当');
  const otherContext = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  const other = await otherContext.newPage();
  await staffLogin(other, webApp.url, 'kanri.5', otp);
  await changePassword(other, otp, STAFF_PASSWORD);

  await openScreen(page, 'スタッフ管理');
  await openScreen(other, 'スタッフ管理');
  const reissue = (desk: typeof page) => desk.getByRole('row', { name: /uketsuke\.5/ }).getByRole('button', { name: 'パスワード再発行' });
  await reissue(other).click();
  await expect(other.getByTestId('one-time-password')).toBeVisible();

  await reissue(page).click();
  await expect(page.getByRole('alert').filter({ hasText: 'このスタッフの状態が変わった' }).first()).toBeVisible();
  await expect(page.getByTestId('one-time-password')).toHaveText(created);
  await otherContext.close();
});

test('お断りする on a 本人確認 screen older than another desk’s approval is refused in words and the screen shows the decision', async ({ page, browser, webApp }) => {
  const reference = await addInquiry(
    webApp,
    'jsa_id_unknown',
    { address: '東京都港区三田３－１３－１２', company: '(株)サンプル商事', department: '品質保証部', name: '田中 一郎', phone: '03-1234-5678' },
    'ichiro.home@example.net',
  );
  await loginAsAdmin(page, webApp);
  const otp = await createStaffInUi(page, 'sekinin.6', '責任者');
  const otherContext = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  const other = await otherContext.newPage();
  await staffLogin(other, webApp.url, 'sekinin.6', otp);
  await changePassword(other, otp, STAFF_PASSWORD);

  for (const desk of [page, other]) {
    await openScreen(desk, '本人確認の依頼');
    await desk.getByRole('button', { name: `確認する ${reference}` }).click();
    await expect(desk.getByText('本人と確認できます')).toBeVisible();
  }
  await other.getByRole('button', { name: '承認する' }).click();
  await expect(other.getByRole('status').filter({ hasText: 'JSA-ID をご登録のメールアドレスに送りました' })).toBeVisible();

  await page.locator('#inq-reason').selectOption('insufficient-information');
  await page.getByRole('button', { name: 'お断りする' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'ほかの画面ですでに判定されています' }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'お断りする' })).toHaveCount(0);
  await otherContext.close();
});
