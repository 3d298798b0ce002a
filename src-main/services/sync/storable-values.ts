/**
 * What PostgreSQL cannot hold, found in a mutation before it leaves. Its text type has no NUL
 * (jsonb refuses `\u0000` with 22P05 before sync_push runs, so even the one-mutation-at-a-time
 * retry cannot isolate it) and no lone surrogate. The app's own fields refuse both
 * (text-normalize.ts), but a store written beside them (an old backup, an edit by hand) can
 * hold one, and one such row held the whole outbox back for ever.
 */

// SQLite's json_object writes a NUL as \u0000; a lone surrogate can only arrive escaped.
const suspect = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

/** U+FFFD: what the CSV decoder already makes of bytes it cannot read, so a reader sees where a character was lost. */
const storable = (value: string): string => value.replace(/\0/g, '\uFFFD').toWellFormed();

export interface StorableRow {
  json: string;
  /** The fields whose value was changed to travel; empty when the row went as it was. */
  replaced: string[];
}

/** The row's JSON as central can store it (no parse on the usual path: a clean row is returned as it is). */
export function storableRowJson(json: string): StorableRow {
  if (!suspect.test(json)) return { json, replaced: [] };
  const row = JSON.parse(json) as Record<string, unknown>;
  const replaced: string[] = [];
  for (const [field, value] of Object.entries(row)) {
    if (typeof value !== 'string') continue;
    const fixed = storable(value);
    if (fixed === value) continue;
    row[field] = fixed;
    replaced.push(field);
  }
  return replaced.length === 0 ? { json, replaced } : { json: JSON.stringify(row), replaced };
}
