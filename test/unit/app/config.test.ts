import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultDataDir, loadConfig } from '../../../src-main/app/config';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig defaults', () => {
  const config = loadConfig({ XDG_CONFIG_HOME: '/home/kiosk/.config' });

  it('runs standalone with maildrop and no central database', () => {
    expect(config.smtpUrl).toBeUndefined();
    expect(config.centralUrl).toBeUndefined();
    expect(config.publicUrl).toBeUndefined();
    expect(config.secret).toBeUndefined();
  });

  it('uses the staff mode, info logs and the JSA sender', () => {
    expect(config.mode).toBe('staff');
    expect(config.logLevel).toBe('info');
    expect(config.mailFrom).toBe('JSA Webdesk <webdesk@jisa.or.jp>');
  });

  it('puts the data folder in the OS app-data folder', () => {
    expect(config.dataDir).toBe(join('/home/kiosk/.config', 'jsa-webdesk-counter'));
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\k\\AppData\\Roaming' }, 'win32')).toBe(join('C:\\Users\\k\\AppData\\Roaming', 'jsa-webdesk-counter'));
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library[/\\]Application Support[/\\]jsa-webdesk-counter$/);
  });

  it('derives a kiosk id that passes its own rule from the host name', () => {
    expect(config.kioskId).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  });

  it('treats empty variables as unset', () => {
    const c = loadConfig({ WEBDESK_SMTP_URL: '', WEBDESK_MODE: '', WEBDESK_SECRET: '' });
    expect(c.smtpUrl).toBeUndefined();
    expect(c.mode).toBe('staff');
    expect(c.secret).toBeUndefined();
  });
});

describe('loadConfig with values', () => {
  it('takes every variable as given', () => {
    const c = loadConfig({
      WEBDESK_DATA_DIR: '/srv/webdesk',
      WEBDESK_SMTP_URL: 'smtp://user:pass@mail.example.jp:587',
      WEBDESK_MAIL_FROM: 'webdesk@example.jp',
      WEBDESK_CENTRAL_URL: 'postgresql://kiosk@db.example.jp:5432/webdesk',
      WEBDESK_KIOSK_ID: 'tokyo-01',
      WEBDESK_MODE: 'kiosk',
      WEBDESK_PUBLIC_URL: 'https://webdesk.example.jp/counter/',
      WEBDESK_SECRET: 's'.repeat(32),
      WEBDESK_LOG_LEVEL: 'silent',
    });
    expect(c).toMatchObject({
      dataDir: '/srv/webdesk',
      smtpUrl: 'smtp://user:pass@mail.example.jp:587',
      mailFrom: 'webdesk@example.jp',
      centralUrl: 'postgresql://kiosk@db.example.jp:5432/webdesk',
      kioskId: 'tokyo-01',
      mode: 'kiosk',
      publicUrl: 'https://webdesk.example.jp/counter',
      secret: 's'.repeat(32),
      logLevel: 'silent',
    });
  });

  it('accepts smtps and a sender with a display name', () => {
    const c = loadConfig({ WEBDESK_SMTP_URL: 'smtps://mail.example.jp', WEBDESK_MAIL_FROM: '日本規格協会 <webdesk@example.jp>' });
    expect(c.smtpUrl).toBe('smtps://mail.example.jp');
    expect(c.mailFrom).toBe('日本規格協会 <webdesk@example.jp>');
  });
});

describe('loadConfig refuses a bad setting with one line naming the variable', () => {
  it.each([
    ['WEBDESK_SMTP_URL', 'http://mail.example.jp'],
    ['WEBDESK_SMTP_URL', 'not a url'],
    ['WEBDESK_MAIL_FROM', 'webdesk'],
    ['WEBDESK_MAIL_FROM', 'JSA <webdesk at example.jp>'],
    ['WEBDESK_MAIL_FROM', 'JSA\r\nBcc: spy@evil.com\r\n <webdesk@jisa.or.jp>'],
    ['WEBDESK_MAIL_FROM', 'JSA \u202Ekcsedbew <webdesk@jisa.or.jp>'],
    ['WEBDESK_CENTRAL_URL', 'mysql://db.example.jp/webdesk'],
    ['WEBDESK_KIOSK_ID', 'tokyo 01'],
    ['WEBDESK_KIOSK_ID', 'k'.repeat(65)],
    ['WEBDESK_MODE', 'admin'],
    ['WEBDESK_PUBLIC_URL', 'ftp://webdesk.example.jp'],
    ['WEBDESK_SECRET', 'too-short'],
    ['WEBDESK_LOG_LEVEL', 'verbose'],
  ])('%s=%s', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).not.toContain('\n');
    expect(error.expectation.length).toBeGreaterThan(0);
  });

  it.each([
    ['WEBDESK_DATA_DIR', '   ', 'expected a folder path, not blanks'],
    ['WEBDESK_DATA_DIR', '~', 'expected an absolute path (~ is expanded only by a shell'],
    ['WEBDESK_DATA_DIR', '~/webdesk', 'expected an absolute path (~ is expanded only by a shell'],
    ['WEBDESK_DATA_DIR', 'webdesk-data', 'expected an absolute path, like /srv/webdesk (a relative one depends on the folder'],
    ['WEBDESK_DATA_DIR', './data', 'expected an absolute path, like /srv/webdesk'],
    ['WEBDESK_DATA_DIR', '/proc/self/webdesk', 'expected a folder on a disk, not under /proc, /sys or /dev'],
    ['WEBDESK_DATA_DIR', '/sys', 'expected a folder on a disk, not under /proc, /sys or /dev'],
    ['WEBDESK_DATA_DIR', '/srv/../dev/shm/webdesk', 'expected a folder on a disk, not under /proc, /sys or /dev'],
    ['WEBDESK_SECRET', ' '.repeat(40), 'expected at least 32 characters, not counting spaces at either end'],
    ['WEBDESK_SECRET', `${'x'.repeat(8)}${' '.repeat(40)}`, 'expected at least 32 characters, not counting spaces at either end'],
    ['WEBDESK_SECRET', '\0'.repeat(40), 'expected printable characters only'],
    ['WEBDESK_SMTP_URL', 'smtp://', 'expected a URL like smtp://user:pass@host:587 (this one names no host)'],
    ['WEBDESK_SMTP_URL', 'smtp://mail.example.jp:0', 'expected a URL like smtp://user:pass@host:587 (port 0 is no port)'],
    ['WEBDESK_CENTRAL_URL', 'postgres://', 'expected a URL like postgres://user:pass@host:5432/webdesk (this one names no host)'],
    ['WEBDESK_CENTRAL_URL', 'postgresql:///webdesk', 'expected a URL like postgres://user:pass@host:5432/webdesk (this one names no host)'],
  ])('%s=%j is refused with what is wrong', (variable, value, expectation) => {
    const error = configError({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.expectation.startsWith(expectation)).toBe(true);
    expect(error.message).not.toContain('\n');
  });

  it('takes a data folder, a secret and URLs that are fine as they are', () => {
    const c = loadConfig({
      WEBDESK_DATA_DIR: '/srv/webdesk data/カウンター',
      WEBDESK_SECRET: `  ${'correct horse battery staple '.repeat(2)}`,
      WEBDESK_SMTP_URL: 'smtp://[::1]:2525',
      WEBDESK_CENTRAL_URL: 'postgres:///webdesk?host=/var/run/postgresql',
    });
    expect(c.dataDir).toBe('/srv/webdesk data/カウンター');
    // Used as given: trimming it would change every key a deployment already derived from it.
    expect(c.secret).toBe(`  ${'correct horse battery staple '.repeat(2)}`);
    expect(c.centralUrl).toBe('postgres:///webdesk?host=/var/run/postgresql');
  });

  it('names the bad variable even when the others are fine', () => {
    expect(configError({ WEBDESK_MODE: 'kiosk', WEBDESK_DATA_DIR: '/srv/x', WEBDESK_SECRET: 'short' }).variable).toBe('WEBDESK_SECRET');
  });

  it('ignores variables that are not ours', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', WEBDESK_UNKNOWN: 'x' })).not.toThrow();
  });
});
