import type { Queryable } from './database';

export async function countEventsSince(db: Queryable, bucket: string, sinceMs: number): Promise<number> {
  const row = (await db('limit_events')
    .where('bucket', bucket)
    .andWhere('at_ms', '>', sinceMs)
    .count<{ n: number }[]>({ n: '*' })
    .first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

/** The newest event in `bucket` stamped by `notAfterMs` (one stamped later was by a clock since stepped back). */
export async function lastEventAt(db: Queryable, bucket: string, notAfterMs: number): Promise<number | undefined> {
  const row = (await db('limit_events').where('bucket', bucket).andWhere('at_ms', '<=', notAfterMs).max<{ m: number | null }[]>({ m: 'at_ms' }).first()) as
    | { m: number | null }
    | undefined;
  return row?.m ?? undefined;
}

export async function recordEvent(db: Queryable, bucket: string, atMs: number): Promise<void> {
  await db('limit_events').insert({ bucket, at_ms: atMs });
}

/**
 * Only for buckets that never travel (sync-tables.ts `localOnlyBucketPrefixes`): a delete here
 * cannot be told apart from the purge elsewhere, so travelling counts end by time instead.
 */
export async function clearEvents(db: Queryable, bucket: string): Promise<void> {
  await db('limit_events').where('bucket', bucket).delete();
}

/** Events older than the longest window (24 h) count for nothing; drop them. */
export async function purgeEventsBefore(db: Queryable, beforeMs: number): Promise<number> {
  return db('limit_events').where('at_ms', '<', beforeMs).delete();
}

export type LockKind = 'reset' | 'login';

export interface AccountLockRow {
  id: number;
  account_id: string;
  kind: LockKind;
  reason: string;
  locked_at: string;
  unlocked_at: string | null;
  unlocked_by: string | null;
}

export function activeLock(db: Queryable, accountId: string, kind: LockKind): Promise<AccountLockRow | undefined> {
  return db<AccountLockRow>('account_locks').where({ account_id: accountId, kind }).whereNull('unlocked_at').first();
}

export async function addLock(db: Queryable, accountId: string, kind: LockKind, reason: string, nowIso: string): Promise<void> {
  await db('account_locks').insert({ account_id: accountId, kind, reason, locked_at: nowIso });
}

/** addLock as one INSERT … SELECT that adds nothing unless `when` holds, so deciding not to lock costs what locking does. */
export async function addLockIf(db: Queryable, when: boolean, accountId: string, kind: LockKind, reason: string, nowIso: string): Promise<void> {
  await db.raw('insert into account_locks (account_id, kind, reason, locked_at) select ?, ?, ?, ? where ? = 1', [accountId, kind, reason, nowIso, when ? 1 : 0]);
}

/** When a lock of this kind was last lifted (ms), from any kiosk: the unlock travels with account_locks. */
export async function lastUnlockAt(db: Queryable, accountId: string, kind: LockKind): Promise<number | undefined> {
  const row = (await db('account_locks').where({ account_id: accountId, kind }).max<{ m: string | null }[]>({ m: 'unlocked_at' }).first()) as
    | { m: string | null }
    | undefined;
  return row?.m ? Date.parse(row.m) : undefined;
}

export async function liftLocks(db: Queryable, accountId: string, kind: LockKind, by: string, nowIso: string): Promise<number> {
  return db('account_locks')
    .where({ account_id: accountId, kind })
    .whereNull('unlocked_at')
    .update({ unlocked_at: nowIso, unlocked_by: by });
}
