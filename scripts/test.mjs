// npm test (DESIGN.md §5): static checks, build, unit, integration, e2e, quick bench, stopping
// at the first failure. `node scripts/test.mjs --only unit|integration|e2e|static|bench` runs one group.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const APT_PACKAGES = 'chromium xvfb fonts-noto-cjk postgresql openssl poppler-utils';

// What each step needs from Debian; checked just before the first step that needs it.
const steps = [
  { name: 'typecheck', group: 'static', cmd: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'lint', group: 'static', cmd: ['npm', 'run', '--silent', 'lint'] },
  // Tests keep source maps: a failing e2e or integration run shows stack traces in the source.
  { name: 'build', group: 'static', cmd: ['npm', 'run', '--silent', 'build', '--', '--source-maps'] },
  { name: 'unit', group: 'unit', cmd: [bin('vitest'), 'run', '--project', 'unit'] },
  // Renderer hooks and components in Chromium, like the e2e specs.
  { name: 'unit-renderer', group: 'unit', cmd: [bin('vitest'), 'run', '--project', 'unit-renderer'], needs: ['chromium'] },
  // 20 SIGKILL runs here; `npm run test:reliability` does the full 50 (crash-recovery.test.ts).
  { name: 'integration', group: 'integration', cmd: [bin('vitest'), 'run', '--project', 'integration'], needs: ['postgres', 'openssl'], env: { WEBDESK_CRASH_RUNS: process.env.WEBDESK_CRASH_RUNS ?? '20' } },
  { name: 'e2e', group: 'e2e', cmd: [bin('playwright'), 'test'], needs: ['chromium', 'fonts', 'pdftotext'] },
  // The quick bench keeps the harness from rotting (issue 8); its figures are not a gate.
  { name: 'bench', group: 'bench', cmd: ['npm', 'run', '--silent', 'bench', '--', '--quick'] },
];

const prerequisites = {
  chromium: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
  fonts: () => /Noto Sans CJK/i.test(spawnSync('fc-list', { encoding: 'utf8' }).stdout ?? ''),
  openssl: () => spawnSync('openssl', ['version']).status === 0,
  // The 受付票 e2e reads the printed PDF with poppler's pdftotext.
  pdftotext: () => spawnSync('pdftotext', ['-v']).status === 0,
  postgres: () =>
    existsSync('/usr/lib/postgresql') &&
    readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)),
};

function parseOnly(argv) {
  const i = argv.indexOf('--only');
  const only = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--only='))?.slice(7);
  const groups = ['static', 'unit', 'integration', 'e2e', 'bench'];
  if (only !== undefined && !groups.includes(only)) {
    console.error(`usage: node scripts/test.mjs [--only ${groups.join('|')}]`);
    process.exit(2);
  }
  return only;
}

function run(cmd, extraEnv = {}) {
  return new Promise((resolve) => {
    const [file, ...args] = cmd;
    const child = spawn(file, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...extraEnv },
      shell: process.platform === 'win32', // .bin shims are .cmd files there
    });
    child.on('error', (err) => {
      console.error(`cannot start ${file}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

let passed = 0;
let failed = 0;
function finish(code) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code);
}

// Missing Debian packages: install them as root (CI), otherwise name the one command.
async function ensure(needs) {
  const missing = needs.filter((n) => !prerequisites[n]());
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(`missing ${missing.join(', ')}; run: sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${APT_PACKAGES}`);
    failed += 1;
    finish(1);
  }
  console.log(`installing ${APT_PACKAGES} (missing: ${missing.join(', ')})`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const code =
    (await run(['apt-get', 'update'], env)) || (await run(['apt-get', 'install', '-y', ...APT_PACKAGES.split(' ')], env));
  const still = needs.filter((n) => !prerequisites[n]());
  if (code !== 0 || still.length > 0) {
    console.error(`apt-get could not provide ${still.join(', ') || missing.join(', ')} (exit ${code})`);
    failed += 1;
    finish(code || 1);
  }
}

// Electron specs need a display; web-mode specs don't care. xvfb-run supplies one on CI.
function withDisplay(cmd) {
  const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  return headless && existsSync('/usr/bin/xvfb-run') ? ['xvfb-run', '-a', ...cmd] : cmd;
}

const only = parseOnly(process.argv.slice(2));
const selected = steps.filter((s) => only === undefined || s.group === only);
const total = performance.now();
for (const step of selected) {
  if (step.needs) await ensure(step.needs);
  const started = performance.now();
  const code = await run(step.name === 'e2e' ? withDisplay(step.cmd) : step.cmd, step.env);
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    failed += 1;
    console.log(`✗ ${step.name} failed in ${secs}s (exit ${code})`);
    finish(code);
  }
  passed += 1;
  console.log(`✓ ${step.name} ${secs}s`);
}
console.log(`all steps in ${((performance.now() - total) / 1000).toFixed(1)}s`);
finish(0);
