// `node bench/run.mjs account-export [--quick] [--rows N]`: only the account export figures.
import { benchAccountExport } from './account-export.bench';
import { printTable } from './stats';

const quick = process.argv.includes('--quick');
const rows = process.argv.includes('--rows') ? Number(process.argv[process.argv.indexOf('--rows') + 1]) : quick ? 20_000 : 200_000;
benchAccountExport({ rows, log: (line) => console.log(line) }).then(printTable, (error: unknown) => {
  console.error(error);
  process.exit(1);
});
