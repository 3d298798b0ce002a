import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { backupStore, fileStamp } from '../../store/backup';
import { stampedAhead, type Clock } from '../clock';
import type { Logger } from '../logger';

export interface BackupItem {
  name: string;
  bytes: number;
  at: string;
  /** Stamped later than now: made while the clock was ahead, so not counted as done (clock-trust.ts). */
  ahead: boolean;
}

const NAME = /^webdesk-(\d{8}T\d{6}Z)(?:-\d+)?\.sqlite3$/;

/** 20260131T093000Z → 2026-01-31T09:30:00Z */
const stampToIso = (s: string) => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;

/**
 * The daily backups in DATA_DIR/backups: online copies of the store (store/backup.ts),
 * readable by the app's user only, the newest `keep` kept. Backups hold personal data, so
 * they are pruned by count like everything else is by age.
 */
export function createBackupService(deps: { storeFile: string; backupDir: string; clock: Clock; logger: Logger }) {
  const { storeFile, backupDir, clock, logger } = deps;

  function list(): BackupItem[] {
    if (!existsSync(backupDir)) return [];
    const nowMs = clock.nowMs();
    return readdirSync(backupDir)
      .map((name) => ({ name, match: NAME.exec(name) }))
      .filter((e): e is { name: string; match: RegExpExecArray } => e.match !== null)
      .map(({ name, match }) => {
        const at = stampToIso(match[1]!);
        return { name, bytes: statSync(join(backupDir, name)).size, at, ahead: stampedAhead(at, nowMs) };
      })
      .sort((a, b) => (a.name < b.name ? 1 : -1));
  }

  async function takeNow(): Promise<BackupItem> {
    mkdirSync(backupDir, { recursive: true, mode: 0o700 });
    const nowMs = clock.nowMs();
    let name = `webdesk-${fileStamp(nowMs)}.sqlite3`;
    for (let i = 1; existsSync(join(backupDir, name)); i += 1) name = `webdesk-${fileStamp(nowMs)}-${i}.sqlite3`;
    const dest = join(backupDir, name);
    const started = performance.now();
    const result = await backupStore(storeFile, dest);
    chmodSync(dest, 0o600);
    logger.info({ backup: name, bytes: result.bytes, schema: result.schema, ms: Math.round(performance.now() - started) }, 'backup written');
    return { name, bytes: result.bytes, at: new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z'), ahead: false };
  }

  function prune(keep: number): string[] {
    // One stamped ahead (made while the clock was ahead) counts as the oldest: sorted first by
    // its name it was never pruned, a copy of the personal data kept until its date came.
    const all = list();
    const removed = [...all.filter((b) => !b.ahead), ...all.filter((b) => b.ahead)]
      .slice(keep)
      .map((b) => b.name);
    for (const name of removed) rmSync(join(backupDir, name), { force: true });
    if (removed.length > 0) logger.info({ removed: removed.length, keep }, 'old backups removed');
    return removed;
  }

  return { list, takeNow, prune, backupDir };
}

export type BackupService = ReturnType<typeof createBackupService>;
