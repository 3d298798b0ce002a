import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { AppError } from '../../contract/errors';
import type { Health } from '../../contract/ops-calls';
import { maskLogText } from '../log-mask';
import type { SettingsService } from '../settings-service';
import type { SetupService } from './setup-service';

/** Newest log bytes that go into a bundle: enough for a day's trouble, small enough to mail. */
export const BUNDLE_LOG_BYTES = 4 * 1024 * 1024;

/**
 * One part of the bundle, or why it could not be read: a damaged secrets.json under the
 * deployment view failed the whole bundle, when support needs the rest most. A refusal's code
 * and params only (no message: it may quote a file's contents).
 */
async function part(read: () => Promise<unknown>): Promise<unknown> {
  try {
    return await read();
  } catch (error) {
    return { unavailable: error instanceof AppError ? { code: error.code, ...error.params } : { type: error instanceof Error ? error.name : typeof error } };
  }
}

/**
 * What a kiosk sends to support: health, settings, the deployment view (passwords only as
 * "set"/"not set") and the newest logs, each line masked again on the way out (emails,
 * JSA-IDs, links) in case an older log predates the masking. No store, no mail, no secret.
 */
export async function buildSupportBundle(deps: {
  dataDir: string;
  /** Absent when the counter could not start: `startupFailure` is its one line instead. */
  app?: { health(): Promise<Health>; settings: SettingsService; setup: SetupService };
  startupFailure?: string;
  nowIso: string;
}): Promise<{ fileName: string; zip: Buffer }> {
  const zip = new yazl.ZipFile();
  const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
  const { app } = deps;
  if (app) {
    zip.addBuffer(json(await part(() => app.health())), 'health.json');
    zip.addBuffer(json(await part(() => app.settings.get())), 'settings.json');
    zip.addBuffer(json(await part(() => app.setup.view())), 'deployment.json');
  }
  if (deps.startupFailure !== undefined) zip.addBuffer(Buffer.from(`${maskLogText(deps.startupFailure)}\n`), 'startup-failure.txt');

  const logDir = join(deps.dataDir, 'logs');
  const logs = existsSync(logDir)
    ? readdirSync(logDir)
        .filter((f) => f.endsWith('.log'))
        .map((f) => ({ f, at: statSync(join(logDir, f)).mtimeMs, size: statSync(join(logDir, f)).size }))
        .sort((a, b) => b.at - a.at)
    : [];
  let budget = BUNDLE_LOG_BYTES;
  for (const log of logs) {
    if (budget <= 0) break;
    const bytes = readFileSync(join(logDir, log.f));
    const tail = bytes.subarray(Math.max(0, bytes.length - budget)).toString('utf8');
    budget -= Math.min(bytes.length, budget);
    zip.addBuffer(Buffer.from(tail.split('\n').map(maskLogText).join('\n')), `logs/${log.f}`);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return { fileName: `webdesk-support-${deps.nowIso.replace(/[:.]/g, '-')}.zip`, zip: Buffer.concat(chunks) };
}
