// npm run test:stress (issue 17): integration and e2e, several rounds each, on a machine made
// busy on purpose, so a test that only passes on a quiet box fails here first. Load is a
// CPU burner per core at normal priority (default) or the whole run pinned to one core
// (`--load=one-core`, taskset). A failure is a bug in the test or the product, never a case
// for a retry: this script retries nothing and stops nothing early.
//
//   npm run test:stress                         3 rounds of integration and e2e, burners on
//   npm run test:stress -- --rounds=1 --only=e2e --load=one-core
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function option(name, fallback) {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

const rounds = Number(option('rounds', '3'));
const only = option('only', 'integration,e2e').split(',');
const load = option('load', 'burn');
if (!Number.isInteger(rounds) || rounds < 1 || !only.every((g) => ['integration', 'e2e'].includes(g)) || !['burn', 'one-core', 'none'].includes(load)) {
  console.error('usage: npm run test:stress -- [--rounds=N] [--only=integration,e2e] [--load=burn|one-core|none]');
  process.exit(2);
}
if (load === 'one-core' && spawnSync('taskset', ['--version']).status !== 0) {
  console.error('--load=one-core needs taskset (Debian package util-linux)');
  process.exit(2);
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, CI: process.env.CI ?? 'true' } });
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

// Busy loops in child processes: they compete with the tests for every core as another
// build or browser on the same machine would.
function startBurners() {
  const count = availableParallelism();
  return Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
}

if ((await run('npm', ['run', '--silent', 'build'])) !== 0) {
  console.error('build failed; nothing was run under load');
  process.exit(1);
}

const burners = load === 'burn' ? startBurners() : [];
const stopBurners = () => burners.forEach((b) => b.kill('SIGKILL'));
process.on('exit', stopBurners);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const results = [];
for (let round = 1; round <= rounds; round += 1) {
  for (const group of only) {
    const started = performance.now();
    console.log(`\n=== stress round ${round}/${rounds}: ${group} (load: ${load}) ===`);
    const testArgs = [join(root, 'scripts', 'test.mjs'), '--only', group];
    const code =
      load === 'one-core'
        ? await run('taskset', ['-c', '0', process.execPath, ...testArgs])
        : await run(process.execPath, testArgs);
    const secs = ((performance.now() - started) / 1000).toFixed(0);
    results.push({ round, group, code, secs });
    console.log(`=== round ${round} ${group}: ${code === 0 ? 'green' : `RED (exit ${code})`} in ${secs}s ===`);
  }
}
stopBurners();

console.log('\nstress summary:');
for (const r of results) console.log(`  round ${r.round} ${r.group.padEnd(11)} ${r.code === 0 ? 'green' : 'RED'}  ${r.secs}s`);
const failedRuns = results.filter((r) => r.code !== 0).length;
console.log(`${results.length - failedRuns} passed, ${failedRuns} failed`);
process.exit(failedRuns === 0 ? 0 : 1);
