// Where the Electron binary is, without require('electron'): in electron 45 that call itself
// starts the download when the binary is missing. Mirrors its lookup (path.txt,
// ELECTRON_OVERRIDE_DIST_PATH) with no side effect; undefined when there is no binary.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBinary(root) {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const full = override ? join(override, relative || 'electron') : relative ? join(pkg, 'dist', relative) : undefined;
  return full && existsSync(full) ? full : undefined;
}
