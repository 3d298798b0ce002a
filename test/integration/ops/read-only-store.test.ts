// A disk remounted read-only is when an operator most wants a backup: `backup` and
// `audit-verify` read such a data folder. As user nobody through the built CLI (npm test builds
// first), since root writes into a read-only folder anyway.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letOthersReach } from '../../support/reach';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const cli = join(__dirname, '..', '..', '..', 'dist', 'main', 'cli.cjs');
const nobody = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
const canSwitch = process.getuid?.() === 0 && nobody.status === 0 && spawnSync('runuser', ['--help']).status === 0;

describe.skipIf(!existsSync(cli) || !canSwitch)('a read-only data folder', () => {
  let dir: TempDir;
  let data: string;
  const uid = Number(nobody.stdout.trim());
  const asNobody = (args: string[], script?: string) =>
    spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, ...(script ? ['-e', script] : [cli]), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dir.path, WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' },
      cwd: join(__dirname, '..', '..', '..'),
      encoding: 'utf8',
      timeout: 30_000,
    });
  let unreach = () => {};
  beforeAll(async () => {
    unreach = letOthersReach(process.execPath, cli);
    dir = await makeTempDir();
    chownSync(dir.path, uid, -1);
    data = join(dir.path, 'data');
    mkdirSync(data);
    chownSync(data, uid, -1);
    expect(asNobody(['migrate']).status).toBe(0);
  });
  afterAll(async () => {
    chmodSync(data, 0o700);
    await dir.remove();
    unreach();
  });

  it('backs up and verifies the audit log from a folder that takes no writes', () => {
    chmodSync(data, 0o500);
    const backup = asNobody(['backup', join(dir.path, 'b.sqlite3')]);
    expect(backup.stderr + backup.stdout).toMatch(/^backup: .*b\.sqlite3 \(\d+ bytes, schema 00\d\d_/);
    expect(backup.status).toBe(0);
    const verify = asNobody(['audit-verify']);
    expect(verify.stdout).toBe(`audit-verify: the data folder ${data} takes no writes; checking a copy of its store\naudit: 0 entries, chain intact\n`);
    expect(verify.status).toBe(0);
  });

  it('with a WAL a crash left, copies it too, or says in one line to copy the folder when SQLite cannot read it there', () => {
    chmodSync(data, 0o700);
    const crash = `const db = new (require('sqlite3').Database)(process.argv[1]);
db.exec('CREATE TABLE wal_only (x); INSERT INTO wal_only VALUES (42)', (e) => { if (e) { console.error(e.message); process.exit(1); } process.kill(process.pid, 'SIGKILL'); });`;
    const crashed = asNobody([join(data, 'webdesk.sqlite3')], crash);
    expect(crashed.status, crashed.stderr).toBe(128 + 9); // runuser reports its child's SIGKILL
    chmodSync(data, 0o500);
    const copy = join(dir.path, 'with-wal.sqlite3');
    expect(asNobody(['backup', copy]).status).toBe(0);
    const read = asNobody([copy, 'x'], `const db = new (require('sqlite3').Database)(process.argv[1]); db.get('SELECT x FROM wal_only', (e, r) => console.log(e ? e.message : r.x));`);
    expect(read.stdout.trim()).toBe('42');

    rmSync(join(data, 'webdesk.sqlite3-shm'));
    const refused = asNobody(['backup', join(dir.path, 'refused.sqlite3')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `webdesk: the store's folder ${data} takes no writes and ${data}/webdesk.sqlite3-wal holds changes not yet in the store file (SQLITE_CANTOPEN: unable to open database file); copy the folder, the -wal with it, to a writable place and run the command on the copy (WEBDESK_DATA_DIR)\n`,
    );
  });
});
