import { readFile } from 'node:fs/promises';
import { countAccounts } from '../store/accounts-repo';
import { localSchemaVersion } from '../store/migrations';
import { importAccountsCsv } from '../services/account-import';
import { addSyntheticAccounts } from '../services/synthetic-accounts';
import { createApp } from './create-app';
import { argValue, loadConfigOrExit } from './entry-support';
import { firstAdminNotice } from './first-admin';
import { auditVerifyReport } from '../services/audit-service';

const usage = `usage: webdesk-cli <command>
  migrate                      create or upgrade the local store in WEBDESK_DATA_DIR
  seed --accounts N            add N synthetic accounts (JSA-ID 9xxxxxxxxxx, userN@example.jp)
  import FILE.csv              import accounts (UTF-8, UTF-8 with BOM or Shift_JIS)
  audit-verify                 check the audit log's hash chain; names the first broken entry`;

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(`${usage}\n`);
    return command ? 0 : 2;
  }
  const config = loadConfigOrExit();
  const app = await createApp(config, { defaultLinkBase: 'web', startMailWorker: false });
  if (app.firstAdmin) process.stdout.write(firstAdminNotice(app.firstAdmin));
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
        const file = args.find((a) => !a.startsWith('--'));
        if (!file) {
          process.stderr.write('import: name the CSV file: npm run accounts:import -- FILE.csv\n');
          return 2;
        }
        const bytes = await readFile(file).catch(() => undefined);
        if (!bytes) {
          process.stderr.write(`import: cannot read ${file}\n`);
          return 2;
        }
        const report = await importAccountsCsv(app.db, app.clock, bytes, 'cli');
        for (const bad of report.rejected) process.stdout.write(`line ${bad.line}: ${bad.reason}\n`);
        process.stdout.write(`import (${report.encoding}): ${report.inserted} added, ${report.updated} updated, ${report.rejected.length} rejected\n`);
        return report.rejected.length > 0 && report.inserted + report.updated === 0 ? 1 : 0;
      }
      case 'audit-verify': {
        const report = await auditVerifyReport(app.db);
        (report.ok ? process.stdout : process.stderr).write(`${report.line}\n`);
        return report.ok ? 0 : 1;
      }
      default:
        process.stderr.write(`unknown command: ${command}\n${usage}\n`);
        return 2;
    }
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`webdesk: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
