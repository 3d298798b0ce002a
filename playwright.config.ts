// E2E against web mode in Debian's Chromium. No webServer here: the fixtures in test/e2e
// start the app per test with a fresh WEBDESK_DATA_DIR, so tests never share state.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  // 1 worker: the CI machine has 2 cores and each test runs its own app server.
  workers: 1,
  retries: 0,
  reporter: 'list',
  timeout: 60_000,
  use: {
    launchOptions: {
      // Playwright's own browser download is impossible offline; Debian's chromium is used.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // --no-sandbox: CI runs as root. The rest stop Chromium from calling home.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
    locale: 'ja-JP',
    screenshot: 'only-on-failure',
  },
});
