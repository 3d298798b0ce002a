import type { Queryable } from './database';

export interface RequestStatRow {
  created_at: string;
  status: string;
  channel: string;
  completed_at: string | null;
}

/** Reset requests created since an instant: enough to count per day and time completions. */
export function requestsSince(db: Queryable, sinceIso: string): Promise<RequestStatRow[]> {
  return db('reset_requests').where('created_at', '>=', sinceIso).select('created_at', 'status', 'channel', 'completed_at') as Promise<RequestStatRow[]>;
}

export async function activeLockCount(db: Queryable): Promise<number> {
  const row = (await db('account_locks').whereNull('unlocked_at').count<{ n: number }[]>({ n: '*' }).first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

export async function mailStateCounts(db: Queryable): Promise<Record<string, number>> {
  const rows = (await db('mail_outbox').groupBy('state').select('state').count<{ state: string; n: number }[]>({ n: '*' })) as Array<{ state: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}
