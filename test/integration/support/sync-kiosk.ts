// A kiosk app for sync tests: the real createApp with its own data folder and kiosk id, the
// same central URL, test-grade scrypt and fast reconnects.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { loadConfig } from '../../../src-main/app/config';
import { createApp, type App } from '../../../src-main/app/create-app';
import type { Clock } from '../../../src-main/services/clock';
import type { SyncOptions } from '../../../src-main/services/sync/sync-engine';
import { recordingSleep, TEST_SCRYPT } from './test-app';
import { makeTempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import type { Central } from './sync-central';

export interface KioskOptions {
  dataDir: string;
  kioskId: string;
  centralUrl: string;
  startSync?: boolean;
  syncOptions?: Partial<SyncOptions>;
  /** Time for the app's rules (cooldowns, windows); sync's scheduling keeps the monotonic clock. */
  clock?: Clock;
  /** An explicit WEBDESK_SECRET; by default none: the deployment's code key comes from central. */
  secret?: string;
  /** WEBDESK_LOG_LEVEL (default silent). */
  logLevel?: string;
  /** The installation's name sent to central (createApp's counterInstance; null: none, as a counter before central 0017). */
  counterInstance?: string | null;
}

export const FAST_SYNC: Partial<SyncOptions> = { minBackoffMs: 100, maxBackoffMs: 1_000, pollMs: 2_000 };

export function startKiosk(options: KioskOptions): Promise<App> {
  const config = loadConfig({
    WEBDESK_DATA_DIR: options.dataDir,
    WEBDESK_LOG_LEVEL: options.logLevel ?? 'silent',
    WEBDESK_KIOSK_ID: options.kioskId,
    WEBDESK_CENTRAL_URL: options.centralUrl,
    // No WEBDESK_SECRET: a code mailed by kiosk A verifies at kiosk B because both receive the
    // deployment's code key from central (issue 14), as the README's counters do.
    ...(options.secret ? { WEBDESK_SECRET: options.secret } : {}),
  });
  return createApp(config, {
    defaultLinkBase: 'web',
    firstStart: true,
    scrypt: { ...TEST_SCRYPT },
    startSync: options.startSync ?? true,
    // No backup and purge on their 60 s timer: mid-test it appends an audit entry (and streams
    // it to central) that no test asked for (startTestApp's maintenance option says more).
    maintenance: false,
    syncOptions: { ...FAST_SYNC, ...options.syncOptions },
    clock: options.clock,
    ...(options.counterInstance !== undefined ? { counterInstance: options.counterInstance } : {}),
    // The login delay yields without waiting, as in startTestApp (why: see TestAppOptions.sleep).
    sleep: recordingSleep().sleep,
  });
}

export interface KioskPair {
  a: App;
  b: App;
  /** Closes both kiosks and removes their data folders (central is the caller's). */
  close(): Promise<void>;
}

/** Kiosks A and B (own data folders and roles) on one central, both online and first-synced. */
export async function startKioskPair(central: Central): Promise<KioskPair> {
  const dirs = [await makeTempDir('webdesk-sync-a-'), await makeTempDir('webdesk-sync-b-')];
  const a = await startKiosk({ dataDir: dirs[0]!.path, kioskId: 'kiosk-a', centralUrl: await central.kioskUrl('kiosk_a') });
  const b = await startKiosk({ dataDir: dirs[1]!.path, kioskId: 'kiosk-b', centralUrl: await central.kioskUrl('kiosk_b') });
  await Promise.all([waitOnline(a), waitOnline(b)]);
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      for (const d of dirs) await d.remove();
    },
  };
}

/** Waits until the kiosk's first sync is done and it is online. */
export async function waitOnline(app: App, timeoutMs = 20_000): Promise<void> {
  await waitFor(async () => {
    const s = await app.sync!.status();
    return s.state === 'online' && s.firstSync.state === 'done' ? true : undefined;
  }, { what: `${app.config.kioskId} online`, timeoutMs });
}

/** Waits until the outbox is empty (everything pushed and acknowledged by central). */
export async function waitPushed(app: App, timeoutMs = 20_000): Promise<void> {
  await waitFor(async () => ((await app.sync!.status()).outboxDepth === 0 ? true : undefined), { what: `${app.config.kioskId} outbox empty`, timeoutMs });
}

/** The first not-yet-`seen` mail to `to` in the kiosk's maildrop folder (no SMTP configured) that `pick` accepts. */
function fromMaildrop<T>(app: App, to: string, seen: Set<string>, what: string, pick: (text: string) => T | undefined): Promise<T> {
  const dir = join(app.config.dataDir, 'maildrop');
  return waitFor(
    async () => {
      const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml') && !seen.has(f)).sort();
      for (const file of files) {
        const mail = await simpleParser(await readFile(join(dir, file)));
        const addressed = [mail.to].flat().some((a) => a?.text.toLowerCase().includes(to.toLowerCase()));
        const picked = addressed ? pick(mail.text ?? '') : undefined;
        if (picked !== undefined) {
          seen.add(file);
          return picked;
        }
      }
      return undefined;
    },
    { what: `${what} to ${to}`, timeoutMs: 15_000 },
  );
}

/** The code and token from the newest reset code mail to `to`. */
export function codeFromMaildrop(app: App, to: string, seen: Set<string>): Promise<{ code: string; token: string }> {
  return fromMaildrop(app, to, seen, 'code mail', (text) => {
    const code = /(?:パスワード変更権限コード|authorization code): ([0-9A-Z]{10})/.exec(text)?.[1];
    const token = /\/reset\/([A-Za-z0-9_-]{16,128})/.exec(text)?.[1];
    return code && token ? { code, token } : undefined;
  });
}

/** The code from the newest e-mail change code mail (確認コード) to `to`. */
export function emailChangeCodeFromMaildrop(app: App, to: string, seen: Set<string>): Promise<string> {
  return fromMaildrop(app, to, seen, 'e-mail change code', (text) => /(?:確認コード|confirmation code): ([0-9A-Z]{10})/.exec(text)?.[1]);
}
