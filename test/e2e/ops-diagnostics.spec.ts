// 診断情報 (issue 7 §2, §5, §6) in web mode: the /health figures on screen, the support bundle
// downloaded as a zip holding health.json, a backup taken now, and a purge behind a confirm.
import { readFileSync } from 'node:fs';
import yauzl from 'yauzl';
import { expect, test } from './fixtures';
import { loginAsAdmin, shoot } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 } });

/** The names and contents of every entry of a zip, read with yauzl. */
function unzip(buffer: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const out = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

test('diagnostics shows the health figures, exports the support bundle, backs up and purges', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  await page.getByRole('button', { name: '診断情報' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '診断情報' })).toBeVisible();
  const figures = page.getByTestId('diag-figures');
  await expect(figures).toContainText('e2e-kiosk');
  await expect(figures).toContainText('単独運用（中央データベース未設定）');
  await expect(figures).toContainText(/Node\.js \d+/);
  await expect(figures).toContainText(/00\d\d_\w+/);
  await expect(figures).toContainText('ok');
  await expect(page.getByTestId('diag-status')).toHaveText(/正常|要確認/);
  await expect(page.getByRole('cell', { name: '終了・期限切れのパスワード再設定依頼' })).toBeVisible();

  await page.getByRole('button', { name: '今すぐバックアップ' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'バックアップ' })).toContainText('を作成しました');
  await expect(page.getByTestId('backup-list').getByRole('row')).toHaveCount(2);

  // 今すぐ削除 asks first; やめる leaves everything as it was.
  await page.getByRole('button', { name: '今すぐ削除' }).click();
  const dialog = page.getByRole('dialog', { name: '保存期間を過ぎたデータを今すぐ削除しますか？' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'やめる' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('last-purge')).toHaveText('まだ削除していません');
  await page.getByRole('button', { name: '今すぐ削除' }).click();
  await dialog.getByRole('button', { name: '削除する' }).click();
  await expect(page.getByRole('status').filter({ hasText: '削除しました' })).toBeVisible();
  await expect(page.getByTestId('last-purge')).toContainText('再設定依頼 0 件');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'サポート用データを書き出す' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.zip$/);
  const entries = await unzip(readFileSync((await file.path())!));
  const health = JSON.parse(entries.get('health.json') ?? 'null') as { kioskId: string; status: string } | null;
  expect(health).toMatchObject({ kioskId: 'e2e-kiosk' });
  // Personal data stays out: the demo customer's address is nowhere in the bundle.
  for (const [, text] of entries) expect(text).not.toContain('tanaka@example.co.jp');
  await expect(page.getByRole('status').filter({ hasText: file.suggestedFilename() })).toBeVisible();
  await shoot(page, 'diagnostics');
});
