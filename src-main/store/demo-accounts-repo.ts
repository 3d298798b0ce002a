import { appendAudit } from './audit-repo';
import type { Db, Queryable } from './database';

/** Why the demo accounts went: the first real import or sync, or an admin on 初期設定. */
export type DemoRemovalReason = 'import' | 'sync' | 'admin';

export async function markDemoAccounts(db: Queryable, accountIds: readonly string[], nowIso: string): Promise<void> {
  if (accountIds.length > 0) await db('demo_accounts').insert(accountIds.map((id) => ({ account_id: id, added_at: nowIso })));
}

export async function countDemoAccounts(db: Queryable): Promise<number> {
  const row = (await db('demo_accounts').count<{ n: number }[]>({ n: '*' }).first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

/**
 * Deletes the demo accounts (their requests, locks, history and marks go with them by
 * cascade) and audits it, inside the caller's transaction. An import removes them before it
 * writes, so a JSA-ID in the file that was a demo one arrives fresh, without the demo password.
 */
export async function removeDemoAccounts(tx: Queryable, by: { actor: string; reason: DemoRemovalReason }, nowIso: string): Promise<number> {
  const ids = (await tx('demo_accounts').pluck('account_id')) as string[];
  if (ids.length === 0) return 0;
  await tx('accounts').whereIn('id', ids).delete();
  await tx('demo_accounts').delete();
  await appendAudit(tx, { actor: by.actor, action: 'demo-data.removed', detail: { accounts: ids.length, reason: by.reason } }, nowIso);
  return ids.length;
}

/** removeDemoAccounts in a transaction of its own. */
export function removeDemoAccountsNow(db: Db, by: { actor: string; reason: DemoRemovalReason }, nowIso: string): Promise<number> {
  return db.transaction((tx) => removeDemoAccounts(tx, by, nowIso));
}
