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
