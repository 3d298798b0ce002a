import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src-main/app/config';
import { createApp, type App } from '../src-main/app/create-app';
import { addSyntheticAccounts } from '../src-main/services/synthetic-accounts';
import { createHttpTransport } from '../src-main/transport/http';

/** The kiosk's hourly caps raised, as in every bench that times customers: no benchmarked request is refused. */
export async function raiseCustomerCaps(app: App): Promise<void> {
  await app.settings.update(
    { limits: { ...(await app.settings.get()).limits, perKioskPerHour: 10_000, perAccountPerHour: 100, perEmailPerHour: 100, resendCooldownSeconds: 0 } },
    'bench',
  );
}

export interface HttpBenchApp {
  app: App;
  /** The counter's data folder (another process may open the same store). */
  dataDir: string;
  /** http://127.0.0.1:PORT of the loopback transport. */
  base: string;
  /** What the renderer sends: JSON, the custom header, our Origin and the session cookie. */
  headers: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A counter in a throwaway data folder with `accounts` synthetic accounts, fast hashing and the
 * request caps raised so no benchmarked request is refused, served by the real HTTP transport
 * with a session as a browser would hold it.
 */
export async function startHttpBenchApp(options: { prefix: string; accounts: number; mailWorker: boolean }): Promise<HttpBenchApp> {
  const dataDir = mkdtempSync(join(tmpdir(), options.prefix));
  const staticDir = join(dataDir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>bench</title>');
  const app = await createApp(loadConfig({ WEBDESK_DATA_DIR: dataDir, WEBDESK_LOG_LEVEL: 'silent', WEBDESK_KIOSK_ID: 'bench' }), {
    defaultLinkBase: 'web',
    firstStart: true,
    scrypt: { logN: 10, r: 8, p: 1 },
    startMailWorker: options.mailWorker,
  });
  await addSyntheticAccounts(app.db, app.clock, options.accounts);
  await raiseCustomerCaps(app);
  const http = createHttpTransport({
    dispatch: app.dispatch,
    sessions: app.sessions,
    timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }),
    staticDir,
  });
  const port = await http.listen(0);
  const base = `http://127.0.0.1:${port}`;
  const cookie = (await fetch(`${base}/`)).headers.get('set-cookie')!.split(';')[0]!;
  return {
    app,
    dataDir,
    base,
    headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1', Origin: base, Cookie: cookie },
    async close() {
      await http.close();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
