// `node bench/run.mjs mail-outbox [--quick] [--mails=N] [--runs=N]`: the mail outbox bench alone
// (300 mails a run; --quick: 50), repeated so a figure from a shared, busy box can be judged.
import { benchMailOutbox } from './mail-outbox.bench';
import { printTable, type BenchRow } from './stats';

const quick = process.argv.includes('--quick');
const arg = (name: string) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3));
const mails = Number.isInteger(arg('mails')) && arg('mails') > 0 ? arg('mails') : quick ? 50 : 300;
const runs = Number.isInteger(arg('runs')) && arg('runs') > 0 ? arg('runs') : 1;

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  for (let run = 0; run < runs; run += 1) rows.push(...(await benchMailOutbox({ mails })));
  printTable(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
