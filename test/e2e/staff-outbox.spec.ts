// メール送信状況 with a mail whose delivery is unknown (送信結果不明, issue 8): the count and the
// explanation on top, the state and handover time in the row, and a supervisor's explicit,
// confirmed and audited resend, delivered to a real SMTP peer. axe in Japanese and English.
// The row is written into the store as a kill after the handover commit leaves it (the
// integration tests produce it for real: mail-handover.test.ts, crash-recovery.test.ts).
import { v7 as uuidv7 } from 'uuid';
import { expect, test } from './fixtures';
import { expectNoAxeViolations, expectNoAxeViolationsJaEn } from './kiosk-steps';
import { loginAsAdmin, withStore } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 }, smtp: true });

test('a mail with an unknown outcome is shown to staff and resent only on a supervisor’s confirmed word', async ({ page, webApp }) => {
  const mailId = uuidv7();
  const handoverAt = new Date(Date.now() - 5 * 60_000).toISOString();
  await withStore(webApp, (db) =>
    db('mail_outbox').insert({
      id: mailId,
      template: 'password-changed',
      locale: 'ja',
      to_address: 'tanaka@example.co.jp',
      params_json: JSON.stringify({ maskedJsaId: '•••••••8901', supportEmail: 'webdesk@jisa.or.jp', changedAt: '2026年3月1日 10:06 (JST)' }),
      secret_params: null,
      state: 'unknown',
      attempts: 1,
      next_attempt_ms: Date.now(),
      last_error: 'interrupted after the message was handed to the SMTP server',
      message_id: null,
      related_id: null,
      created_at: new Date(Date.now() - 6 * 60_000).toISOString(),
      sent_at: null,
      handover_at: handoverAt,
    }),
  );

  await loginAsAdmin(page, webApp);
  await page.getByRole('button', { name: 'メール送信状況' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'メール送信状況' })).toBeVisible();
  await expect(page.getByTestId('outbox-unknown')).toContainText('送信結果不明のメールが 1 件あります。');
  await expect(page.getByTestId('outbox-unknown')).toContainText('自動では再送しません');
  const row = page.getByRole('row', { name: /パスワード変更のお知らせ/ });
  await expect(row).toContainText('送信結果不明');
  await expect(row).toContainText('にサーバーへ受け渡し');
  await expect(row.getByRole('button', { name: '今すぐ再送' })).toHaveCount(0);
  await expectNoAxeViolationsJaEn(page, 'outbox with an unknown mail', () => expect(page.getByRole('heading', { level: 1, name: 'Mail outbox' })).toBeVisible());

  // The filter finds it under its own state.
  await page.locator('#outbox-state').selectOption({ label: '送信結果不明' });
  await expect(page.getByRole('row', { name: /パスワード変更のお知らせ/ })).toBeVisible();

  // Explicit: a dialog says what is about to happen; やめる changes nothing.
  await row.getByRole('button', { name: '未着のため再送' }).click();
  const dialog = page.getByRole('dialog', { name: '未着のため再送しますか' });
  await expect(dialog).toContainText('t•••••@example.co.jp');
  // A notice without a code has no lifetime to warn about (reset-code mails get the warning).
  await expect(dialog.getByTestId('resend-code-warning')).toHaveCount(0);
  await expectNoAxeViolations(page, 'resend confirmation (ja)');
  await dialog.getByRole('button', { name: 'やめる' }).click();
  await expect(dialog).toBeHidden();
  expect(await withStore(webApp, (db) => db('mail_outbox').where({ id: mailId }).first('state'))).toEqual({ state: 'unknown' });

  await row.getByRole('button', { name: '未着のため再送' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '未着のため再送' }).click();
  // The filtered list empties (its 「該当するものはありません。」 is a status too): find the notice by its words.
  await expect(page.getByRole('status').filter({ hasText: '再送の待ち行列に入れました' })).toBeVisible();
  const mail = await webApp.waitForMail('tanaka@example.co.jp', 'パスワードが変更されました');
  expect(mail.text).toContain('•••••••8901');
  expect((await webApp.mails()).filter((m) => m.subject.includes('パスワードが変更されました'))).toHaveLength(1);
  await expect.poll(() => withStore(webApp, (db) => db('mail_outbox').where({ id: mailId }).first('state'))).toEqual({ state: 'sent' });
  await expect(page.getByTestId('outbox-unknown')).toHaveCount(0);

  const audit = (await withStore(webApp, (db) => db('audit_log').where({ action: 'mail.unknown-resent' }).select('actor', 'detail_json'))) as Array<{ actor: string; detail_json: string }>;
  expect(audit).toHaveLength(1);
  expect(audit[0]!.actor).toMatch(/^staff:/);
  expect(JSON.parse(audit[0]!.detail_json)).toMatchObject({ mailId, handoverAt });

  // A reset-code mail whose outcome is unknown: the resend dialog warns that a late resend
  // arrives with an expired code; やめる leaves it as it was.
  const codeMailId = uuidv7();
  await withStore(webApp, (db) =>
    db('mail_outbox').insert({
      id: codeMailId,
      template: 'reset-code',
      locale: 'ja',
      to_address: 'suzuki@example.co.jp',
      params_json: JSON.stringify({}),
      secret_params: 'sealed',
      state: 'unknown',
      attempts: 1,
      next_attempt_ms: Date.now(),
      last_error: 'interrupted after the message was handed to the SMTP server',
      message_id: null,
      related_id: null,
      created_at: new Date(Date.now() - 45 * 60_000).toISOString(),
      sent_at: null,
      handover_at: new Date(Date.now() - 44 * 60_000).toISOString(),
    }),
  );
  await page.getByRole('button', { name: '再読み込み' }).click();
  await page.getByRole('row', { name: /変更権限コード/ }).getByRole('button', { name: '未着のため再送' }).click();
  const codeDialog = page.getByRole('dialog', { name: '未着のため再送しますか' });
  await expect(codeDialog.getByTestId('resend-code-warning')).toContainText('新しい申請をご案内ください');
  await codeDialog.getByRole('button', { name: 'やめる' }).click();
  expect(await withStore(webApp, (db) => db('mail_outbox').where({ id: codeMailId }).first('state'))).toEqual({ state: 'unknown' });
});
