// Playwright fixtures: every test gets its own web-mode app (fresh WEBDESK_DATA_DIR, free
// port), like mattermost's per-test user-data folder. Built on the testers' kit
// (test/kit/webdesk-kit.ts, docs/testing.md), so what the guide shows is what this suite runs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type TestInfo } from '@playwright/test';
import { launchWebApp, type WebApp } from '../kit/webdesk-kit';

export { codeFrom, linkFrom, type Mail, type WebApp } from '../kit/webdesk-kit';

interface Options {
  /** Run-time settings written before the app starts (settings-set KEY JSON). */
  settings: Record<string, unknown>;
  /** true: deliver mail to a real SMTP peer in the test process instead of the maildrop. */
  smtp: boolean;
  /** Extra environment for the app (WEBDESK_CENTRAL_URL …); a spec may compute it in a fixture function. */
  env: Record<string, string>;
  /** The README's demo accounts even in kiosk mode (test/kit/webdesk-kit.ts). */
  demoAccounts: boolean;
}

export const test = base.extend<Options & { webApp: WebApp }>({
  settings: [{}, { option: true }],
  smtp: [false, { option: true }],
  env: [{}, { option: true }],
  demoAccounts: [false, { option: true }],
  webApp: async ({ settings, smtp, env, demoAccounts }, use, testInfo) => {
    const app = await launchWebApp({ settings, smtp, env, demoAccounts });
    try {
      await use(app);
    } finally {
      // The data folder goes with close(): a failed test keeps the app's own account of it
      // (main.log: calls by name and outcome, faults; no personal data) beside its trace.
      if (testInfo.status !== testInfo.expectedStatus) await attachAppLog(testInfo, app);
      await app.close();
    }
  },
});

export { expect };

const LOG_TAIL_LINES = 40;

async function attachAppLog(testInfo: TestInfo, app: WebApp): Promise<void> {
  const log = join(app.dataDir, 'logs', 'main.log');
  if (existsSync(log)) {
    await testInfo.attach('main.log', { path: log, contentType: 'text/plain' });
    // The reporter prints a failed test's output: CI's log then shows what the app saw last.
    const tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
    console.error(`main.log of this test's app, last ${LOG_TAIL_LINES} lines:\n${tail}`);
  }
  await testInfo.attach('web mode output', { body: app.output(), contentType: 'text/plain' });
}
