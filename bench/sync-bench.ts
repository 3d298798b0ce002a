// `npm run bench:sync [-- --quick] [-- --push-only] [-- --first-only]`: the sync figures alone
// (bench/sync.bench.ts; `npm run bench` has the same rows in its table). Full: first sync of
// 1,000,000 accounts, 200 propagation samples, a push of 20,000 mutations; --quick: 100,000
// accounts and 5,000 mutations; --push-only: skip the first sync; --first-only: only the first sync.
// Prints the detail lines, then the rows; writes them to bench/results.json as `npm run bench` does.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printTable } from './stats';
import { benchSync } from './sync.bench';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const details: Record<string, unknown> = {};
  const rows = await benchSync({
    accounts: quick ? 100_000 : 1_000_000,
    pushMutations: quick ? 5_000 : 20_000,
    propagationSamples: 200,
    firstOnly: process.argv.includes('--first-only'),
    pushOnly: process.argv.includes('--push-only'),
    log: (line) => process.stdout.write(`${line}\n`),
    details,
  });
  printTable(rows);
  const out = join(__dirname, '..', '..', 'bench', 'results.json');
  writeFileSync(out, `${JSON.stringify({ quick, at: new Date().toISOString(), node: process.version, bench: 'sync-bench', rows, sync: details }, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error instanceof Error ? (error.stack ?? error.message) : String(error)).slice(0, 2000)}\n`);
    process.exit(1);
  },
);
