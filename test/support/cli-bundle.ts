// The real CLI (src-main/app/cli.ts) bundled once per test run with esbuild, the way
// scripts/build.mjs bundles it, so tests can run a kiosk in a child process and SIGKILL it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const root = join(__dirname, '..', '..');
// Inside the repository, so the bundle's require() of node_modules packages resolves.
const outfile = join(root, 'dist', 'test', 'cli.cjs');
let built: Promise<string> | undefined;

export function buildCli(): Promise<string> {
  return (built ??= esbuild
    .build({
      absWorkingDir: root,
      entryPoints: [join(root, 'src-main/app/cli.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      tsconfig: join(root, 'tsconfig.main.json'),
      banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
      define: { 'import.meta.url': '__importMetaUrl' },
      logLevel: 'warning',
    })
    .then(() => outfile));
}

export interface CliRun {
  child: ChildProcess;
  /** Everything printed so far. */
  output(): string;
  /** Resolves when a line matching `pattern` has been printed (or rejects when the process ends first). */
  line(pattern: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The Node flags `npm run accounts:import` starts the CLI with (package.json), for an import run as an administrator runs it. */
function importNodeFlags(): string[] {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const flags = /\bnode ((?:--\S+ )*)dist\/main\/cli\.cjs import\b/.exec(scripts['accounts:import'] ?? '');
  if (!flags) throw new Error('package.json: accounts:import does not run node … dist/main/cli.cjs import');
  return flags[1]!.trim().split(' ').filter(Boolean);
}

export async function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const file = await buildCli();
  const child = spawn(process.execPath, [...(args[0] === 'import' ? importNodeFlags() : []), file, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const w of waiters.splice(0)) w();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    output: () => out,
    exited,
    line(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.split('\n').find((l) => pattern.test(l));
          if (match !== undefined) return resolve(match);
          if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`process ended before ${pattern}:\n${out}`));
          waiters.push(check);
        };
        check();
      });
    },
  };
}
