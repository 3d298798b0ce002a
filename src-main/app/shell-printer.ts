import { BrowserWindow } from 'electron';
import type { ShellPrinter } from './create-app';

/** One print job through Chromium's printing; true when the printer accepted it. */
function printContents(contents: Electron.WebContents, deviceName: string): Promise<boolean> {
  return new Promise((resolve) => {
    // silent: no dialog at the kiosk; the print stylesheet shows only the 受付票.
    contents.print({ silent: true, deviceName, printBackground: false, margins: { marginType: 'printableArea' } }, (success) => resolve(success));
  });
}

/** Plain text only, so the test page needs no script and no styles of its own. */
const testPage = (deviceName: string, at: string) =>
  `<!doctype html><html lang="ja"><meta charset="utf-8"><title>テスト印刷</title><body><h1>JSA Webdesk テスト印刷</h1><p>プリンター: ${deviceName.replace(/[<>&"]/g, '')}</p><p>${at}</p></body></html>`;

/**
 * The Electron shell's printing for the 受付票 (issue 15): the kiosk window as it is (the
 * renderer's print stylesheet leaves only the slip), or a test page from 初期設定's 「テスト印刷」
 * in a hidden window with JavaScript off, closed after the job.
 */
export function createShellPrinter(window: () => BrowserWindow | undefined): ShellPrinter {
  return {
    async printWindow(deviceName) {
      const win = window();
      return win ? printContents(win.webContents, deviceName) : false;
    },
    async printTestPage(deviceName) {
      const page = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, javascript: false, nodeIntegration: false } });
      try {
        await page.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(testPage(deviceName, new Date().toLocaleString('ja-JP')))}`);
        return await printContents(page.webContents, deviceName);
      } finally {
        page.destroy();
      }
    },
  };
}
