// 同期の状態 (issue 6 §3–4) in web mode against a real central PostgreSQL: first sync done and
// online; central cut off (a TCP proxy) shows "offline since" and the queued change; a race
// between that queued edit and an edit made at central becomes a conflict on screen, which a
// supervisor-level user resolves for the kiosk's value after a confirm.
import { seedCentralAccounts, startCentral, type Central } from '../integration/support/sync-central';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { expect, test } from './fixtures';
import { loginAsAdmin, shoot, withStore } from './staff-support';

const ACCOUNTS = 3_000;

let central: Central;
let proxy: TcpProxy;
let kioskUrl: string;

test.beforeAll(async () => {
  central = await startCentral();
  await seedCentralAccounts(central, ACCOUNTS, { quiet: true });
  proxy = await startTcpProxy(central.server.port);
  kioskUrl = await central.kioskUrl('kiosk_e2e', proxy.port);
});

test.afterAll(async () => {
  await proxy?.close();
  await central?.stop();
});

test.use({
  viewport: { width: 1280, height: 900 },
  // The URL exists only once beforeAll has started central, so it is given as a fixture function.
  // eslint-disable-next-line no-empty-pattern
  env: async ({}, use) => use({ WEBDESK_CENTRAL_URL: kioskUrl }),
});

test('the sync screen shows online and the first sync; a conflict made while offline is resolved on screen', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  await page.getByRole('button', { name: '同期の状態' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '同期の状態' })).toBeVisible();
  await expect(page.getByTestId('sync-state')).toHaveText('オンライン');
  await expect(page.getByTestId('first-sync-state')).toHaveText('完了');
  await expect(page.getByTestId('first-sync-figures')).toContainText(`${ACCOUNTS.toLocaleString()} /`);
  await expect(page.getByTestId('sync-outbox')).toHaveText('0 件');
  await expect(page.getByText('未解決の競合はありません。')).toBeVisible();

  // Central goes away: the screen says since when, and the kiosk queues its edit.
  const [target] = await central.query<{ id: string }>('SELECT id FROM accounts ORDER BY id LIMIT 1');
  proxy.cut();
  await expect(page.getByTestId('sync-state')).toContainText('からオフライン');
  // Why, in the clerk's words (the driver's own English only beside it, for support).
  await expect(page.getByTestId('sync-figures')).toContainText(/最後のエラー中央データベース(のサーバーが接続を拒否しました|から応答がありません|との接続が途中で切れました)/);
  await withStore(webApp, (db) =>
    db('accounts').where({ id: target!.id }).update({ contact_name: '端末で変更', version: db.raw('version + 1'), updated_at: new Date().toISOString() }),
  );
  await expect(page.getByTestId('sync-outbox')).toHaveText('1 件');
  // Meanwhile the same account is edited at central: the kiosk's edit will lose the race.
  await central.query(`UPDATE accounts SET contact_name = '中央で変更' WHERE id = $1`, [target!.id]);

  proxy.restore();
  const conflict = page.getByTestId('conflict');
  await expect(conflict).toBeVisible();
  await expect(page.getByTestId('sync-state')).toHaveText('オンライン');
  const row = conflict.getByRole('row', { name: /contact_name/ });
  await expect(row.getByRole('cell').nth(0)).toHaveText('中央で変更');
  await expect(row.getByRole('cell').nth(1)).toHaveText('端末で変更');
  await shoot(page, 'sync');

  await conflict.getByRole('button', { name: '端末の値を適用' }).click();
  const dialog = page.getByRole('dialog', { name: '端末の値を適用しますか？' });
  await dialog.getByRole('button', { name: '端末の値を適用する' }).click();
  await expect(page.getByRole('status').filter({ hasText: '競合を解決しました。' })).toBeVisible();
  await expect(page.getByText('未解決の競合はありません。')).toBeVisible();
  await expect
    .poll(async () => (await central.query<{ contact_name: string }>('SELECT contact_name FROM accounts WHERE id = $1', [target!.id]))[0]?.contact_name)
    .toBe('端末で変更');
});
