// Start-up as an operator meets it: the built web entry (npm test builds before this runs),
// a bad setting stops it with one line naming the variable and exit code 2.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  ])('stops with exit code 2 and one line naming %s', (variable, value, message) => {
    const result = start({ [variable]: value });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
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
