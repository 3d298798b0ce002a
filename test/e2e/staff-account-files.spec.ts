// 「アカウントの取り込み」 and 「アカウントの書き出し」 (issue 18 §4) in the real UI: a Shift_JIS file
// as Excel saves it (its encoding and first rows shown), a dry run with the refused rows in
// words, the import with its progress bar (found again after leaving the screen), the refused
// rows saved as CSV, and the export behind the personal-data confirmation, re-importable.
// axe in ja and en on both screens; screenshots (docs/screenshots/staff/ with `npm run screenshots`).
import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { expect, test } from './fixtures';
import { expectNoAxeViolationsJaEn } from './kiosk-steps';
import { loginAsAdmin, openScreen, shootBoth } from './staff-support';

test.use({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });

const HEADER = 'jsa_id,email,contact_name,company,department,address,phone';
const rows = [
  '11100000001,takahashi@example.co.jp,髙橋 一郎,株式会社﨑山製作所,品質保証部,神奈川県川﨑市幸区1-1,044-111-2222',
  '11100000002,sato@example.co.jp,佐藤 花子,日本規格商事株式会社,総務部,東京都港区芝5-1,03-1111-2222',
  '1234,bad@example,山田 太郎,株式会社テスト,営業部,大阪府大阪市北区1-1,06-1111-2222',
  '11100000003,ito@example.co.jp,伊藤 健太,株式会社イトウ,技術部,"東京都千代田区1-1, 第2ビル",03-3333-4444',
];

test('an admin imports a Shift_JIS file: preview, dry run, import with progress, rejected rows; then exports it back', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  await openScreen(page, 'アカウントの取り込み');
  await expectNoAxeViolationsJaEn(page, 'import, empty');

  await page.getByLabel('取り込む CSV ファイル').setInputFiles({ name: '取引先一覧.csv', mimeType: 'text/csv', buffer: iconv.encode(`${[HEADER, ...rows].join('\r\n')}\r\n`, 'cp932') });
  await page.getByRole('button', { name: 'このファイルを読み込む' }).click();
  await expect(page.getByTestId('import-encoding')).toHaveText('Shift_JIS');
  const preview = page.getByRole('table', { name: /先頭の 4 行/ });
  await expect(preview.getByRole('columnheader', { name: 'contact_name' })).toBeVisible();
  await expect(preview.getByRole('row', { name: /髙橋 一郎 株式会社﨑山製作所/ })).toBeVisible();

  await page.getByRole('button', { name: '確認だけする（ドライラン）' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'ドライランの結果（何も書き込んでいません）' })).toBeVisible();
  const counts = page.getByTestId('import-counts');
  await expect(counts).toContainText('追加される3');
  const problems = page.getByRole('table', { name: '取り込めない行（1 件）' });
  await expect(problems.getByRole('row', { name: /^4 JSA-ID は 11 桁です。いま 4 桁入力されています。/ })).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expectNoAxeViolationsJaEn(page, 'import, dry run', async () => {
    await expect(page.getByRole('table', { name: 'Rows not imported (1)' }).getByRole('row', { name: /^4 A JSA-ID has 11 digits. You entered 4./ })).toBeVisible();
  });
  await shootBoth(page, 'account-import', 'Import accounts');

  await page.getByRole('button', { name: '取り込む', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'アカウントを取り込みますか' });
  await dialog.getByRole('button', { name: '取り込む' }).click();
  await expect(page.getByRole('heading', { level: 2, name: '取り込みの結果' })).toBeVisible();
  await expect(counts).toContainText('追加した3');
  await expect(page.getByText('デモ用アカウント 3 件を削除しました（最初の取り込み）。')).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('import-progress-text')).toHaveText('4 行（100%）');

  // Leaving the screen and coming back: the run is the main process's, and still there.
  await openScreen(page, 'ダッシュボード');
  await openScreen(page, 'アカウントの取り込み');
  await expect(page.getByRole('heading', { level: 2, name: '取り込みの結果' })).toBeVisible();
  await expect(page.getByTestId('import-counts')).toContainText('追加した3');

  const rejectsDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '取り込めなかった行を保存（CSV）' }).click();
  const rejects = await rejectsDownload;
  expect(rejects.suggestedFilename()).toBe('取引先一覧-rejected.csv');
  const rejectsText = await readFile((await rejects.path())!, 'utf8');
  expect(rejectsText.startsWith('\uFEFF"line","reason","jsa_id"')).toBe(true);
  expect(rejectsText).toContain('"4","JSA-ID は 11 桁です。いま 4 桁入力されています。');

  // The export: the warning must be confirmed, in words, before anything is written.
  await openScreen(page, 'アカウントの書き出し');
  await expect(page.getByRole('heading', { level: 2, name: '書き出すアカウント：3 件' })).toBeVisible();
  await page.getByRole('button', { name: '書き出す' }).click();
  await expect(page.getByRole('alert')).toHaveText('書き出す前に、個人情報を含むことの確認にチェックを入れてください。');
  await page.getByLabel(/Shift_JIS/).check();
  await page.getByLabel('個人情報を含むファイルであることを確認しました').check();
  await expectNoAxeViolationsJaEn(page, 'export');
  await shootBoth(page, 'account-export', 'Export accounts');
  const exportDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '書き出す' }).click();
  const exported = await exportDownload;
  expect(exported.suggestedFilename()).toMatch(/^accounts-\d{8}-\d{4}-sjis\.csv$/);
  const exportedBytes = await readFile((await exported.path())!);
  const text = iconv.decode(exportedBytes, 'cp932');
  expect(text.split('\r\n')[0]).toBe(HEADER);
  expect(text).toContain('"11100000001","takahashi@example.co.jp","髙橋 一郎","株式会社﨑山製作所"');
  await expect(page.getByRole('status')).toContainText('（3 件）を保存しています。');

  // Imported again, the export changes nothing.
  await openScreen(page, 'アカウントの取り込み');
  await page.getByLabel('取り込む CSV ファイル').setInputFiles({ name: exported.suggestedFilename(), mimeType: 'text/csv', buffer: exportedBytes });
  await page.getByRole('button', { name: 'このファイルを読み込む' }).click();
  await expect(page.getByTestId('import-file')).toContainText(exported.suggestedFilename());
  await page.getByRole('button', { name: '確認だけする（ドライラン）' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'ドライランの結果（何も書き込んでいません）' })).toBeVisible();
  await expect(page.getByTestId('import-counts')).toContainText('変更なし3');
  await expect(page.getByTestId('import-counts')).toContainText('取り込めない行0');
});
