import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchEnumeration } from './enumeration.bench';
import { benchMailOutbox } from './mail-outbox.bench';
import { benchRenderer } from './renderer.bench';
import { benchResetRequest } from './reset-request.bench';
import { benchAccountLookup } from './account-lookup.bench';
import { printTable, type BenchRow } from './stats';

/**
 * `npm run bench` (full) and `npm run bench -- --quick` (CI: keeps the harness from rotting).
 * Each bench measures its figure beside a baseline taken in the same run and prints the ratio.
 */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rows: BenchRow[] = [];
  rows.push(...(await benchResetRequest({ requests: quick ? 100 : 500 })));
  rows.push(...(await benchEnumeration({ requests: quick ? 100 : 500 })));
  rows.push(...(await benchMailOutbox({ mails: quick ? 50 : 300 })));
  rows.push(...(await benchRenderer({ loads: quick ? 3 : 20 })));
  rows.push(...(await benchAccountLookup({ accounts: quick ? 5_000 : 100_000, lookups: quick ? 120 : 600 })));
  printTable(rows);
  const out = join(__dirname, '..', '..', 'bench', 'results.json');
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ quick, at: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
  console.log(`bench: results written to bench/results.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
