// First-run setup (issue 7 §1) in web mode: the admin lands on 初期設定, saves an SMTP URL and
// password pointing at a real SMTP peer started here, sends a test mail and reads it from the
// peer; 接続テスト reaches a real PostgreSQL started here and shows its version and schema.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { migrateCentral } from '../../src-main/store/central-migrations';
import { freePort } from '../support/net';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { expect, test } from './fixtures';
import { loginAsAdmin, shoot } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 } });

const SMTP_USER = 'kiosk-mailer';
const SMTP_PASSWORD = 'smtp-pass-kept-secret-42';

let postgres: PostgresServer;
let smtp: SMTPServer;
let smtpPort: number;
const received: ParsedMail[] = [];
const logins: string[] = [];

test.beforeAll(async () => {
  postgres = await startPostgres();
  await migrateCentral(postgres.url);
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    // Loopback test peer without TLS; the password must still be the one the admin saved.
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push(auth.username ?? '');
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
      else callback(new Error('bad credentials'));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((parsed) => (received.push(parsed), callback()), callback);
    },
  });
  // Port 0, read back once bound: a port asked for first and bound later can be taken in between.
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(0, '127.0.0.1', resolve);
  });
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await postgres?.stop();
});

test('the admin completes the first-run setup: SMTP with a test mail, the central database with a connection test', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  // An unconfigured kiosk opens 初期設定 by itself, and the menu marks it.
  await expect(page.getByRole('heading', { level: 1, name: '初期設定' })).toBeVisible();
  await expect(page.getByRole('button', { name: /初期設定\s*未設定/ })).toBeVisible();
  await expect(page.getByText('初期設定はまだ保存されていません')).toBeVisible();
  // WEBDESK_KIOSK_ID comes from the environment: read-only, with the reason.
  await expect(page.getByLabel('端末 ID')).toHaveAttribute('readonly', '');
  await expect(page.getByText('環境変数 WEBDESK_KIOSK_ID で指定されているため')).toBeVisible();
  await expect(page.getByTestId('smtpPassword-state')).toHaveText('パスワード：未設定');

  await page.getByLabel('SMTP サーバーの URL').fill(`smtp://${SMTP_USER}@127.0.0.1:${smtpPort}`);
  await page.getByLabel('SMTP のパスワード').fill(SMTP_PASSWORD);
  await page.getByLabel('お問合せ先メールアドレス').fill('madoguchi@example.jp');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByRole('status').filter({ hasText: '初期設定を保存しました。' })).toBeVisible();
  await expect(page.getByTestId('smtpPassword-state')).toHaveText('パスワード：設定済み');
  await expect(page.getByTestId('restart-required')).toBeVisible();
  await expect(page.getByRole('button', { name: /初期設定\s*未設定/ })).toHaveCount(0);
  // The password never comes back to the screen.
  await expect(page.getByLabel('SMTP のパスワード')).toHaveValue('');
  await expect(page.getByLabel('SMTP サーバーの URL')).toHaveValue(`smtp://${SMTP_USER}@127.0.0.1:${smtpPort}`);
  await expect(page.locator('body')).not.toContainText(SMTP_PASSWORD);

  // テストメール送信 uses the saved password (the field is empty again).
  await page.getByLabel('テストメールの宛先').fill('setup-check@example.jp');
  await page.getByRole('button', { name: 'テストメール送信' }).click();
  await expect(page.getByTestId('test-mail-result')).toContainText('テストメールを送信しました');
  await expect.poll(() => received.length).toBe(1);
  const mail = received[0]!;
  expect((Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text).toBe('setup-check@example.jp');
  expect(mail.text ?? '').toContain('e2e-kiosk');
  expect(logins).toContain(SMTP_USER);

  // 接続テスト against the real PostgreSQL: server version and central schema.
  await page.getByLabel('中央データベースの URL').fill(postgres.url);
  await page.getByRole('button', { name: '接続テスト' }).click();
  const result = page.getByTestId('test-central-result');
  await expect(result).toContainText('接続できました');
  await expect(result.getByRole('definition').first()).toHaveText(/^\d+(\.\d+)+/);
  await expect(result).toContainText(/0\d{3}_\w+/);
  await shoot(page, 'setup');

  // A wrong port is a plain failure code, not a stack.
  await page.getByLabel('中央データベースの URL').fill(`postgres://postgres@127.0.0.1:${await freePort()}/postgres`);
  await page.getByRole('button', { name: '接続テスト' }).click();
  await expect(page.getByTestId('test-central-result')).toContainText('接続できませんでした（ECONNREFUSED）。中央データベースのサーバーが接続を拒否しました（サーバーが止まっているか、ポートが違います）。');
  await expect(page.getByTestId('test-central-result')).toHaveAttribute('role', 'alert');

  // A test mail that fails says what to fix, as an alert: the port nobody listens on, then the password.
  await page.getByLabel('SMTP サーバーの URL').fill(`smtp://${SMTP_USER}@127.0.0.1:${await freePort()}`);
  await page.getByRole('button', { name: 'テストメール送信' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'テストメールを送信できませんでした（ECONNREFUSED）。' })).toContainText(
    'SMTP サーバーが接続を拒否しました。URL のホスト名とポート番号（587、465、25 など）を確認してください。',
  );
  await page.getByLabel('SMTP サーバーの URL').fill(`smtp://${SMTP_USER}@127.0.0.1:${smtpPort}`);
  await page.getByLabel('SMTP のパスワード').fill('not-the-password');
  await page.getByRole('button', { name: 'テストメール送信' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'テストメールを送信できませんでした（EAUTH）。' })).toContainText(
    'SMTP サーバーがユーザー名かパスワードを受け付けませんでした。URL のユーザー名と SMTP のパスワードを確認してください。',
  );
});
