// Start-up as an operator meets it: the built web entry (npm test builds before this runs),
// a bad setting stops it with one line naming the variable and exit code 2.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { pidFile } from '../../src-main/app/app-pid';
import { countAccounts } from '../../src-main/store/accounts-repo';
import { letOthersReach } from '../support/reach';
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
    ['WEBDESK_SMTP_URL', 'smtp://', 'WEBDESK_SMTP_URL: expected a URL like smtp://user:pass@host:587 (this one names no host)'],
    ['WEBDESK_CENTRAL_URL', 'postgres://', 'WEBDESK_CENTRAL_URL: expected a URL like postgres://user:pass@host:5432/webdesk (this one names no host)'],
    ['WEBDESK_SECRET', ' '.repeat(40), 'WEBDESK_SECRET: expected at least 32 characters, not counting spaces at either end'],
    ['WEBDESK_DATA_DIR', '~/webdesk', 'WEBDESK_DATA_DIR: expected an absolute path (~ is expanded only by a shell'],
    // Node's recursive mkdir spun at 100 % CPU there, and the start never ended.
    ['WEBDESK_DATA_DIR', '/proc/self/webdesk', 'WEBDESK_DATA_DIR: expected a folder on a disk, not under /proc, /sys or /dev'],
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
    // No restore left this: the line does not send the operator to a folder that is not there.
    expect(result.stderr).toContain('Put the store file back beside them');
    expect(result.stderr).not.toContain('before-restore');
    expect(existsSync(join(data, 'webdesk.sqlite3'))).toBe(false);
    expect(existsSync(join(data, 'secret.key'))).toBe(false);
  });

  it('refuses a port that is not a number with exit code 2', () => {
    const result = spawnSync(process.execPath, [web, '--port', 'http'], { env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: dir.path }, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port: expected a port number');
  });

  it.each([
    [['--prot', '6521'], 'webdesk: --prot というオプションはありません / unknown option --prot (this command takes: --port, --recover); nothing was done'],
    [['--port'], 'webdesk: --port には値が必要です / --port needs a value; nothing was done'],
  ])('refuses %j in one line with exit code 2 instead of serving on the default port', (args, line) => {
    // PORT=0: were it served after all, on a port the OS gives, not on 5890 beside someone's counter.
    const result = spawnSync(process.execPath, [web, ...args], { env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: join(dir.path, 'typo'), PORT: '0' }, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.stdout).toBe('');
    expect(existsSync(join(dir.path, 'typo'))).toBe(false);
  });

  it('migrates a new data folder from the CLI and names the schema', () => {
    const result = spawnSync(process.execPath, [cli, 'migrate'], { env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: dir.path, WEBDESK_LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/schema 00\d\d_/);
  });
});

/**
 * What stops a start in the data folder is said in one line naming the path, and that line is
 * all the operator sees: no "sonic boom is not ready yet" stack from the log file still
 * opening, no knex "Acquire connection error" beside it. Nothing in the folder is changed.
 */
describe.skipIf(!existsSync(web))('start-up refusals in the data folder (built web entry)', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir('webdesk-refusals-');
  });
  afterAll(() => dir.remove());

  const run = (dataDir: string, uid?: number) =>
    spawnSync(process.execPath, [web, '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: dataDir, HOME: dir.path },
      encoding: 'utf8',
      timeout: 20_000,
      ...(uid === undefined ? {} : { uid, gid: uid, cwd: dir.path }),
    });
  /** What the folder held: each path with its bytes (a folder as itself). */
  const snapshot = (folder: string) =>
    Object.fromEntries(
      readdirSync(folder, { recursive: true })
        .map(String)
        .map((name) => [name, statSync(join(folder, name)).isDirectory() ? 'folder' : readFileSync(join(folder, name)).toString('base64')]),
    );

  it.each([
    ['a damaged store', (d: string) => writeFileSync(join(d, 'webdesk.sqlite3'), 'not a database at all, but long enough to be read as one'), (d: string) => `the local store ${join(d, 'webdesk.sqlite3')} is damaged (SQLITE_NOTADB: file is not a database). Stop the app`],
    ['a store that is a folder', (d: string) => mkdirSync(join(d, 'webdesk.sqlite3')), (d: string) => `the local store ${join(d, 'webdesk.sqlite3')} is a folder, not a file; move it aside and start again (nothing was changed)`],
    ['an empty secret.key (a disk-full first start)', (d: string) => writeFileSync(join(d, 'secret.key'), ''), (d: string) => `secret.key ${join(d, 'secret.key')} is empty`],
    ['a damaged secrets.json', (d: string) => writeFileSync(join(d, 'secrets.json'), '{"smtp-password":"pw"'), (d: string) => `secrets.json ${join(d, 'secrets.json')} is damaged (not the JSON this counter writes); nothing was changed.`],
    ['logs that is a file', (d: string) => writeFileSync(join(d, 'logs'), ''), (d: string) => `log folder ${join(d, 'logs')} is a file, not a folder (EEXIST); move the file aside and start again (nothing was changed)`],
    ['imports that is a file', (d: string) => writeFileSync(join(d, 'imports'), ''), (d: string) => `import folder ${join(d, 'imports')} is a file, not a folder (EEXIST); move the file aside and start again (nothing was changed)`],
    ['main.log that is a folder', (d: string) => mkdirSync(join(d, 'logs', 'main.log'), { recursive: true }), (d: string) => `log file ${join(d, 'logs', 'main.log')} cannot be opened (EISDIR) (nothing was changed)`],
  ])('stops on %s with one line naming it, and changes nothing', (what, prepare, line) => {
    const d = join(dir.path, what.replace(/\W+/g, '-'));
    mkdirSync(d);
    prepare(d);
    const before = snapshot(d);
    const result = run(d);
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')).toEqual([expect.stringMatching(/^webdesk: start-up failed: /), '']);
    expect(result.stderr).toContain(`webdesk: start-up failed: ${line(d)}`);
    expect(result.stdout).toBe('');
    // What was there is there as it was (a key, logs and the like may have been added).
    expect(snapshot(d)).toMatchObject(before);
  });

  it('says a data folder that is a file is a file (it said "is not writable (EEXIST); free space")', () => {
    const file = join(dir.path, 'a-file');
    writeFileSync(file, '');
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`webdesk: start-up failed: data folder ${file} is a file, not a folder (EEXIST); move the file away or set WEBDESK_DATA_DIR to a writable folder (nothing was changed)\n`);
  });

  // Root reads a file whatever its mode: these run the entry as nobody, which only root can do.
  const nobody = process.getuid?.() === 0 ? Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })) : undefined;
  let unreach = () => {};
  beforeAll(() => {
    if (nobody !== undefined) unreach = letOthersReach(process.execPath, web);
  });
  afterAll(() => unreach());
  it.skipIf(nobody === undefined).each([
    ['secret.key', 'secret.key', (p: string) => `secret.key ${p} cannot be read by this user (EACCES); give the counter's user read access to it (nothing was changed)`],
    ['secrets.json', 'secrets.json', (p: string) => `secrets.json ${p} cannot be read by this user (EACCES); give the counter's user read access to it; it holds the saved SMTP`],
    ['the log folder', 'logs/', (p: string) => `log folder ${p} cannot be opened by this user (EACCES); give the counter's user read and write access to it (nothing was changed)`],
    ['the import folder', 'imports/', (p: string) => `import folder ${p} cannot be opened by this user (EACCES); give the counter's user read and write access to it (nothing was changed)`],
    ['main.log', 'logs/main.log', (p: string) => `log file ${p} cannot be opened (EACCES); give the counter's user write access to it (nothing was changed)`],
  ])('says %s at mode 000 cannot be read, in one line naming it (run as nobody)', (_what, name, line) => {
    const d = join(dir.path, `nobody-${name.replace(/\W+/g, '-')}`);
    mkdirSync(d, { mode: 0o700 });
    const path = join(d, name.replace(/\/$/, ''));
    if (name === 'logs/main.log') mkdirSync(join(d, 'logs'));
    if (name.endsWith('/')) mkdirSync(path);
    else writeFileSync(path, name === 'secret.key' ? `${'k'.repeat(43)}\n` : '{}\n');
    for (const p of [d, join(d, 'logs'), path]) if (existsSync(p)) chownSync(p, nobody!, nobody!);
    chmodSync(path, 0o000);
    chmodSync(dir.path, 0o755);
    const result = run(d, nobody);
    expect(result.stderr.split('\n')).toEqual([expect.stringMatching(/^webdesk: start-up failed: /), '']);
    expect(result.stderr).toContain(`webdesk: start-up failed: ${line(path)}`);
    expect(result.status).toBe(1);
  });
});
