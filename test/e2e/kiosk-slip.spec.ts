// Issue 15: the 受付票. Web mode prints with the browser; here Chromium renders the print
// stylesheet to PDF (page.pdf) on 80 mm receipt paper and on A4, and poppler's pdftotext
// reads it back: the reference is there, and no code, link, address or full JSA-ID is.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoAxeViolations, openForgotPage, submitSupportMail, TANAKA } from './kiosk-steps';
import { expectTouchTargets } from './touch-steps';

test.use({ env: { WEBDESK_MODE: 'kiosk' }, demoAccounts: true, viewport: { width: 1280, height: 1024 } });

async function pdfText(page: Page, paper: 'receipt' | 'A4'): Promise<string> {
  const pdf = await page.pdf(paper === 'A4' ? { format: 'A4' } : { width: '80mm', height: '200mm' });
  const dir = mkdtempSync(join(tmpdir(), 'webdesk-slip-'));
  try {
    writeFileSync(join(dir, 'slip.pdf'), pdf);
    const out = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', join(dir, 'slip.pdf'), '-'], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    return out.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** window.print in web mode: counted instead of opening a dialog in the test browser. */
async function countPrints(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as unknown as { __prints: number }).__prints = 0;
    window.print = () => {
      (window as unknown as { __prints: number }).__prints += 1;
    };
  });
}
const prints = (page: Page) => page.evaluate(() => (window as unknown as { __prints: number }).__prints);

const squash = (s: string) => s.replace(/\s+/g, '');

test('受付完了: the slip holds the masked JSA-ID, time, counter, next steps and contact — no code, link or address', async ({ page, webApp }) => {
  await countPrints(page);
  await openForgotPage(page, webApp.url);
  await submitSupportMail(page, TANAKA.jsaId, TANAKA.email);
  const dialog = page.getByRole('dialog', { name: '受付完了' });
  await expect(dialog).toBeVisible();
  await expectNoAxeViolations(page, '受付完了 with 受付票を印刷');
  await expectTouchTargets(page, '受付完了');
  await dialog.getByRole('button', { name: '受付票を印刷' }).click();
  expect(await prints(page)).toBe(1);
  await webApp.waitForMail(TANAKA.email);

  for (const paper of ['receipt', 'A4'] as const) {
    const text = squash(await pdfText(page, paper));
    expect(text, paper).toContain('受付票');
    expect(text).toContain('•••••••8901');
    expect(text).toContain('e2e-kiosk');
    expect(text).toContain(squash('ID 忘れ・パスワード忘れ'));
    expect(text).toContain('次の手順');
    expect(text).toContain('webdesk@jisa.or.jp');
    expect(text).toMatch(/\d{4}\/\d{2}\/\d{2}\d{2}:\d{2}/);
    // Nothing else of the screen behind, and nothing a passer-by could use.
    expect(text).not.toContain(TANAKA.jsaId);
    expect(text).not.toContain(TANAKA.email);
    expect(text).not.toContain('http');
    expect(text).not.toContain('変更権限コード:');
    expect(text).not.toContain('サポートメール依頼'.repeat(2));
    expect(text).not.toContain('OK');
  }
});

test('inquiry: the slip holds the WD- reference and none of the form', async ({ page, webApp }) => {
  await countPrints(page);
  await openForgotPage(page, webApp.url);
  await page.getByRole('button', { name: 'JSA-ID が分からない方' }).click();
  const values = {
    郵便番号: '107-0052',
    ご住所: '東京都港区赤坂4-1-24',
    会社名: 'サクラデータ株式会社',
    部署名: '総務部',
    お名前: '田中 一郎',
    電話番号: '03-1234-5678',
    ご連絡先メールアドレス: 'reply@example.co.jp',
  };
  for (const [label, value] of Object.entries(values)) await page.getByLabel(new RegExp(label)).fill(value);
  await page.getByRole('button', { name: '送信する' }).click();
  const reference = (await page.getByTestId('inquiry-reference').innerText()).trim();
  expect(reference).toMatch(/^WD-[0-9A-Z]{8}$/);
  await expectTouchTargets(page, '受付番号');
  await expectNoAxeViolations(page, '受付番号 with 受付票を印刷');
  await page.getByRole('button', { name: '受付票を印刷' }).click();
  expect(await prints(page)).toBe(1);

  for (const paper of ['receipt', 'A4'] as const) {
    const text = squash(await pdfText(page, paper));
    expect(text, paper).toContain(reference);
    expect(text).toContain(squash('JSA-ID が分からない方'));
    expect(text).toContain('e2e-kiosk');
    for (const value of Object.values(values)) expect(text, `not on the slip: ${value}`).not.toContain(squash(value));
    expect(text).not.toContain('http');
  }
});
