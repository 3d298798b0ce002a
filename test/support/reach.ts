import { chmodSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Lets another user (the tests' `nobody`) reach these paths: o+x on every folder above them
 * that lacks it, undone by the function returned. A clean clone in a folder made by
 * `mktemp -d` (0700) kept nobody from even starting the project's own Node.
 */
export function letOthersReach(...paths: string[]): () => void {
  const changed: Array<[string, number]> = [];
  for (const path of paths) {
    for (let p = dirname(resolve(path)); ; p = dirname(p)) {
      const mode = statSync(p).mode & 0o7777;
      if ((mode & 0o001) === 0 && !changed.some(([done]) => done === p)) {
        chmodSync(p, mode | 0o001);
        changed.push([p, mode]);
      }
      if (dirname(p) === p) break;
    }
  }
  return () => {
    for (const [p, mode] of changed.reverse()) chmodSync(p, mode);
  };
}
