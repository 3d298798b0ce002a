// The Electron shell's security settings in a real window (Electron security checklist 3, 4,
// 7, 13, 14): what test/unit/app/window-security.test.ts checks through fakes, here checked
// against Electron itself. Skipped with the reason from electronBinary() where the binary is
// missing (it is downloaded on first launch, impossible offline; DESIGN §8).
import type { ElectronApplication, Page } from '@playwright/test';
import { electronBinary, launchElectronApp, type ElectronApp } from '../kit/webdesk-kit';
import { expect, test } from './fixtures';

const binary = electronBinary();

/** Set in the main process by the navigation test: how the window answered its next navigation. */
type NavigationProbe = typeof globalThis & { navigationAnswer?: Promise<{ url: string; refused: boolean }> };

test.describe('Electron shell security', () => {
  test.skip('missing' in binary, 'missing' in binary ? binary.missing : '');

  let launched: ElectronApp;
  let app: ElectronApplication;
  let page: Page;

  test.beforeEach(async () => {
    launched = await launchElectronApp();
    app = launched.app;
    page = launched.window;
  });

  test.afterEach(async () => {
    await launched?.close();
  });

  test('the window runs isolated and sandboxed, without Node or webviews', async () => {
    // Electron has no getter for the preferences a window got; their effects are checked instead.
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as { webdesk: object }).webdesk).sort())).toEqual(['call', 'onDeepLink', 'saveDownload']);
    // contextIsolation: what the preload exposed is a frozen copy the page cannot rewire.
    expect(await page.evaluate(() => Object.isFrozen((globalThis as unknown as { webdesk: object }).webdesk))).toBe(true);
    // no <webview>: the tag is an unknown element here.
    expect(await page.evaluate(() => document.createElement('webview') instanceof HTMLUnknownElement)).toBe(true);
  });

  test('the CSP is enforced: no eval, no inline script, no foreign fetch', async () => {
    expect(await page.evaluate(() => {
      try {
        return String(eval('1 + 1'));
      } catch (error) {
        return (error as Error).name;
      }
    })).toBe('EvalError');
    expect(await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.appendChild(s);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    })).toBe(false);
    expect(await page.evaluate(() => fetch('https://example.com/').then(() => 'fetched', () => 'blocked'))).toBe('blocked');
  });

  test('navigation away and window.open are refused', async () => {
    const before = page.url();
    // The main process's answer to the attempt is the state to wait for: a listener added after
    // hardenWindow's runs after it and reads whether it refused.
    await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents;
      (globalThis as NavigationProbe).navigationAnswer = new Promise((resolve) => {
        contents.once('will-navigate', (event, url) => resolve({ url, refused: event.defaultPrevented }));
      });
    });
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    expect(await app.evaluate(() => (globalThis as NavigationProbe).navigationAnswer)).toEqual({ url: 'https://example.com/', refused: true });
    expect(page.url()).toBe(before);
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });

  test('calls from the page go through the contract over IPC, and unknown names are refused in the preload', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as { webdesk: { call(n: string, i: unknown): Promise<unknown> } }).webdesk.call('app.info', {}))).toMatchObject({ ok: true, value: { transport: 'ipc' } });
    expect(await page.evaluate(() => (globalThis as unknown as { webdesk: { call(n: string, i: unknown): Promise<unknown> } }).webdesk.call('staff.dropDatabase', {}))).toEqual({ ok: false, error: { code: 'UNKNOWN_CALL' } });
  });

  test('the file channel saves only a download ticket this window was issued (no dialog otherwise)', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as { webdesk: { saveDownload(t: string): Promise<unknown> } }).webdesk.saveDownload('made-up'))).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
