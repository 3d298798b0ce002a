// A small tmpfs for a disk that fills up for real (SQLITE_FULL, ENOSPC), mounted over a test's
// own temporary folder. Needs root; elsewhere the reason to skip.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Mounts and unmounts a 1 MiB tmpfs once: undefined when this machine allows it, else why not. */
export function tmpfsSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to mount a small tmpfs';
  const probe = mkdtempSync(join(tmpdir(), 'webdesk-mount-probe-'));
  try {
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { encoding: 'utf8' });
    if (mount.status !== 0) return `cannot mount a tmpfs here: ${(mount.stderr || mount.error?.message || '').trim()}`;
    spawnSync('umount', [probe]);
    return undefined;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** A tmpfs of `size` (e.g. '3m') over `path`, private to this user; returns its unmount. */
export function mountTmpfs(path: string, size: string): () => void {
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', path], { encoding: 'utf8' });
  if (mount.status !== 0) throw new Error(`mount tmpfs failed: ${mount.stderr}`);
  return () => void spawnSync('umount', ['-l', path]);
}
