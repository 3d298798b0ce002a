// `node bench/run.mjs central-import [--quick] [--rows N]`: only the central import figures.
import { benchCentralImport } from './central-import.bench';
import { printTable } from './stats';

const quick = process.argv.includes('--quick');
const rows = process.argv.includes('--rows') ? Number(process.argv[process.argv.indexOf('--rows') + 1]) : quick ? 20_000 : 1_000_000;
benchCentralImport({ rows, log: (line) => console.log(line) }).then(printTable, (error: unknown) => {
  console.error(error);
  process.exit(1);
});
