// E2E against web mode in Debian's Chromium. No webServer here: the fixtures in test/e2e
// start the app per test with a fresh WEBDESK_DATA_DIR, so tests never share state.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  // 1 worker: the CI machine has 2 cores and each test runs its own app server.
  workers: 1,
  retries: 0,
  reporter: 'list',
  // Bounds, not expectations: a wait returns the moment its state arrives. What they bound is
  // CPU-bound server work — scrypt N=2^17 is 0.35 s on a quiet core and 1.5 s at load 12 on
  // this 2-core box (measured during `npm run test:stress`), and a password change does up to
  // eight of them — so they are sized for a busy machine, in one place, not per assertion.
  timeout: 180_000,
  expect: { timeout: 30_000 },
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
