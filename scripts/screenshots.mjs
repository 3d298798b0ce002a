// npm run screenshots: the e2e specs with WEBDESK_SCREENSHOTS=docs, so the pictures README
// and docs/ show are written to docs/screenshots/ (test/e2e/screenshot-path.ts). Every spec
// runs, as the pictures are taken along the journeys they show.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(join(root, 'node_modules', '.bin', 'playwright'), ['test', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, WEBDESK_SCREENSHOTS: 'docs' },
  shell: process.platform === 'win32',
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
