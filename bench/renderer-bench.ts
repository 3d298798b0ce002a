// `node bench/run.mjs renderer-bench [--quick]`: the renderer bench alone (gzipped size and
// トップ's time to interactive, 20 cold loads; --quick: 3), for changes that touch only the screens.
import { benchRenderer } from './renderer.bench';
import { printTable } from './stats';

const quick = process.argv.includes('--quick');
benchRenderer({ loads: quick ? 3 : 20 }).then(printTable, (error: unknown) => {
  console.error(error);
  process.exit(1);
});
