import type { Queryable } from './database';

export async function readSettings(db: Queryable): Promise<Record<string, unknown>> {
  const rows = (await db('settings').select('key', 'value_json')) as Array<{ key: string; value_json: string }>;
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value_json) as unknown]));
}

export async function writeSetting(db: Queryable, key: string, value: unknown, by: string, nowIso: string): Promise<void> {
  await db('settings')
    .insert({ key, value_json: JSON.stringify(value), updated_at: nowIso, updated_by: by })
    .onConflict('key')
    .merge();
}
