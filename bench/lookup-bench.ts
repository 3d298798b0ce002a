// `npm run bench:lookup [-- --quick] [-- --accounts=N]`: the staff lookup bench alone
// (100,000 accounts; --quick: 5,000; --accounts=1000000 for issue 8's million-account figure).
import { benchAccountLookup } from './account-lookup.bench';
import { printTable } from './stats';

const quick = process.argv.includes('--quick');
const requested = Number(process.argv.find((a) => a.startsWith('--accounts='))?.slice('--accounts='.length));
const accounts = Number.isInteger(requested) && requested > 0 ? requested : quick ? 5_000 : 100_000;
benchAccountLookup({ accounts, lookups: quick ? 120 : 600 }).then(printTable, (error: unknown) => {
  console.error(error);
  process.exit(1);
});
