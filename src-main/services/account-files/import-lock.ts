import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Who holds the counter's import: a staff user (display name and user name), or `cli`. */
export interface ImportLockHolder {
  pid: number;
  by: string;
  byUser?: string;
  since: string;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One import at a time per counter, across processes: the staff screen's run and
 * `npm run accounts:import` on the same data folder take DATA_DIR/import.lock (created
 * exclusively). A lock whose process is gone (killed, power cut) is stale and taken over; an
 * interrupted import is finished by importing the same file again.
 */
export function importLock(dataDir: string) {
  const path = join(dataDir, 'import.lock');
  const holder = (): ImportLockHolder | undefined => {
    try {
      const held = JSON.parse(readFileSync(path, 'utf8')) as ImportLockHolder;
      return typeof held.pid === 'number' && alive(held.pid) ? held : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    /** Takes the lock, or returns who holds it. */
    acquire(by: string, since: string, byUser?: string): { ok: true; release(): void } | { ok: false; holder: ImportLockHolder } {
      const me: ImportLockHolder = { pid: process.pid, by, ...(byUser === undefined ? {} : { byUser }), since };
      for (let attempt = 0; attempt < 2; attempt += 1) {
        try {
          writeFileSync(path, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
          return {
            ok: true,
            release: () => {
              if (holder()?.pid === process.pid) rmSync(path, { force: true });
            },
          };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          const held = holder();
          if (held) return { ok: false, holder: held };
          rmSync(path, { force: true });
        }
      }
      return { ok: false, holder: holder() ?? me };
    },
    holder,
  };
}
