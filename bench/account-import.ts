// `node bench/run.mjs account-import [--quick]`: only the account import figures.
import { benchAccountImport } from './account-import.bench';
import { printTable } from './stats';

const quick = process.argv.includes('--quick');
const sizes = process.argv.includes('--sizes') ? process.argv[process.argv.indexOf('--sizes') + 1]!.split(',').map(Number) : quick ? [20_000] : [200_000, 1_000_000];
benchAccountImport({ sizes, log: (line) => console.log(line), details: {} }).then(printTable, (error: unknown) => {
  console.error(error);
  process.exit(1);
});
