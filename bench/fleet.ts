// `npm run bench:fleet [-- --quick] [-- --rate=W]` (node bench/run.mjs fleet …): the fleet alone
// (bench/fleet.bench.ts; `npm run bench` has the same rows in its table). Full: 200 kiosks in
// 4 processes for 60 s; --quick: 20 kiosks in 2 processes for 10 s; W writes per kiosk per
// second, default 1 (a counter does a few a minute; 1/s loads central).
import { benchFleet } from './fleet.bench';
import { printTable } from './stats';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rate = Number(process.argv.find((a) => a.startsWith('--rate='))?.slice('--rate='.length) ?? 1);
  const rows = await benchFleet({
    kiosks: quick ? 20 : 200,
    seconds: quick ? 10 : 60,
    processes: quick ? 2 : 4,
    rate,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  printTable(rows);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error instanceof Error ? (error.stack ?? error.message) : String(error)).slice(0, 2000)}\n`);
    process.exit(1);
  },
);
