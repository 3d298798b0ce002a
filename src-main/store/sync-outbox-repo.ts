import type { Queryable } from './database';

export interface OutboxRow {
  seq: number;
  mutation_id: string;
  table_name: string;
  row_key: string;
  op: 'insert' | 'update' | 'delete';
  row_json: string;
  old_json: string | null;
  base_version: number | null;
  created_at: string;
}

/** Oldest first: central applies a kiosk's mutations in its own order. */
export function nextMutations(db: Queryable, limit: number): Promise<OutboxRow[]> {
  return db<OutboxRow>('sync_outbox').orderBy('seq').limit(limit);
}

/** Called only after central committed: everything up to `seq` is applied there exactly once. */
export async function dropPushed(db: Queryable, uptoSeq: number): Promise<number> {
  return db('sync_outbox').where('seq', '<=', uptoSeq).delete();
}

export async function outboxStats(db: Queryable): Promise<{ depth: number; oldestAt: string | null }> {
  const row = (await db('sync_outbox').count<{ n: number }[]>({ n: '*' }).min({ oldest: 'created_at' }).first()) as
    | { n: number; oldest: string | null }
    | undefined;
  return { depth: Number(row?.n ?? 0), oldestAt: row?.oldest ?? null };
}

export async function lastOutboxSeq(db: Queryable): Promise<number> {
  const row = (await db('sync_outbox').max<{ m: number | null }[]>({ m: 'seq' }).first()) as { m: number | null } | undefined;
  return Number(row?.m ?? 0);
}

/**
 * Moves every waiting mutation above `above`, in the same order, and the sequence with them,
 * when the oldest is not above it already: central skips every seq it has passed for this
 * client id. A store restored from an older backup numbers from where the backup stood, so
 * its next changes came under numbers central had already passed and were dropped unseen.
 * Central still applies each mutation once: it also skips a mutation id it has processed.
 * Returns how many rows moved.
 */
export async function renumberOutboxAbove(db: Queryable, above: number): Promise<number> {
  const row = (await db('sync_outbox').min<{ m: number | null }[]>({ m: 'seq' }).first()) as { m: number | null } | undefined;
  const oldest = row?.m ?? null;
  let moved = 0;
  if (oldest !== null && oldest <= above) {
    // Through the negatives: a primary key moved up in place would meet the rows above it.
    await db.raw('UPDATE sync_outbox SET seq = -seq');
    moved = await db('sync_outbox').update({ seq: db.raw('-seq + ?', [above - oldest + 1]) });
  }
  await db.raw(`UPDATE sqlite_sequence SET seq = max(seq, ?, (SELECT coalesce(max(seq), 0) FROM sync_outbox)) WHERE name = 'sync_outbox'`, [above]);
  return moved;
}
