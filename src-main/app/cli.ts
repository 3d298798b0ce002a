import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defaultRuntimeSettings, runtimeSettingsSchema, type RuntimeSettings } from '../domain/runtime-settings';
import { fieldIssueText } from '../contract/field-messages';
import { fieldIssuesFromZod } from '../contract/field-issues';
import { countAccounts } from '../store/accounts-repo';
import { localSchemaVersion } from '../store/migrations';
import { addSyntheticAccounts } from '../services/synthetic-accounts';
import { runningApp } from './app-pid';
import { cliAppOptions } from './cli-app-options';
import { createApp } from './create-app';
import { storeFile } from './data-dir';
import { argValue, loadConfigOrExit } from './entry-support';
import { cliFailureLine, whatStays } from './cli-failure';
import { centralUrlMissingLine, isCommand, npmTookDryRunLine, unknownOptionLine } from './cli-options';
import { importCommand } from './import-cli';
import { auditVerifyReport } from '../services/audit-service';
import { verifyCentralAudit } from '../services/sync/audit-central';
import { centralFailureText } from '../store/central-client-config';
import { backupCommand, readOnlyStoreCopy, restoreCommand, targetFileFault } from './store-commands';
import { syncCommand } from './sync-cli';
import { auditAcceptCommand } from './audit-accept-cli';
import { buildSupportBundle } from '../services/ops/support-bundle';

const usage = `usage: webdesk-cli <command>
  migrate                      create or upgrade the local store in WEBDESK_DATA_DIR
  seed --accounts N            add N synthetic accounts (JSA-ID 9xxxxxxxxxx, userN@example.jp)
  import FILE.csv [--dry-run] [--rejects R.csv] [--lang ja|en]
                               import accounts (UTF-8, UTF-8 with BOM or Shift_JIS), streamed,
                               upsert by jsa_id; --rejects writes the refused rows with reasons;
                               --central: into the central database (COPY + merge; counters pull)
  settings-set KEY JSON        change one run-time setting (audited), e.g. settings-set idleTimeoutSeconds 60
  settings-show                print the run-time settings
  support-bundle [FILE.zip]    write health, settings and masked logs for support
  backup FILE                  online copy of the store (SQLite backup API; the app may keep running)
  restore FILE [--force]       check FILE (integrity, schema) and install it as the store (app stopped)
  migrate --recover            move a damaged store aside and start an empty one
  central-migrate              create or upgrade the central PostgreSQL schema at WEBDESK_CENTRAL_URL
  central-prune [--silent-days N]  prune central's change log below every kiosk heard from in N days (7)
  central-rotate-key           make a new deployment code key current (WEBDESK_SECRET set: adopt that one)
  sync [--status|--follow|--take-over]
                               sync with central once (first sync, push, pull), show the status, keep syncing,
                               or keep this counter's identity on this PC
  audit-verify [--central]     check the audit log's hash chain; names the first broken entry;
                               --central: every counter's chain at central, and each log against central's head
  audit-accept --counter ID --reason TEXT
                               after investigating, accept the gap audit-verify --central names in ID's log
                               (recorded at central with who, when and why; audited here)
  staff-reset-password USER    new one-time password for a staff user (unlocks; change forced at login)`;

/** For the last catch's line: the folder whose disk or store failed. */
let dataDirInUse: string | undefined;

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  // Asked after a command too (`npm run central:rotate-key -- --help`): the usage, and nothing run.
  if (!command || command === '--help' || command === 'help' || args.includes('--help')) {
    process.stdout.write(`${usage}\n`);
    return command ? 0 : 2;
  }
  // Before the data folder is touched: a typo makes no store and runs nothing.
  if (!isCommand(command)) {
    process.stderr.write(`unknown command: ${command}\n${usage}\n`);
    return 2;
  }
  const refused = npmTookDryRunLine(command, process.env) ?? unknownOptionLine(command, args);
  if (refused) {
    process.stderr.write(`${refused}\n`);
    return 2;
  }
  const config = loadConfigOrExit();
  dataDirInUse = config.dataDir;
  // sync --follow stops on Ctrl-C by itself; elsewhere Ctrl-C ended the process without a word
  // (a one-pass sync too: an operator stopping a long first sync was left to guess what stayed).
  if (command !== 'sync' || !args.includes('--follow')) process.once('SIGINT', () => interrupted(command));
  // backup and restore work on the file, not through createApp: a damaged store must not stop them.
  if (command === 'backup') return backupCommand(config, args);
  if (command === 'restore') return restoreCommand(config, args);
  if (command === 'central-migrate' || command === 'central-prune' || command === 'central-rotate-key' || command === 'sync') return syncCommand(command, args, config);
  if (command === 'audit-accept') return auditAcceptCommand(config, args);
  // A check of nothing is not a check: on a folder with no store (a typo in WEBDESK_DATA_DIR)
  // it made an empty one and answered "0 entries, chain intact".
  if (command === 'audit-verify' && !args.includes('--central') && !existsSync(storeFile(config.dataDir))) {
    process.stderr.write(`audit-verify: no store at ${storeFile(config.dataDir)} (WEBDESK_DATA_DIR=${config.dataDir}); nothing was checked\n`);
    return 1;
  }
  // Asked before createApp, which writes this process's own pid there.
  const counterPid = runningApp(config.dataDir);
  const copy = command === 'audit-verify' ? await readOnlyStoreCopy(config) : undefined;
  if (copy) process.stdout.write(`audit-verify: the data folder ${config.dataDir} takes no writes; checking a copy of its store\n`);
  const starting = createApp(copy?.config ?? config, cliAppOptions(command, args));
  // A counter that cannot start is when support needs the bundle most: its logs and the one line.
  const app = command === 'support-bundle' ? await starting.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))) : await starting;
  if (app instanceof Error) return startupFailureBundle(config.dataDir, args, app);
  try {
    switch (command) {
      case 'migrate':
        process.stdout.write(`store ${config.dataDir}: schema ${await localSchemaVersion(app.db)}\n`);
        return 0;
      case 'seed': {
        const n = Number(argValue(args, '--accounts') ?? '1000');
        if (!Number.isInteger(n) || n < 1 || n > 5_000_000) {
          process.stderr.write('seed: --accounts: expected a whole number from 1 to 5,000,000\n');
          return 2;
        }
        const started = performance.now();
        await addSyntheticAccounts(app.db, app.clock, n, (done) => process.stdout.write(`\r${done}/${n}`));
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(`\nseed: ${n} synthetic accounts in ${seconds.toFixed(1)} s; ${await countAccounts(app.db)} accounts in the store\n`);
        return 0;
      }
      case 'import': {
        const code = await importCommand(app.db, app.clock, args, { url: config.centralUrl, kioskId: config.kioskId }, { dataDir: config.dataDir, counterRunning: counterPid !== undefined });
        // import --central runs no sync loop (cli-app-options.ts): its entries go to central now.
        // Exit 2 is an import that never began (central unreachable, a bad argument): its one
        // line has said so, and it wrote nothing to send.
        if (args.includes('--central') && !args.includes('--dry-run') && code !== 2 && app.sync) {
          await app.sync.streamAuditOnce().catch((error: unknown) => {
            process.stderr.write(`import: the audit entries of this import stay in ${config.dataDir} until its next sync: ${centralFailureText(config.centralUrl!, error)}\n`);
          });
        }
        return code;
      }
      case 'settings-set': {
        const [key, json] = args;
        if (!key || json === undefined || !Object.hasOwn(defaultRuntimeSettings, key)) {
          const keys = Object.keys(defaultRuntimeSettings).join(', ');
          process.stderr.write(`settings-set: 設定名と JSON の値を指定してください / expected KEY JSON; KEY is one of ${keys}\n`);
          return 2;
        }
        let value: unknown;
        try {
          value = JSON.parse(json);
        } catch {
          process.stderr.write(`settings-set: ${key}: 値が JSON ではありません（文字列は '"text"' のように引用符で囲みます） / the value is not JSON (strings need quotes: '"text"')\n`);
          return 2;
        }
        const parsed = runtimeSettingsSchema.safeParse({ ...(await app.settings.get()), [key]: value });
        if (!parsed.success) {
          // The 設定 screen's words for the same check (zod's own read "Too small: expected number to be >=15").
          const issue = fieldIssuesFromZod(parsed.error)[0]!;
          process.stderr.write(`settings-set: ${issue.field}: ${fieldIssueText('ja', issue, issue.field)} / ${fieldIssueText('en', issue, issue.field)}\n`);
          return 2;
        }
        await app.settings.update({ [key]: parsed.data[key as keyof RuntimeSettings] }, 'cli');
        process.stdout.write(`${key} = ${JSON.stringify(parsed.data[key as keyof RuntimeSettings])}\n`);
        return 0;
      }
      case 'support-bundle': {
        const bundle = await app.supportBundle();
        const target = args.find((a) => !a.startsWith('--')) ?? bundle.fileName;
        const refused = await writeBundle(target, bundle.zip);
        if (refused !== undefined) return refused;
        process.stdout.write(`support bundle: ${target} (${bundle.zip.length} bytes; no personal data, no secrets)\n`);
        return 0;
      }
      case 'settings-show':
        process.stdout.write(`${JSON.stringify(await app.settings.get(), null, 2)}\n`);
        return 0;
      case 'staff-reset-password': {
        const username = (args[0] ?? '').trim().toLowerCase();
        if (!username) {
          // It said `no staff user ""`, as if an empty name had been looked up.
          process.stderr.write('staff-reset-password: name the staff user: npm run staff:reset-password -- USER (e.g. admin)\n');
          return 2;
        }
        const user = await app.staff.auth.findByUsername(username);
        if (!user) {
          process.stderr.write(`staff-reset-password: no staff user "${username}"\n`);
          return 2;
        }
        const { oneTimePassword } = await app.staff.auth.resetUserPassword('cli', user.id);
        process.stdout.write(`${user.username}: one-time password ${oneTimePassword}\n`);
        return 0;
      }
      case 'audit-verify': {
        if (args.includes('--central')) {
          if (!config.centralUrl) {
            process.stderr.write(`${centralUrlMissingLine('audit-verify --central')}\n`);
            return 2;
          }
          const centralUrl = config.centralUrl;
          const central = await verifyCentralAudit({ db: app.db, centralUrl, kioskId: config.kioskId, markerValid: app.retention.markerValid, legacyKeys: () => app.keys.all() }).catch((error: unknown) => {
            process.stderr.write(`audit-verify --central: ${centralFailureText(centralUrl, error)}\n`);
            return undefined;
          });
          if (!central) return 1;
          for (const line of central.lines) (central.ok ? process.stdout : process.stderr).write(`${line}\n`);
          return central.ok ? 0 : 1;
        }
        const report = await auditVerifyReport(app.db, { markerValid: app.retention.markerValid });
        (report.ok ? process.stdout : process.stderr).write(`${report.line}\n`);
        return report.ok ? 0 : 1;
      }
      default:
        process.stderr.write(`unknown command: ${command}\n${usage}\n`);
        return 2;
    }
  } finally {
    await app.close();
    await copy?.remove();
  }
}

/**
 * A bundle never replaces a file, as backups are not: writeFile over an existing file kept its
 * old mode (0644 where the bundle is 0600) and lost what was there. 'wx' refuses in the open itself.
 * A folder that is not there or not writable is said as for a backup, not with Node's error.
 * Undefined once written, else the exit code.
 */
async function writeBundle(target: string, zip: Buffer): Promise<number | undefined> {
  try {
    await writeFile(target, zip, { mode: 0o600, flag: 'wx' });
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      process.stderr.write(`support-bundle: ${resolve(target)} exists; choose a new name (bundles are never overwritten)\n`);
      return 2;
    }
    const said = targetFileFault('support-bundle', resolve(target), error);
    if (!said) throw error;
    process.stderr.write(`${said}\n`);
    return 1;
  }
}

/**
 * Ctrl-C part-way: one line saying so, exit 130 as a shell reports a SIGINT. What was committed
 * stays (an open transaction is rolled back by SQLite at the next open, as after a kill); an
 * import run again finishes the file (README: an interrupted import is finished by running it again).
 */
function interrupted(command: string): void {
  process.stderr.write(`${process.stdout.isTTY ? '\n' : ''}${command}: 中断しました / interrupted (Ctrl-C) before it finished; ${whatStays(command)}\n`);
  process.exit(130);
}

/** support-bundle when the counter cannot start: the start-up line and the masked logs. */
async function startupFailureBundle(dataDir: string, args: string[], failure: Error): Promise<number> {
  const bundle = await buildSupportBundle({ dataDir, startupFailure: failure.message, nowIso: new Date().toISOString() });
  const target = args.find((a) => !a.startsWith('--')) ?? bundle.fileName;
  const refused = await writeBundle(target, bundle.zip);
  if (refused !== undefined) return refused;
  process.stderr.write(`webdesk: ${failure.message}\n`);
  process.stdout.write(`support bundle: ${target} (${bundle.zip.length} bytes; the counter cannot start: the line above and its logs, no personal data, no secrets)\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${cliFailureLine(process.argv[2] ?? 'webdesk', dataDirInUse, error)}\n`);
    process.exit(1);
  },
);
