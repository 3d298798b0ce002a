// `npm run bench:lookup [-- --quick]`: the staff lookup bench alone (100,000 accounts; --quick: 5,000).
import { benchAccountLookup } from './account-lookup.bench';
import { printTable } from './stats';

const quick = process.argv.includes('--quick');
benchAccountLookup({ accounts: quick ? 5_000 : 100_000, lookups: quick ? 120 : 600 }).then(printTable, (error: unknown) => {
  console.error(error);
  process.exit(1);
});
