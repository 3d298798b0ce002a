import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src-main/app/config';
import { pidFile, processStart } from '../../../src-main/app/app-pid';
import type { App } from '../../../src-main/app/create-app';
import { storeFile } from '../../../src-main/app/data-dir';
import { backupCommand, restoreCommand } from '../../../src-main/app/store-commands';
import { backupStore, inspectStoreFile, type SwapSteps } from '../../../src-main/store/backup';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { addAccount, manualClock } from '../support/test-app';
import { fullReset, startOpsApp, staff } from './ops-support';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const configFor = (dataDir: string) => loadConfig({ WEBDESK_DATA_DIR: dataDir, WEBDESK_LOG_LEVEL: 'silent' });

function sqlExec(file: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (err) => {
      if (err) return reject(err);
      db.exec(sql, (e) => db.close(() => (e ? reject(e) : resolve())));
    });
  });
}

/** A write that reaches only the WAL: the writing process is killed before any checkpoint, as in a crash. */
function crashWrite(file: string, sql: string): void {
  const script = `const db = new (require('sqlite3').Database)(process.argv[1]);
db.exec(process.argv[2], (e) => { if (e) { console.error(e.message); process.exit(1); } process.kill(process.pid, 'SIGKILL'); });`;
  const run = spawnSync(process.execPath, ['-e', script, file, sql], { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' });
  expect(run.signal, run.stderr).toBe('SIGKILL');
  expect(existsSync(`${file}-wal`)).toBe(true);
}

/** Renames as the file system does, except calls number `from` to `until` fail (EPERM, as a virus scanner holding the WAL). */
function failingRenames(from: number, until = from): SwapSteps {
  let n = 0;
  return {
    rename(a, b) {
      n += 1;
      if (n >= from && n <= until) throw Object.assign(new Error(`EPERM: operation not permitted, rename '${a}'`), { code: 'EPERM' });
      renameSync(a, b);
    },
  };
}

describe('backup and restore', () => {
  let dirs: TempDir[];
  let app: App | undefined;
  const tmp = async () => {
    const d = await makeTempDir();
    dirs.push(d);
    return d.path;
  };
  beforeEach(() => {
    dirs = [];
    app = undefined;
  });
  afterEach(async () => {
    await app?.close();
    for (const d of dirs) await d.remove();
  });

  it('says which folder a backup cannot go to and why, not Node\'s error about a temporary file', async () => {
    const live = await tmp();
    const away = await tmp();
    app = await startOpsApp({ dataDir: live });
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (said.push(String(chunk)), true));
    try {
      const missing = join(away, 'no-such-folder');
      expect(await backupCommand(configFor(live), [join(missing, 'b.sqlite3')])).toBe(1);
      expect(said.join('')).toBe(`backup: the folder ${missing} does not exist (ENOENT); make it or name a file in another folder (nothing was written; the store is unchanged)\n`);
    } finally {
      spy.mockRestore();
    }
  });

  it('never replaces a file that took the backup\'s name while it copied (two backups to one name, or a file put there by hand)', async () => {
    const live = await tmp();
    const away = await tmp();
    app = await startOpsApp({ dataDir: live });
    await app.close();
    app = undefined;
    // backupCommand refuses a name that exists before it starts; this one appears after that check.
    const dest = join(away, 'b.sqlite3');
    writeFileSync(dest, 'the other backup');
    await expect(backupStore(storeFile(live), dest)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(dest, 'utf8')).toBe('the other backup');
    // Its own copy is gone, not left beside it.
    expect(readdirSync(away)).toEqual(['b.sqlite3']);
  });

  it('backs up while resets run and restores into a fresh folder with every reset finished before the backup', async () => {
    const live = await tmp();
    const out = await tmp();
    app = await startOpsApp({ dataDir: live, app: { startMailWorker: true } });
    const running = app;
    const accounts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        addAccount(running, { jsaId: `5550000${String(i).padStart(4, '0')}`, email: `backup${i}@example.jp`, contactName: `利用者${i}`, company: '株式会社テスト' }),
      ),
    );
    const taken = new Set<string>();
    const finished: string[] = [];
    // The second half waits for a backup begun after the first half finished: one backup is
    // then mid-way (6 of 12) however fast the resets run beside a slow backup.
    const half = accounts.length / 2;
    let midwayTaken!: () => void;
    const midway = new Promise<void>((resolve) => (midwayTaken = resolve));
    const resets = accounts.map(async (a, i) => {
      if (i >= half) await midway;
      await new Promise((r) => setTimeout(r, (i % half) * 15));
      await fullReset(running, { jsaId: a.jsa_id, email: a.email }, `Backup-run-${i}-kiosk-2026`, taken);
      finished.push(a.id);
    });

    // Backups while the resets run: each must hold every reset that had finished before it began.
    const snapshots: Array<{ file: string; before: string[] }> = [];
    let round = 0;
    const all = Promise.all(resets);
    let done = false;
    void all.finally(() => (done = true));
    while (!done || round < 2) {
      const file = join(out, `during-${round}.sqlite3`);
      const before = [...finished];
      expect(await backupCommand(configFor(live), [file])).toBe(0);
      snapshots.push({ file, before });
      if (before.length === half) midwayTaken();
      round += 1;
      await new Promise((r) => setTimeout(r, 20));
    }
    await all;
    const final = join(out, 'final.sqlite3');
    expect(await backupCommand(configFor(live), [final])).toBe(0);
    snapshots.push({ file: final, before: [...finished] });
    expect(snapshots.some((s) => s.before.length > 0 && s.before.length < accounts.length), 'a backup taken mid-way').toBe(true);
    expect(statSync(final).mode & 0o077).toBe(0);
    await app.close();
    app = undefined;

    for (const snap of [snapshots.find((s) => s.before.length > 0 && s.before.length < accounts.length)!, snapshots.at(-1)!]) {
      const fresh = await tmp();
      expect(await inspectStoreFile(snap.file)).toMatchObject({ ok: true });
      expect(await restoreCommand(configFor(fresh), [snap.file])).toBe(0);
      app = await startOpsApp({ dataDir: fresh });
      const used = (await app.db('reset_requests').where('status', 'used').pluck('account_id')) as string[];
      for (const id of snap.before) expect(used).toContain(id);
      const changed = (await app.db('accounts').whereIn('id', snap.before).whereNotNull('password_changed_at').count<{ n: number }[]>({ n: '*' }))[0]!;
      expect(Number(changed.n)).toBe(snap.before.length);
      await app.close();
      app = undefined;
    }
  });

  it('refuses a damaged file, a newer schema and a running app, replacing nothing', async () => {
    const live = await tmp();
    const spare = await tmp();
    app = await startOpsApp({ dataDir: live });
    const good = join(spare, 'good.sqlite3');
    expect(await backupCommand(configFor(live), [good])).toBe(0);
    await app.close();
    app = undefined;
    const store = storeFile(live);
    const hashBefore = sha(store);
    const listing = () => readdirSync(live).sort();
    const filesBefore = listing();

    // Damaged: a page in the middle overwritten, as a bad sector or a torn copy would.
    const damaged = join(spare, 'damaged.sqlite3');
    copyFileSync(good, damaged);
    const size = statSync(damaged).size;
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(size / 4096 / 2) * 4096);
    closeSync(fd);
    expect((await inspectStoreFile(damaged)).ok).toBe(false);
    // Each refusal is one line in Japanese and English, with no SQLite error text in it.
    const said: string[] = [];
    const refusal = async (file: string) => {
      said.length = 0;
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (said.push(String(chunk)), true));
      try {
        expect(await restoreCommand(configFor(live), [file])).toBe(1);
      } finally {
        spy.mockRestore();
      }
      expect(said).toHaveLength(1);
      expect(said[0]).not.toMatch(/SQLITE_|malformed|fts5|knex/);
      return said[0]!;
    };
    expect(await refusal(damaged)).toBe(`restore: ${damaged} は壊れています（整合性チェックで不整合が見つかりました）。別のバックアップを指定してください（何も置き換えていません） / refused, nothing replaced: ${damaged} is damaged (SQLite's integrity check found faults): name another backup\n`);

    // Cut short, as by a full USB stick or an interrupted copy: at a page, in a page, and within
    // the first page (which SQLite opened as an empty database).
    const whole = readFileSync(good);
    for (const length of [whole.length / 2, whole.length - 1, 100]) {
      const cut = join(spare, `cut-${length}.sqlite3`);
      writeFileSync(cut, whole.subarray(0, length));
      expect(await inspectStoreFile(cut)).toMatchObject({ ok: false, reason: 'cut-short', bytes: length, expectedBytes: whole.length });
      expect(await refusal(cut)).toBe(
        `restore: ${cut} は途中で切れています（${length} / ${whole.length} バイト）。コピーし直すか、別のバックアップを指定してください（何も置き換えていません） / refused, nothing replaced: ${cut} is cut short (${length} of ${whole.length} bytes): copy it again, or name another backup\n`,
      );
    }

    // Not a database at all, and an empty file.
    const junk = join(spare, 'junk.sqlite3');
    writeFileSync(junk, 'not a database, just text '.repeat(500));
    expect(await refusal(junk)).toContain(`/ refused, nothing replaced: ${junk} is not a Webdesk counter backup (not a SQLite file)`);
    const empty = join(spare, 'empty.sqlite3');
    writeFileSync(empty, '');
    expect(await refusal(empty)).toContain(`/ refused, nothing replaced: ${empty} is not a Webdesk counter backup (an empty file (0 bytes))`);

    // A folder named instead of the file in it: said so, not SQLite's disk I/O error.
    expect(await inspectStoreFile(spare)).toEqual({ ok: false, reason: 'unreadable', detail: `${spare} is a folder, not a backup file (name the .sqlite3 file in it)` });
    expect(await restoreCommand(configFor(live), [spare])).toBe(1);

    // From a newer version of the app: a migration this version does not know.
    const newer = join(spare, 'newer.sqlite3');
    copyFileSync(good, newer);
    await sqlExec(newer, "INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('9999_from_the_future', 9, 0)");
    expect(await inspectStoreFile(newer)).toMatchObject({ ok: false, reason: 'newer-schema' });
    expect(await refusal(newer)).toBe(
      `restore: ${newer} はこの版より新しい版のアプリのバックアップです。先にアプリを更新してください（何も置き換えていません） / refused, nothing replaced: ${newer} comes from a newer version of the app (migrations unknown to this version: 9999_from_the_future): update the app first\n`,
    );

    // A good file while another process holds the store (app.pid names it and its start): refused too.
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(pidFile(live), `${other.pid}\n${processStart(other.pid!) ?? ''}\n`);
      expect(await refusal(good)).toBe(
        `restore: アプリが動いています（pid ${other.pid}）。先に止めてください（何も置き換えていません） / the app is running (pid ${other.pid}, started as ${pidFile(live)} records) on ${live}; stop it first, nothing replaced (--force does not pass a counter that is running)\n`,
      );
    } finally {
      other.kill();
    }
    writeFileSync(pidFile(live), '');

    expect(sha(store)).toBe(hashBefore);
    expect(listing()).toEqual([...filesBefore, 'app.pid'].sort().filter((v, i, a) => a.indexOf(v) === i));

    // And the good one goes in, keeping the old store beside it.
    expect(await restoreCommand(configFor(live), [good])).toBe(0);
    expect(readdirSync(join(live, readdirSync(live).find((n) => n.startsWith('before-restore-'))!))).toContain('webdesk.sqlite3');
  });

  it('a restore that fails at any step keeps the store and its WAL, and start-up never buries them under a new store', async () => {
    const live = await tmp();
    const spare = await tmp();
    app = await startOpsApp({ dataDir: live });
    const account = await addAccount(app, { jsaId: '55500009999', email: 'wal@example.jp', contactName: '保存前', company: '株式会社テスト' });
    const good = join(spare, 'good.sqlite3');
    expect(await backupCommand(configFor(live), [good])).toBe(0);
    await app.close();
    app = undefined;
    const store = storeFile(live);
    const nameNow = async () => {
      app = await startOpsApp({ dataDir: live });
      const row = (await app.db('accounts').where('id', account.id).first()) as { contact_name: string };
      await app.close();
      app = undefined;
      return row.contact_name;
    };
    const aside = () => join(live, readdirSync(live).find((n) => n.startsWith('before-restore-'))!);
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (said.push(String(chunk)), true));
    try {
      // Moving the WAL aside fails (rename 2), or installing the copy does (rename 4, after store, WAL, shm): all put back.
      for (const [i, steps] of [failingRenames(2), failingRenames(4)].entries()) {
        crashWrite(store, `UPDATE accounts SET contact_name = 'WALだけ${i}' WHERE id = '${account.id}'`);
        said.length = 0;
        expect(await restoreCommand(configFor(live), [good], steps)).toBe(1);
        expect(said.join('')).toMatch(/^restore: failed \(EPERM: .*\); nothing replaced, the store is back in /);
        expect(readdirSync(live).filter((n) => n.includes('before-restore') || n.includes('restore-tmp'))).toEqual([]);
        expect(await nameNow()).toBe(`WALだけ${i}`);
      }

      // Cut off half-way (the put-back fails too, as a power cut would leave it): the store in the folder, its WAL behind.
      crashWrite(store, `UPDATE accounts SET contact_name = 'WALだけ' WHERE id = '${account.id}'`);
      said.length = 0;
      expect(await restoreCommand(configFor(live), [good], failingRenames(2, 99))).toBe(1);
      expect(said.join('')).toBe(`restore: failed half-way (EPERM: operation not permitted, rename '${store}-wal'); the store is now in ${aside()}: move its files back into ${live} before the counter starts (start-up refuses until then)\n`);
    } finally {
      spy.mockRestore();
    }
    expect(existsSync(store)).toBe(false);
    await expect(startOpsApp({ dataDir: live })).rejects.toThrow(
      `the local store ${store} is missing, but ${store}-wal, ${store}-shm, ${aside()} is there (a restore or a crash left it half-way); nothing was created.`,
    );
    expect(existsSync(store)).toBe(false);
    renameSync(join(aside(), 'webdesk.sqlite3'), store);
    expect(await nameNow()).toBe('WALだけ');

    // And a restore that goes through moves store and WAL into one folder.
    crashWrite(store, `UPDATE accounts SET contact_name = 'WALだけ2' WHERE id = '${account.id}'`);
    expect(await restoreCommand(configFor(live), [good])).toBe(0);
    const folders = readdirSync(live).filter((n) => n.startsWith('before-restore-'));
    expect(folders).toHaveLength(2);
    const newest = folders.map((n) => join(live, n)).find((d) => readdirSync(d).length > 0)!;
    expect(readdirSync(newest).sort()).toEqual(['webdesk.sqlite3', 'webdesk.sqlite3-shm', 'webdesk.sqlite3-wal']);
    expect(await nameNow()).toBe('保存前');
  });

  it('stops start-up on a damaged store with the way out, and --recover moves it aside', async () => {
    const live = await tmp();
    app = await startOpsApp({ dataDir: live });
    await app.close();
    app = undefined;
    const store = storeFile(live);
    const fd = openSync(store, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 4096);
    closeSync(fd);
    await expect(startOpsApp({ dataDir: live })).rejects.toThrow(/damaged.*npm run restore -- .*--recover/);
    app = await startOpsApp({ dataDir: live, app: { recoverDamagedStore: true } });
    expect(readdirSync(join(live, readdirSync(live).find((n) => n.startsWith('damaged-'))!))).toContain('webdesk.sqlite3');
    expect((await app.health()).store.startupCheck).toBe('failed');
    expect(await app.db('accounts').count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 3 }]);

    // A file that is not a database at all (its header gone) stops start-up the same way.
    const other = await tmp();
    writeFileSync(storeFile(other), 'not a database '.repeat(1000));
    await expect(startOpsApp({ dataDir: other })).rejects.toThrow(/damaged \(.*not a database.*\).*--recover/);
  });

  it('makes the daily backup, keeps the newest backupKeep, and lists them for staff', async () => {
    const live = await tmp();
    const clock = manualClock(Date.parse('2026-03-01T00:00:00Z'));
    app = await startOpsApp({ dataDir: live, clock });
    await app.settings.update({ backupKeep: 2 }, 'test');
    for (let day = 0; day < 4; day += 1) {
      await app.maintenance.runOnce();
      await app.maintenance.runOnce(); // a second check the same day does nothing
      clock.advance(86_400_000);
    }
    const list = await staff(app, 'supervisor').ok('ops.backups', {});
    expect(list.keep).toBe(2);
    expect(list.items.map((b) => b.at)).toEqual(['2026-03-04T00:00:00Z', '2026-03-03T00:00:00Z']);
    for (const b of list.items) expect(existsSync(join(live, 'backups', b.name))).toBe(true);
    const now = await staff(app, 'admin').ok('ops.backupNow', {});
    expect(now.bytes).toBeGreaterThan(0);
    expect((await app.health()).backups).toMatchObject({ count: 2, keep: 2 });
  });
});
