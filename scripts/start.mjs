// npm start (after npm run build): the Electron window, or web mode where there is no
// Electron binary (DESIGN.md §5). Arguments after `npm start --` go to the app.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);


function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    console.error(`cannot start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary(root);
// First line: which runtimes this start uses (issue 17). `node` here is the node@24 package's,
// put first on the PATH by npm; Electron 45 embeds the same Node 24 line.
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
console.log(
  `JSA Webdesk counter: Node ${process.version}, Electron ${electronVersion}` +
    (electron ? '' : ' (binary not installed: web mode)'),
);
if (electron) {
  run(electron, [join(root, 'dist', 'main', 'electron-main.cjs'), ...args]);
} else {
  console.log(
    'The Electron binary is not installed on this machine: the electron package fetches it ' +
      'from GitHub on first launch, and here it has not been fetched (this machine is offline, ' +
      'and npm start never tries). On a connected machine, run `npx install-electron` once (the ' +
      'same as `node node_modules/electron/install.js`), or point ELECTRON_OVERRIDE_DIST_PATH at ' +
      'an unpacked Electron 45 folder; `npm start` then opens the desktop window. Starting web ' +
      'mode instead: open the address printed below in a browser on this PC (staff tools at /staff).',
  );
  // Stack traces in the original files only where the build made maps (npm test, `npm run build -- --source-maps`).
  const web = join(root, 'dist', 'main', 'web.cjs');
  run(process.execPath, [...(existsSync(`${web}.map`) ? ['--enable-source-maps'] : []), web, ...args]);
}
