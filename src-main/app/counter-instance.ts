import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * This installation's name for central (central 0017): a hash of the host name and the data
 * folder's real path. It is worked out at every start and never stored, so a copy of the store
 * (a backup restored onto a second PC, a folder copied beside the first) cannot carry it. A
 * restore into the same folder of the same PC is the same installation. Hashed: central need
 * not learn the counter's host name or paths.
 */
export function counterInstance(dataDir: string): string {
  let folder = dataDir;
  try {
    folder = realpathSync(dataDir);
  } catch {
    // The folder exists by now (ensureDataFolder); if not, the path as configured names it.
  }
  return createHash('sha256').update(`${hostname()}\n${folder}`).digest('hex').slice(0, 32);
}
