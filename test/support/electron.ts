// Where the Electron binary is, or why there is none, for `_electron.launch` specs
// (DESIGN.md §8: skipped with a stated reason where the binary does not exist).
// Not require('electron'): in electron 45 that call starts the binary download when the
// binary is missing, which hangs or fails on an offline machine.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const pkg = join(__dirname, '..', '..', 'node_modules', 'electron');

export function electronBinary(): { path: string } | { missing: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const full = override ? join(override, relative || 'electron') : relative ? join(pkg, 'dist', relative) : undefined;
  if (full && existsSync(full)) return { path: full };
  return {
    missing:
      'Electron binary not installed (it is downloaded on first launch; run `npx install-electron` on a connected machine)',
  };
}
