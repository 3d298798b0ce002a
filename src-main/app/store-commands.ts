import { accessSync, constants, copyFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { backupStore, inspectStoreFile, restoreStore, StoreSwapError, type StoreRefusal, type SwapSteps } from '../store/backup';
import type { AppConfig } from './config';
import { pidFile, readRunningApp } from './app-pid';
import { storeFile } from './data-dir';

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

/** `npm run backup -- FILE`: an online copy, safe while the app runs (store/backup.ts). */
export async function backupCommand(config: AppConfig, args: string[]): Promise<number> {
  const target = args.find((a) => !a.startsWith('--'));
  if (!target) {
    err('backup: name the target file: npm run backup -- FILE.sqlite3');
    return 2;
  }
  const dest = resolve(target);
  const exists = () => err(`backup: ${dest} exists; choose a new name (backups are never overwritten)`);
  if (existsSync(dest)) {
    exists();
    return 2;
  }
  const source = storeFile(config.dataDir);
  if (!existsSync(source)) {
    err(`backup: no store at ${source} (WEBDESK_DATA_DIR=${config.dataDir})`);
    return 1;
  }
  const started = performance.now();
  let result: Awaited<ReturnType<typeof backupStore>>;
  try {
    result = await backupStore(source, dest);
  } catch (error) {
    // Another backup (or a hand) put a file there while this one copied: it stays, this copy goes.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      exists();
      return 2;
    }
    const said = targetFileFault('backup', dest, error);
    if (!said) throw error;
    err(said);
    return 1;
  }
  out(`backup: ${dest} (${result.bytes} bytes, schema ${result.schema ?? 'none'}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  out('backup: keep secret.key from the data folder with it, separately and safely: without it, pending codes and queued mail cannot be read');
  return 0;
}

/**
 * Where a file the operator named goes (a backup, a support bundle), in words: a folder that is
 * not there, not writable, or a disk without room. The admin met Node's "ENOENT … open
 * '…/.1796661108115-27628.backup-tmp'" (a file they never named) or a bare "SQLITE_FULL:
 * database or disk is full" (which disk?). Undefined for anything else, which goes out as
 * before. The copy in progress is removed by backupStore.
 */
export function targetFileFault(command: string, dest: string, error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const folder = dirname(dest);
  if (code === 'ENOENT' || code === 'ENOTDIR') return `${command}: the folder ${folder} does not exist (${code}); make it or name a file in another folder (nothing was written; the store is unchanged)`;
  if (/^(?:EACCES|EPERM|EROFS|SQLITE_READONLY|SQLITE_CANTOPEN)/.test(code))
    return `${command}: cannot write in ${folder} (${code}); name a file in a folder this user may write (nothing was written; the store is unchanged)`;
  if (/^(?:ENOSPC|EDQUOT|SQLITE_FULL)/.test(code)) return `${command}: no room for the file in ${folder} (${code}); free space there or name a file on another disk (nothing was written; the store is unchanged)`;
  return undefined;
}

/**
 * `npm run restore -- FILE`: refuses (exit 1, nothing replaced) a file that fails the
 * integrity check, is not a store, or carries migrations this version does not know; and
 * refuses while the app runs. Otherwise the current store is moved aside, not deleted; a swap
 * that fails puts it back or says in one line where it is (exit 1).
 */
export async function restoreCommand(config: AppConfig, args: string[], steps?: SwapSteps): Promise<number> {
  const source = args.find((a) => !a.startsWith('--'));
  if (!source) {
    err('restore: バックアップのファイルを指定してください / name the backup file: npm run restore -- FILE.sqlite3');
    return 2;
  }
  const candidate = resolve(source);
  const running = readRunningApp(config.dataDir);
  // --force is for a pid file this check cannot judge; a counter surely running would go on
  // writing into the store moved aside, and those writes would be lost at its next start.
  if (running?.certain) {
    err(`restore: アプリが動いています（pid ${running.pid}）。先に止めてください（何も置き換えていません） / the app is running (pid ${running.pid}, started as ${pidFile(config.dataDir)} records) on ${config.dataDir}; stop it first, nothing replaced (--force does not pass a counter that is running)`);
    return 1;
  }
  if (running !== undefined && !args.includes('--force')) {
    err(`restore: アプリが動いているようです（pid ${running.pid}）。先に止めてください。異常終了の後に残ったファイルなら --force を付けます（何も置き換えていません） / the app is running (pid ${running.pid}) on ${config.dataDir}; stop it first, nothing replaced (a stale ${pidFile(config.dataDir)} after a crash: add --force)`);
    return 1;
  }
  const report = await inspectStoreFile(candidate);
  if (!report.ok) {
    err(refusalLine(candidate, report));
    return 1;
  }
  let result: Awaited<ReturnType<typeof restoreStore>>;
  try {
    result = await restoreStore(candidate, storeFile(config.dataDir), Date.now(), steps);
  } catch (error) {
    if (!(error instanceof StoreSwapError)) throw error;
    err(`restore: ${error.message}`);
    return 1;
  }
  if (!result.ok) {
    err(refusalLine(candidate, result));
    return 1;
  }
  out(`restore: ${candidate} installed as ${storeFile(config.dataDir)} (schema ${result.schema ?? 'none'}; newer migrations run at the next start)`);
  if (result.previous) out(`restore: the previous store was moved to ${result.previous}`);
  return 0;
}

/**
 * The one line for a backup restore will not install, in Japanese and English. SQLite's own
 * words (`SQLITE_CORRUPT: database disk image is malformed`, an fts5 blob number) told the
 * operator nothing they could act on, and a cut-off copy read the same as a damaged disk:
 * the line says what the file is and what to do instead.
 */
function refusalLine(file: string, report: StoreRefusal): string {
  const [ja, en] = ((): [string, string] => {
    switch (report.reason) {
      case 'cut-short':
        return report.expectedBytes === undefined
          ? [`途中で切れています（${report.bytes} バイト）。コピーし直すか、別のバックアップを指定してください`, `is cut short (${report.bytes} bytes, not whole pages): copy it again, or name another backup`]
          : [`途中で切れています（${report.bytes} / ${report.expectedBytes} バイト）。コピーし直すか、別のバックアップを指定してください`, `is cut short (${report.bytes} of ${report.expectedBytes} bytes): copy it again, or name another backup`];
      case 'damaged':
        return ['壊れています（整合性チェックで不整合が見つかりました）。別のバックアップを指定してください', 'is damaged (SQLite\'s integrity check found faults): name another backup'];
      case 'not-a-store':
        return ['Webdesk のバックアップではありません', `is not a Webdesk counter backup (${report.detail})`];
      case 'newer-schema':
        return ['この版より新しい版のアプリのバックアップです。先にアプリを更新してください', `comes from a newer version of the app (${report.detail}): update the app first`];
      case 'unreadable':
        return ['読めません', `cannot be read (${report.detail.startsWith(file) || report.detail.startsWith('no file') ? report.detail : 'check that the file exists and can be read'})`];
    }
  })();
  return `restore: ${file} は${ja}（何も置き換えていません） / refused, nothing replaced: ${file} ${en}`;
}

/**
 * A data folder that takes no writes (a disk remounted read-only) stopped `audit-verify` at
 * start-up, which needs a writable folder (log, pid file, migrations). Commands that only read
 * then run on a copy: the store (backupStore reads a read-only folder) and the keys a check
 * needs (secret.key, secrets.json) in a private temporary folder. Undefined when the folder
 * takes writes.
 */
export async function readOnlyStoreCopy(config: AppConfig): Promise<{ config: AppConfig; remove(): Promise<void> } | undefined> {
  try {
    accessSync(config.dataDir, constants.W_OK);
    return undefined;
  } catch {
    if (!existsSync(storeFile(config.dataDir))) return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), 'webdesk-read-only-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await backupStore(storeFile(config.dataDir), storeFile(dir));
    for (const name of ['secret.key', 'secrets.json']) {
      if (existsSync(join(config.dataDir, name))) copyFileSync(join(config.dataDir, name), join(dir, name));
    }
  } catch (error) {
    await remove();
    throw error;
  }
  return { config: { ...config, dataDir: dir }, remove };
}
