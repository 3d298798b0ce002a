// Playwright fixtures: every test gets its own web-mode app (fresh WEBDESK_DATA_DIR, free
// port), like mattermost's per-test user-data folder. Built on the testers' kit
// (test/kit/webdesk-kit.ts, docs/testing.md), so what the guide shows is what this suite runs.
import { test as base, expect } from '@playwright/test';
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
  webApp: async ({ settings, smtp, env, demoAccounts }, use) => {
    const app = await launchWebApp({ settings, smtp, env, demoAccounts });
    try {
      await use(app);
    } finally {
      await app.close();
    }
  },
});

export { expect };
