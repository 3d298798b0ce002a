// `npm run bench:fleet [-- --quick] [-- --rate=W]` (node bench/run.mjs fleet …): the fleet alone
// (bench/fleet.bench.ts; `npm run bench` has the same rows in its table). Full: 200 kiosks in
// 4 processes for 60 s at 0.05 writes per kiosk per second; --quick: 20 kiosks in 2 processes
// for 10 s at 1/s; --rate=W: W writes per kiosk per second (fleetShape).
import { benchFleet, fleetShape } from './fleet.bench';
import { printTable } from './stats';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rows = await benchFleet({ ...fleetShape(quick, process.argv), log: (line) => process.stdout.write(`${line}\n`) });
  printTable(rows);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error instanceof Error ? (error.stack ?? error.message) : String(error)).slice(0, 2000)}\n`);
    process.exit(1);
  },
);
