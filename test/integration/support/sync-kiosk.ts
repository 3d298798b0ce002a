// A kiosk app for sync tests: the real createApp with its own data folder and kiosk id, the
// same central URL, test-grade scrypt and fast reconnects.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { loadConfig } from '../../../src-main/app/config';
import { createApp, type App } from '../../../src-main/app/create-app';
import type { SyncOptions } from '../../../src-main/services/sync/sync-engine';
import { TEST_SCRYPT } from './test-app';
import { waitFor } from '../../support/wait';

export interface KioskOptions {
  dataDir: string;
  kioskId: string;
  centralUrl: string;
  startSync?: boolean;
  syncOptions?: Partial<SyncOptions>;
}

export const DEPLOYMENT_SECRET = 'test-deployment-secret-shared-by-all-kiosks';

export const FAST_SYNC: Partial<SyncOptions> = { minBackoffMs: 100, maxBackoffMs: 1_000, pollMs: 2_000 };

export function startKiosk(options: KioskOptions): Promise<App> {
  const config = loadConfig({
    WEBDESK_DATA_DIR: options.dataDir,
    WEBDESK_LOG_LEVEL: 'silent',
    WEBDESK_KIOSK_ID: options.kioskId,
    WEBDESK_CENTRAL_URL: options.centralUrl,
    // One deployment, one secret: codes and tokens are stored as HMACs under it, so a code
    // mailed by kiosk A verifies at kiosk B only when both hold the same WEBDESK_SECRET.
    WEBDESK_SECRET: DEPLOYMENT_SECRET,
  });
  return createApp(config, {
    defaultLinkBase: 'web',
    scrypt: { ...TEST_SCRYPT },
    startSync: options.startSync ?? true,
    syncOptions: { ...FAST_SYNC, ...options.syncOptions },
  });
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

/** The code and token from the newest code mail in the kiosk's maildrop folder (no SMTP configured). */
export async function codeFromMaildrop(app: App, to: string, seen: Set<string>): Promise<{ code: string; token: string }> {
  const dir = join(app.config.dataDir, 'maildrop');
  return waitFor(
    async () => {
      const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml') && !seen.has(f)).sort();
      for (const file of files) {
        const mail = await simpleParser(await readFile(join(dir, file)));
        const addressed = [mail.to].flat().some((a) => a?.text.toLowerCase().includes(to.toLowerCase()));
        const code = /(?:パスワード変更権限コード|authorisation code): ([0-9A-Z]{10})/.exec(mail.text ?? '')?.[1];
        const token = /\/reset\/([A-Za-z0-9_-]{16,128})/.exec(mail.text ?? '')?.[1];
        if (addressed && code && token) {
          seen.add(file);
          return { code, token };
        }
      }
      return undefined;
    },
    { what: `code mail to ${to}`, timeoutMs: 15_000 },
  );
}

/** The code from the newest e-mail change code mail (確認コード) to `to` in the kiosk's maildrop folder. */
export async function emailChangeCodeFromMaildrop(app: App, to: string, seen: Set<string>): Promise<string> {
  const dir = join(app.config.dataDir, 'maildrop');
  return waitFor(
    async () => {
      const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml') && !seen.has(f)).sort();
      for (const file of files) {
        const mail = await simpleParser(await readFile(join(dir, file)));
        const addressed = [mail.to].flat().some((a) => a?.text.toLowerCase().includes(to.toLowerCase()));
        const code = /(?:確認コード|confirmation code): ([0-9A-Z]{10})/.exec(mail.text ?? '')?.[1];
        if (addressed && code) {
          seen.add(file);
          return code;
        }
      }
      return undefined;
    },
    { what: `e-mail change code to ${to}`, timeoutMs: 15_000 },
  );
}
