import { iso, type Clock } from '../clock';
import type { Logger } from '../logger';
import type { SettingsService } from '../settings-service';
import type { BackupService } from './backup-service';
import type { Retention } from './retention';
import { stampedBy } from './clock-trust';

const DAY_MS = 86_400_000;
// A day minus an hour: an hourly check then lands on roughly the same time each day.
const DUE_AFTER_MS = DAY_MS - 3_600_000;

/**
 * The kiosk's daily chores: a backup (keeping the newest `backupKeep`) and the retention
 * purge. Checked an hour apart, first a minute after start so start-up stays quick; a kiosk
 * that is switched off at night catches up when it next runs.
 */
export function createMaintenance(deps: {
  backups: BackupService;
  retention: Retention;
  settings: SettingsService;
  clock: Clock;
  logger: Logger;
  firstDelayMs?: number;
  everyMs?: number;
  /** Hourly checks of other services (the import slot's 24 h, issue 18 §4). */
  hourly?: Array<() => Promise<unknown>>;
}) {
  const { backups, retention, settings, clock, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  let distrusted = false;

  async function chores(): Promise<void> {
    const s = await settings.get();
    const nowMs = clock.nowMs();
    const verdict = await retention.clockVerdict(nowMs);
    // A clock far ahead would purge what is not old yet and stamp a backup that then counts as
    // the newest for as long; nothing is taken or purged until the clock is right (or an admin purges).
    if (!verdict.plausible) {
      if (!distrusted) logger.warn({ now: iso(nowMs), lastPurgeAt: verdict.referenceAt }, 'clock implausible: no backup or purge until it is right');
      distrusted = true;
    } else {
      if (distrusted) logger.info({ now: iso(nowMs) }, 'clock plausible again');
      distrusted = false;
      const newest = backups.list().find((b) => Date.parse(b.at) <= stampedBy(nowMs));
      if (!newest || nowMs - Date.parse(newest.at) >= DUE_AFTER_MS) {
        await backups.takeNow();
        backups.prune(s.backupKeep);
      }
      const last = await retention.lastPurge(nowMs);
      if (!last || nowMs - Date.parse(last.at) >= DUE_AFTER_MS) await retention.purge('system');
    }
    for (const check of deps.hourly ?? []) await check();
  }

  function runOnce(): Promise<void> {
    running ??= chores()
      .catch((error: unknown) => logger.error({ err: error }, 'maintenance failed'))
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  return {
    start() {
      const schedule = (ms: number) => {
        timer = setTimeout(() => {
          void runOnce().finally(() => timer && schedule(deps.everyMs ?? 3_600_000));
        }, ms);
        timer.unref();
      };
      schedule(deps.firstDelayMs ?? 60_000);
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
    runOnce,
  };
}

export type Maintenance = ReturnType<typeof createMaintenance>;
