// npm run build: main-process bundles (esbuild) and the renderer (Vite), in parallel.
// Exits non-zero when either half fails, so `npm test` and `npm start` stop early.
// A production build ships no source maps (issue 13 §9: 2.6 MB of our source, served at
// /assets/*.map). `--source-maps` (npm test, and developers who want stack traces in the
// original files) adds them; `--out-dir DIR` builds elsewhere than dist/ (the build test).
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => join(root, p);
const argv = process.argv.slice(2);
const sourceMaps = argv.includes('--source-maps');
const outIndex = argv.indexOf('--out-dir');
const outDir = outIndex >= 0 && argv[outIndex + 1] ? resolve(argv[outIndex + 1]) : at('dist');

const entries = [
  { src: 'src-main/app/electron-main.ts', out: 'electron-main' },
  { src: 'src-main/app/preload.ts', out: 'preload', preload: true },
  { src: 'src-main/app/web.ts', out: 'web' },
  { src: 'src-main/app/cli.ts', out: 'cli' },
];

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: sourceMaps,
  tsconfig: at('tsconfig.main.json'),
  logLevel: 'warning',
};

// Source is written as ESM; in a CJS bundle import.meta is empty, so give it a real URL.
const importMetaShim = {
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__importMetaUrl' },
};

function optionsFor(entry) {
  const base = { ...common, entryPoints: [at(entry.src)], outfile: join(outDir, 'main', `${entry.out}.cjs`) };
  // Sandboxed preloads get a require() that knows only electron (and a few shims), so the
  // preload must be one self-contained file: bundle every package, keep only electron out.
  if (entry.preload) return { ...base, external: ['electron'] };
  // Main/web/cli require node_modules at run time: sqlite3 is native, and knex's optional
  // dialect requires (mysql, oracledb, ...) must stay unresolved rather than fail the bundle.
  return { ...base, ...importMetaShim, packages: 'external' };
}

async function buildMain() {
  rmSync(join(outDir, 'main'), { recursive: true, force: true });
  const present = entries.filter((e) => existsSync(at(e.src)));
  for (const e of entries) if (!present.includes(e)) console.warn(`build: skipped ${e.src} (file not found)`);
  await Promise.all(present.map((e) => esbuild.build(optionsFor(e))));
  return `${present.length} main bundle(s)`;
}

async function buildRenderer() {
  if (!existsSync(at('src-renderer/index.html'))) {
    console.warn('build: skipped renderer (src-renderer/index.html not found)');
    return 'no renderer';
  }
  // Imported lazily so a main-only failure is not masked by Vite start-up cost or errors.
  const { build } = await import('vite');
  await build({ configFile: at('vite.config.mts'), logLevel: 'warn', build: { outDir: join(outDir, 'renderer'), sourcemap: sourceMaps } });
  return 'renderer';
}

const started = performance.now();
const results = await Promise.allSettled([buildMain(), buildRenderer()]);
const failed = results.filter((r) => r.status === 'rejected');
for (const f of failed) console.error(`build failed: ${f.reason?.message ?? f.reason}`);
if (failed.length > 0) process.exit(1);
const done = results.map((r) => r.value).join(' + ');
console.log(`build: ${done}${sourceMaps ? ' with source maps' : ''} in ${((performance.now() - started) / 1000).toFixed(1)}s`);
