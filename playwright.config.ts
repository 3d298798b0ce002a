// E2E against web mode in Debian's Chromium. No webServer here: the fixtures in test/e2e
// start the app per test with a fresh WEBDESK_DATA_DIR, so tests never share state.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  // 2 workers, one per core of the CI machine: each test runs its own app server and data
  // folder, so tests share nothing. Half of a test's time is waiting on the browser or the
  // other process; the second worker fills it (the whole suite passed with 2 workers at load
  // 10–12 while other suites ran, in 13.4 min; 1 worker took 9 min on a quiet machine).
  workers: 2,
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
