import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface RotationPolicy {
  /** Start a new file when the current one reaches this size. */
  maxBytes: number;
  /** … or when it was started this long ago (a file per day on a quiet kiosk). */
  maxFileAgeMs: number;
  /** Rotated files older than this are deleted (APPI: logs are kept no longer than needed). */
  keepDays: number;
  /** At most this many rotated files are kept, newest first. */
  keepFiles: number;
}

// 10 MB × 10 files bounds the folder at ~110 MB; 30 days is long enough to answer "what
// happened last month" and short enough for APPI's "no more than needed".
export const defaultRotation: RotationPolicy = { maxBytes: 10 * 1024 * 1024, maxFileAgeMs: 24 * 3_600_000, keepDays: 30, keepFiles: 10 };

const ROTATED = /^main\.(\d{8}T\d{6}Z)(?:-\d+)?\.log$/;
const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/**
 * Renames main.log to main.<UTC stamp>.log when it is too big or too old; returns true when
 * it did (the caller then reopens its stream). The file's birth time is its age where the
 * file system records one; elsewhere only size rotates.
 */
export function rotateIfDue(dir: string, policy: RotationPolicy, nowMs: number): boolean {
  const current = join(dir, 'main.log');
  if (!existsSync(current)) return false;
  const st = statSync(current);
  if (st.size === 0) return false;
  const born = st.birthtimeMs > 0 ? st.birthtimeMs : undefined;
  const due = st.size >= policy.maxBytes || (born !== undefined && nowMs - born >= policy.maxFileAgeMs);
  if (!due) return false;
  let target = join(dir, `main.${stamp(nowMs)}.log`);
  for (let i = 1; existsSync(target); i += 1) target = join(dir, `main.${stamp(nowMs)}-${i}.log`);
  renameSync(current, target);
  return true;
}

/** Deletes rotated files past the age or count limit; returns their names. */
export function pruneRotated(dir: string, policy: RotationPolicy, nowMs: number): string[] {
  if (!existsSync(dir)) return [];
  const rotated = readdirSync(dir)
    .filter((name) => ROTATED.test(name))
    .sort()
    .reverse();
  const removed: string[] = [];
  rotated.forEach((name, index) => {
    const file = join(dir, name);
    const tooOld = nowMs - statSync(file).mtimeMs > policy.keepDays * 86_400_000;
    if (index >= policy.keepFiles || tooOld) {
      rmSync(file, { force: true });
      removed.push(name);
    }
  });
  return removed;
}
