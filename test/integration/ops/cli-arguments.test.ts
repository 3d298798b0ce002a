// The counter's command line as a new user types it (the built CLI, npm test builds first):
// a mistyped option or command is refused in one line with exit code 2 before anything runs.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../support/net';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const cli = join(__dirname, '..', '..', '..', 'dist', 'main', 'cli.cjs');

describe.skipIf(!existsSync(cli))('command-line arguments (built CLI)', () => {
  let dir: TempDir;
  let data: string;
  beforeEach(async () => {
    dir = await makeTempDir('webdesk-cli-args-');
    data = join(dir.path, 'data');
  });
  afterEach(() => dir.remove());

  const runWith = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 60_000 });
  const run = (...args: string[]) => runWith({}, ...args);

  const csv = () => {
    const file = join(dir.path, 'accounts.csv');
    writeFileSync(file, 'jsa_id,email,contact_name,company,department,address,phone\n70000000001,new@example.jp,新 一,株式会社テスト,,,\n');
    return file;
  };

  it('refuses `import FILE --dryrun` (a typo of --dry-run) instead of importing the file for real', () => {
    const result = run('import', csv(), '--dryrun');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'import: --dryrun というオプションはありません / unknown option --dryrun (this command takes: --dry-run, --rejects, --lang, --central); nothing was done\n',
    );
    // Refused before the data folder is touched: no store, so certainly no imported row.
    expect(existsSync(data)).toBe(false);
  });

  it('refuses `sync --stauts` instead of running a full sync, and `--accounts` on a command without it', () => {
    const sync = run('sync', '--stauts');
    expect(sync.status).toBe(2);
    expect(sync.stderr).toBe(
      'sync: --stauts というオプションはありません / unknown option --stauts (this command takes: --status, --follow, --take-over, --verbose, --page-size, --push-batch, --audit-batch); nothing was done\n',
    );
    const migrate = run('migrate', '--accounts', '5');
    expect(migrate.status).toBe(2);
    expect(migrate.stderr).toBe('migrate: --accounts というオプションはありません / unknown option --accounts (this command takes: --recover); nothing was done\n');
    expect(existsSync(data)).toBe(false);
  });

  it('refuses an option given without its value instead of taking the default (`seed --accounts` added 1000)', () => {
    const result = run('seed', '--accounts');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('seed: --accounts には値が必要です / --accounts needs a value; nothing was done\n');
    expect(existsSync(data)).toBe(false);
  });

  it('says why a file to import cannot be read: not there, or a folder', () => {
    const missing = join(dir.path, 'acounts.csv');
    const absent = run('import', missing);
    expect(absent.status).toBe(2);
    expect(absent.stderr).toBe(`import: ${missing} というファイルはありません / there is no file ${missing} (ENOENT)\n`);
    const folder = run('import', dir.path);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toBe(`import: ${dir.path} はフォルダーです。CSV ファイルを指定してください / ${dir.path} is a folder; name the CSV file\n`);
  });

  it('says that a file with its header alone held no rows, instead of a bare "0 rows"', () => {
    const file = join(dir.path, 'header.csv');
    writeFileSync(file, 'jsa_id,email,contact_name,company,department,address,phone\r\n');
    const result = run('import', file);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('import: 見出し行のあとに行がありません。取り込んだアカウントはありません / the file has its header and no rows after it; nothing was imported');
  });

  it('says where and why the rejected rows cannot be written', () => {
    const missing = join(dir.path, 'no-such-folder');
    const absent = run('import', csv(), '--rejects', join(missing, 'rejects.csv'));
    expect(absent.status).toBe(2);
    expect(absent.stderr).toBe(`import --rejects: the folder ${missing} does not exist (ENOENT); make it or name a file in another folder (nothing was written; the store is unchanged)\n`);
    const folder = run('import', csv(), '--rejects', dir.path);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toBe(`import --rejects: ${dir.path} is a folder; name a file for the rejected rows\n`);
    expect(existsSync(dir.path)).toBe(true);
  });

  it('asks for the staff user staff-reset-password is to reset, instead of looking up an empty name', () => {
    const result = run('staff-reset-password');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('staff-reset-password: name the staff user: npm run staff:reset-password -- USER (e.g. admin)\n');
  });

  it('checks no audit log where there is no store, instead of making one and calling it intact', () => {
    const result = run('audit-verify');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`audit-verify: no store at ${join(data, 'webdesk.sqlite3')} (WEBDESK_DATA_DIR=${data}); nothing was checked\n`);
    expect(existsSync(join(data, 'webdesk.sqlite3'))).toBe(false);
  });

  it('says in the central commands\' words that central cannot be reached for `import --central`, not Node\'s', async () => {
    const port = await freePort();
    const result = runWith({ WEBDESK_CENTRAL_URL: `postgres://admin@127.0.0.1:${port}/webdesk` }, 'import', csv(), '--central');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`import --central: 中央データベースを使えません / cannot use the central database at 127.0.0.1:${port}: connection refused (is PostgreSQL running and listening there?)\n`);
  });

  it('refuses when npm took --dry-run for itself (`npm run accounts:import FILE --dry-run`, no --), instead of importing for real', () => {
    // What npm 11 hands the script for that command line: the file, and npm_config_dry_run.
    const result = runWith({ npm_config_dry_run: 'true' }, 'import', csv());
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      "import: --dry-run は npm が受け取りました / npm took --dry-run for itself: put -- before the command's options (npm run accounts:import -- FILE.csv --dry-run); nothing was done\n",
    );
    expect(existsSync(data)).toBe(false);
  });

  it('refuses an operand the command does not take instead of passing over it (`seed 5` added 1000 accounts)', () => {
    const seed = run('seed', '5');
    expect(seed.status).toBe(2);
    expect(seed.stderr).toBe('seed: 余分な引数 "5" があります / unexpected argument "5" (operands this command takes: none; options: --accounts); nothing was done\n');
    const backup = run('backup', join(dir.path, 'a.sqlite3'), join(dir.path, 'b.sqlite3'));
    expect(backup.status).toBe(2);
    expect(backup.stderr).toBe(`backup: 余分な引数 "${join(dir.path, 'b.sqlite3')}" があります / unexpected argument "${join(dir.path, 'b.sqlite3')}" (operands this command takes: 1; options: none); nothing was done\n`);
    // Refused before the data folder is touched: no store, so certainly no synthetic account.
    expect(existsSync(data)).toBe(false);
  });

  it('asks for WEBDESK_CENTRAL_URL in both languages in every central command, as audit-accept does', () => {
    for (const command of ['sync', 'central-migrate', 'central-prune', 'central-rotate-key']) {
      const result = run(command);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`${command}: WEBDESK_CENTRAL_URL を設定してください / set WEBDESK_CENTRAL_URL=postgres://… first\n`);
    }
  });

  it('says in the 設定 screen\'s words, in both languages, why settings-set refuses a value, and changes nothing', () => {
    expect(run('migrate').status).toBe(0);
    const tooShort = run('settings-set', 'idleTimeoutSeconds', '5');
    expect(tooShort.status).toBe(2);
    expect(tooShort.stderr).toBe('settings-set: idleTimeoutSeconds: idleTimeoutSecondsは 15 以上にしてください。 / idleTimeoutSeconds must be at least 15.\n');
    const notJson = run('settings-set', 'supportEmail', 'help@example.jp');
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/^settings-set: supportEmail: 値が JSON ではありません.* \/ the value is not JSON/);
    const noKey = run('settings-set', 'idleTimeout', '60');
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toMatch(/^settings-set: 設定名と JSON の値を指定してください \/ expected KEY JSON; KEY is one of .*idleTimeoutSeconds/);
    expect(JSON.parse(run('settings-show').stdout)).toMatchObject({ idleTimeoutSeconds: 180 });
  });

  it('makes no data folder for an unknown command', () => {
    const result = run('sed', '--accounts', '5');
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('unknown command: sed');
    expect(existsSync(data)).toBe(false);
  });

  it('takes the options it knows, as `--opt value` and `--opt=value`, and a value that starts with --', () => {
    const seeded = run('seed', '--accounts=2');
    expect(seeded.status).toBe(0);
    expect(seeded.stdout).toContain('seed: 2 synthetic accounts');
    const dry = run('import', csv(), '--dry-run', '--lang', 'en');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('import --dry-run (utf-8): 1 to add');
    // The reason's text is the reason, not an option; the command then asks for what it lacks.
    const accept = run('audit-accept', '--counter', 'kiosk-a', '--reason', '--checked by phone');
    expect(accept.status).toBe(2);
    expect(accept.stderr).toBe('audit-accept: WEBDESK_CENTRAL_URL を設定してください / set WEBDESK_CENTRAL_URL=postgres://… first\n');
  });
});
