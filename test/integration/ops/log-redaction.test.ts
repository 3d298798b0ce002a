import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { pruneRotated, rotateIfDue } from '../../../src-main/services/log-rotation';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { kiosk } from '../support/test-app';
import { waitFor } from '../../support/wait';
import { fullReset, startOpsApp, staff } from './ops-support';

const EMAIL = 'tanaka@example.co.jp';
const JSA_ID = '12345678901';
const PASSWORD = 'Redaction-check-パス-2026';
const SMTP_PASSWORD = 'smtp-Secret-Pw-9931';

const readLogs = (dataDir: string) =>
  readdirSync(join(dataDir, 'logs'))
    .map((name) => readFileSync(join(dataDir, 'logs', name), 'utf8'))
    .join('\n');

describe('logs', () => {
  let dir: TempDir;
  let app: App;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await app?.close();
    if (process.env.KEEP_LOGS) process.stdout.write(readLogs(dir.path));
    await dir.remove();
  });

  it('hold no code, password, token, grant, e-mail address or JSA-ID after a whole reset at trace level', async () => {
    app = await startOpsApp({ dataDir: dir.path, logLevel: 'trace' });
    const { code, token, grant } = await fullReset(app, { jsaId: JSA_ID, email: EMAIL }, PASSWORD);
    // Wrong tries and a bad input log too.
    const k = kiosk(app);
    await k.call('reset.verifyCode', { token, code: 'ABCDEFGHJK' });
    await k.call('reset.request', { jsaId: '1234567890', email: EMAIL });
    // The setup path carries an SMTP password; a test mail to a closed port fails and is logged.
    const admin = staff(app, 'admin');
    await admin.ok('ops.setup.save', { smtpUrl: `smtp://mailer:${SMTP_PASSWORD}@127.0.0.1:1` });
    await admin.ok('ops.testMail', { to: EMAIL });
    // Code that forgets the rule: an address in a message and an error, and an URL with a password in a field.
    app.logger.warn({ err: new Error(`550 mailbox ${EMAIL} unavailable`), where: `smtp://u:${SMTP_PASSWORD}@host` }, `could not reach ${EMAIL} (${JSA_ID})`);
    await app.close();

    const logs = await waitFor(
      () => {
        const text = readLogs(dir.path);
        return text.includes('reset.complete') && text.includes('could not reach') ? text : undefined;
      },
      { what: 'the reset and the warning in the log files' },
    );
    expect(logs).toContain('"call":"reset.request"');
    expect(logs).toContain('t***@example.co.jp');
    for (const secret of [code, token, grant, PASSWORD, EMAIL, JSA_ID, SMTP_PASSWORD]) {
      expect(logs.includes(secret), `the log must not contain ${secret}`).toBe(false);
    }
    // Nothing but the app's user may read the logs.
    for (const name of readdirSync(join(dir.path, 'logs'))) expect(statSync(join(dir.path, 'logs', name)).mode & 0o077).toBe(0);
  });

  it('rotates main.log by size and age and deletes rotated files past the limits', async () => {
    const logs = join(dir.path, 'logs');
    app = await startOpsApp({ dataDir: dir.path, logLevel: 'info' });
    await app.close();
    const policy = { maxBytes: 1000, maxFileAgeMs: 3_600_000, keepDays: 30, keepFiles: 3 };
    writeFileSync(join(logs, 'main.log'), 'x'.repeat(2000));
    expect(rotateIfDue(logs, policy, Date.now())).toBe(true);
    expect(readdirSync(logs).filter((n) => /^main\.\d{8}T\d{6}Z\.log$/.test(n))).toHaveLength(1);
    // Small but old (by birth time, where the file system records one): rotated too.
    writeFileSync(join(logs, 'main.log'), 'y');
    const born = statSync(join(logs, 'main.log')).birthtimeMs;
    if (born > 0) expect(rotateIfDue(logs, policy, born + 2 * 3_600_000)).toBe(true);
    // Five more rotated files, one of them 40 days old: the old one and all beyond 3 go.
    for (let i = 0; i < 5; i += 1) writeFileSync(join(logs, `main.2026010${i + 1}T000000Z.log`), 'z');
    const old = join(logs, 'main.20250101T000000Z.log');
    writeFileSync(old, 'old');
    utimesSync(old, new Date(Date.now() - 40 * 86_400_000), new Date(Date.now() - 40 * 86_400_000));
    const removed = pruneRotated(logs, policy, Date.now());
    expect(removed).toContain('main.20250101T000000Z.log');
    expect(readdirSync(logs).filter((n) => n !== 'main.log')).toHaveLength(3);
  });
});
