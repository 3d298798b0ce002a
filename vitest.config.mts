// .mts for the same reason as vite.config.mts: an ESM config in a package without "type".
// Separate Vitest projects so `npm test` can run the fast unit suites before starting
// PostgreSQL/SMTP for the integration suite (`vitest run --project unit|unit-renderer|integration`).
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Renderer pieces (hooks, components) in Debian's Chromium, as the e2e specs: a real DOM,
        // real focus and real clicks, not a simulated document (docs/decisions.md).
        plugins: [react()],
        // Bundled before the first test file: found half-way, Vite would load a second copy of React.
        optimizeDeps: { include: ['react', 'react/jsx-dev-runtime', 'react-dom/client', 'i18next', 'react-i18next'] },
        test: {
          name: 'unit-renderer',
          include: ['test/unit/renderer/**/*.test.tsx'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
                args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Real PostgreSQL start-up, scrypt and SMTP round trips take seconds, not ms.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One file at a time: each file may start its own PostgreSQL; the CI box has 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
