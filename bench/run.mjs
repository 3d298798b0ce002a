// Bundles a bench entry with esbuild (as scripts/build.mjs does for the app) into dist/bench/
// and runs it. `npm run bench [-- --quick]` runs bench/index.ts (every figure in one table);
// `node bench/run.mjs sync-bench [--quick]` runs one entry by name. The fleet bench's child
// processes run dist/bench/fleet-worker.cjs, bundled beside every entry (whichever entry forks them).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const name = argv[0] && !argv[0].startsWith('--') ? argv.shift() : 'index';
const outdir = join(root, 'dist', 'bench');
const outfile = join(outdir, `${name}.cjs`);
// `x` runs bench/x.ts, or bench/x.bench.ts when there is no bench/x.ts.
const entry = [`${name}.ts`, `${name}.bench.ts`].map((f) => join(root, 'bench', f)).find((f) => existsSync(f)) ?? join(root, 'bench', `${name}.ts`);
const entryPoints = [{ in: entry, out: name }];
if (name !== 'fleet-worker') entryPoints.push({ in: join(root, 'bench', 'fleet-worker.ts'), out: 'fleet-worker' });
await esbuild.build({
  absWorkingDir: root,
  entryPoints,
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: true,
  tsconfig: join(root, 'tsconfig.main.json'),
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__importMetaUrl' },
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...argv], { stdio: 'inherit' });
process.exit(run.status ?? 1);
