// Start-up as an operator meets it: the built web entry (npm test builds before this runs),
// a bad setting stops it with one line naming the variable and exit code 2.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pidFile } from '../../src-main/app/app-pid';
import { countAccounts } from '../../src-main/store/accounts-repo';
import { startTestApp } from './support/test-app';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const web = join(__dirname, '..', '..', 'dist', 'main', 'web.cjs');
const cli = join(__dirname, '..', '..', 'dist', 'main', 'cli.cjs');

describe.skipIf(!existsSync(web))('start-up settings (built entries)', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir('webdesk-startup-');
  });
  afterAll(() => dir.remove());

  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, [web, '--port', '0'], { env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: dir.path, ...env }, encoding: 'utf8', timeout: 20_000 });

  it.each([
    ['WEBDESK_SMTP_URL', 'http://mail.example.jp', 'WEBDESK_SMTP_URL: expected a URL like smtp://'],
    ['WEBDESK_MODE', 'kiosks', 'WEBDESK_MODE: expected "kiosk" or "staff"'],
    ['WEBDESK_CENTRAL_URL', 'mysql://x', 'WEBDESK_CENTRAL_URL: expected a URL like postgres://'],
    ['WEBDESK_KIOSK_ID', 'counter 1 (lobby)', 'WEBDESK_KIOSK_ID: expected 1-64 letters'],
    ['WEBDESK_SECRET', 'short', 'WEBDESK_SECRET: expected at least 32 characters'],
    ['WEBDESK_PUBLIC_URL', 'webdesk.example.jp', 'WEBDESK_PUBLIC_URL: expected a URL like https://'],
    ['WEBDESK_MAIL_FROM', 'JSA\r\nBcc: spy@evil.com\r\n <webdesk@jisa.or.jp>', 'WEBDESK_MAIL_FROM: a line break, tab, control character or invisible mark would start a new mail header'],
  ])('stops with exit code 2 and one line naming %s', (variable, value, message) => {
    const result = start({ [variable]: value });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('refuses to start a second counter on a data folder another one runs on, and leaves its pid file alone', async () => {
    const data = join(dir.path, 'shared');
    // This test process plays the counter that runs there (its pid in app.pid, alive).
    const running = await startTestApp({ dataDir: data, startMailWorker: false });
    try {
      const pid = readFileSync(pidFile(data), 'utf8');
      const second = spawnSync(process.execPath, [web, '--port', '0'], { env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: data }, encoding: 'utf8', timeout: 20_000 });
      expect(second.status).toBe(1);
      expect(second.stderr.trim()).toBe(
        `webdesk: start-up failed: another counter (pid ${process.pid}) is running on the data folder ${data}; stop it first, or set WEBDESK_DATA_DIR to another folder (no such process: delete ${pidFile(data)})`,
      );
      expect(readFileSync(pidFile(data), 'utf8')).toBe(pid);
      expect(await countAccounts(running.db)).toBeGreaterThan(0);
    } finally {
      await running.close();
    }
  });

  it('refuses to create a store beside the WAL of a missing one, in one line, and creates nothing', () => {
    const data = join(dir.path, 'orphan-wal');
    mkdirSync(data);
    writeFileSync(join(data, 'webdesk.sqlite3-wal'), 'the newest pages');
    const result = spawnSync(process.execPath, [web, '--port', '0'], { env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: data }, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`the local store ${join(data, 'webdesk.sqlite3')} is missing, but ${join(data, 'webdesk.sqlite3-wal')} is there`);
    expect(existsSync(join(data, 'webdesk.sqlite3'))).toBe(false);
    expect(existsSync(join(data, 'secret.key'))).toBe(false);
  });

  it('refuses a port that is not a number with exit code 2', () => {
    const result = spawnSync(process.execPath, [web, '--port', 'http'], { env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: dir.path }, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port: expected a port number');
  });

  it('migrates a new data folder from the CLI and names the schema', () => {
    const result = spawnSync(process.execPath, [cli, 'migrate'], { env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: dir.path, WEBDESK_LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/schema 00\d\d_/);
  });
});
