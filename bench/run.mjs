// Bundles a bench entry with esbuild (as scripts/build.mjs does for the app) into dist/bench/
// and runs it. `npm run bench [-- --quick]` runs bench/index.ts (every figure in one table);
// `node bench/run.mjs sync-bench [--quick]` runs one entry by name.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const name = argv[0] && !argv[0].startsWith('--') ? argv.shift() : 'index';
const outfile = join(root, 'dist', 'bench', `${name}.cjs`);
await esbuild.build({
  absWorkingDir: root,
  // `fleet` runs bench/fleet.bench.ts when there is no bench/fleet.ts.
  entryPoints: [[`${name}.ts`, `${name}.bench.ts`].map((f) => join(root, 'bench', f)).find((f) => existsSync(f)) ?? join(root, 'bench', `${name}.ts`)],
  outfile,
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
