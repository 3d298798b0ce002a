// A whole counter app in a child process, for the SIGKILL test (crash-recovery.test.ts):
// the real createApp, outbox worker and HTTP transport, with cheap scrypt. Bundled with
// esbuild by the test, like bench/run.mjs does. Prints "READY <port>" once it serves.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../src-main/app/config';
import { createApp } from '../../../src-main/app/create-app';
import { addSyntheticAccounts } from '../../../src-main/services/synthetic-accounts';
import { createHttpTransport } from '../../../src-main/transport/http';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config, { defaultLinkBase: 'web',
    firstStart: true, scrypt: { logN: 10, r: 8, p: 1 } });
  const seed = Number(process.env.CRASH_SEED_ACCOUNTS ?? 0);
  if (seed > 0) {
    await addSyntheticAccounts(app.db, app.clock, seed);
    const s = await app.settings.get();
    // Many requests per second from one "kiosk": the caps are not what this test is about.
    await app.settings.update({ limits: { ...s.limits, perKioskPerHour: 10_000, perAccountPerHour: 100, perEmailPerHour: 100, resendCooldownSeconds: 0 } }, 'staff:test');
  }
  const staticDir = join(config.dataDir, 'static');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>crash driver</title>');
  const http = createHttpTransport({
    dispatch: app.dispatch,
    sessions: app.sessions,
    timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }),
    staticDir,
  });
  const port = await http.listen(0);
  process.stdout.write(`READY ${port}\n`);
  process.on('SIGTERM', () => {
    void http
      .close()
      .then(() => app.close())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`crash-driver: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
