import { AppError } from '../contract/errors';
import { runtimeSettingsSchema, type RuntimeSettings } from '../domain/runtime-settings';
import type { Db, Queryable } from '../store/database';
import { readSettings, writeSetting } from '../store/settings-repo';
import { appendAudit } from '../store/audit-repo';
import { revisionOf } from './screen-revision';
import type { Clock } from './clock';
import { iso } from './clock';

export type SettingsPatch = { [K in keyof RuntimeSettings]?: RuntimeSettings[K] extends object ? Partial<RuntimeSettings[K]> : RuntimeSettings[K] };

export interface SettingsService {
  get(): Promise<RuntimeSettings>;
  /**
   * Validates the whole result, stores the changed keys and audits old → new values. With
   * `revision` (what the 設定 screen was loaded with), a save on settings changed since is
   * refused: CONFLICT 'settings-changed'.
   */
  update(patch: SettingsPatch, actor: string, expected?: { revision: string }): Promise<RuntimeSettings>;
}

/** The settings as the 設定 screen saw them: it sends the whole object back (screen-revision.ts). */
export const settingsRevision = (settings: RuntimeSettings): string => revisionOf(settings);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * How long a read of the settings serves: `npm run cli -- settings-set` writes the store from
 * another process, and a running counter kept its copy until restarted.
 */
const SETTINGS_FRESH_MS = 2_000;

/**
 * Settings are read on every request but change rarely: cached, replaced on update, and read
 * again in the background once 2 s old. Never awaited once cached: get() is called inside
 * transactions, and the store has one connection — a read there would wait for the very
 * transaction that waits for it (knex's acquire timeout, a minute).
 */
export function createSettingsService(db: Db, clock: Clock, freshMs = SETTINGS_FRESH_MS): SettingsService {
  let cached: RuntimeSettings | undefined;
  // A monotonic clock: the wall clock (the injected one included) may step.
  let loadedAt = 0;
  let reading: Promise<void> | undefined;
  const load = async (q: Queryable) => runtimeSettingsSchema.parse(await readSettings(q));
  const readAgain = () => {
    const started = performance.now();
    reading ??= load(db).then(
      (fresh) => {
        // An update meanwhile is newer than what this read saw.
        if (loadedAt <= started) {
          cached = fresh;
          loadedAt = started;
        }
      },
      () => undefined, // the store is busy or failing: the copy held serves until the next read
    ).finally(() => (reading = undefined));
  };
  return {
    async get() {
      if (!cached) {
        cached = await load(db);
        loadedAt = performance.now();
      } else if (performance.now() - loadedAt > freshMs) {
        readAgain();
      }
      return cached;
    },
    async update(patch, actor, expected) {
      const next = await db.transaction(async (tx) => {
        const current = await load(tx);
        if (expected && settingsRevision(current) !== expected.revision) {
          // The store's values, just read, serve the screen's reload: the copy held may be the
          // one `settings-set` (another process) made stale, and would be refused again.
          cached = current;
          loadedAt = performance.now();
          throw new AppError('CONFLICT', { params: { reason: 'settings-changed' } });
        }
        // Object-valued settings (policy, limits) merge one level deep: a patch naming one limit keeps the others.
        const merged = runtimeSettingsSchema.parse(
          Object.fromEntries(
            Object.entries({ ...current, ...patch }).map(([key, value]) => {
              const before = current[key as keyof RuntimeSettings];
              return [key, isPlainObject(before) && isPlainObject(value) ? { ...before, ...value } : value];
            }),
          ),
        );
        const now = iso(clock.nowMs());
        for (const key of Object.keys(patch) as Array<keyof RuntimeSettings>) {
          if (JSON.stringify(current[key]) === JSON.stringify(merged[key])) continue;
          await writeSetting(tx, key, merged[key], actor, now);
          await appendAudit(tx, { actor, action: 'settings.changed', subject: key, detail: { from: current[key], to: merged[key] } }, now);
        }
        return merged;
      });
      cached = next;
      loadedAt = performance.now();
      return next;
    },
  };
}
