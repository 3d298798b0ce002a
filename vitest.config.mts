// .mts for the same reason as vite.config.mts: an ESM config in a package without "type".
// Two Vitest projects so `npm test` can run the fast unit suite before starting
// PostgreSQL/SMTP for the integration suite (`vitest run --project unit|integration`).
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
