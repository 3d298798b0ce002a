// npm run dist: installers for counter PCs with electron-builder (electron-builder.yml: Linux
// AppImage + deb, Windows NSIS; sqlite3 rebuilt for Electron and unpacked from the asar).
// electron-builder needs the Electron binary and, for the target, Electron's zip, its
// headers (to rebuild sqlite3) and its packaging tools, all from the network. Where the
// binary has never been fetched (an offline machine), building cannot work: say so and stop
// with exit code 1 before doing anything, instead of hanging on a download.
// Arguments after `npm run dist --` go to electron-builder (e.g. -- --linux deb, -- --win).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);


function run(command, commandArgs) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
    child.on('error', (err) => {
      console.error(`cannot start ${command}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (!electronBinary(root)) {
  console.log(
    'npm run dist cannot build installers on this machine: the Electron binary is not installed ' +
      '(the electron package fetches it from GitHub on first use, and here that never happened, ' +
      'most likely because the machine is offline), and electron-builder would in addition ' +
      "download Electron's zip for each target, its headers to rebuild sqlite3, and the AppImage " +
      'and NSIS tools. Build on a connected machine instead: npm ci, npx install-electron, then ' +
      'npm run dist (installers land in release/); see docs/operations.md, "Build the ' +
      'installers". Nothing was built or changed.',
  );
  process.exit(1);
}

const build = await run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
if (build !== 0) process.exit(build);
const builder = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder');
process.exit(await run(builder, ['--config', 'electron-builder.yml', '--publish', 'never', ...args]));
