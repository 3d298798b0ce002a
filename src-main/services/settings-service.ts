import { runtimeSettingsSchema, type RuntimeSettings } from '../domain/runtime-settings';
import type { Db, Queryable } from '../store/database';
import { readSettings, writeSetting } from '../store/settings-repo';
import { appendAudit } from '../store/audit-repo';
import type { Clock } from './clock';
import { iso } from './clock';

export interface SettingsService {
  get(): Promise<RuntimeSettings>;
  /** Validates the whole result, stores the changed keys and audits old → new values. */
  update(patch: Partial<RuntimeSettings>, actor: string): Promise<RuntimeSettings>;
}

/** Settings are read on every request but change rarely: cached, invalidated on update. */
export function createSettingsService(db: Db, clock: Clock): SettingsService {
  let cached: RuntimeSettings | undefined;
  const load = async (q: Queryable) => runtimeSettingsSchema.parse(await readSettings(q));
  return {
    async get() {
      cached ??= await load(db);
      return cached;
    },
    async update(patch, actor) {
      const next = await db.transaction(async (tx) => {
        const current = await load(tx);
        const merged = runtimeSettingsSchema.parse({ ...current, ...patch });
        const now = iso(clock.nowMs());
        for (const key of Object.keys(patch) as Array<keyof RuntimeSettings>) {
          if (JSON.stringify(current[key]) === JSON.stringify(merged[key])) continue;
          await writeSetting(tx, key, merged[key], actor, now);
          await appendAudit(tx, { actor, action: 'settings.changed', subject: key, detail: { from: current[key], to: merged[key] } }, now);
        }
        return merged;
      });
      cached = next;
      return next;
    },
  };
}
