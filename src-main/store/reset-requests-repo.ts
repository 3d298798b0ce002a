import type { Queryable } from './database';

export type ResetStatus = 'pending' | 'verified' | 'used' | 'voided' | 'expired' | 'cancelled' | 'superseded';
export type ResetChannel = 'jsa_id' | 'email_only' | 'staff';

export interface ResetRequestRow {
  id: string;
  account_id: string;
  channel: ResetChannel;
  code_hmac: string;
  token_hmac: string;
  grant_hmac: string | null;
  /** The code key the HMACs were made with (local migration 0023); NULL: this counter's own key, before key ids. */
  key_id: string | null;
  status: ResetStatus;
  attempts: number;
  locale: string;
  kiosk_id: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  verified_at: string | null;
  completed_at: string | null;
  version: number;
}

export async function insertResetRequest(db: Queryable, row: Omit<ResetRequestRow, 'version' | 'key_id'> & { key_id?: string | null }): Promise<void> {
  await db('reset_requests').insert({ ...row, version: 1 });
}

/** A new request voids the older ones (DESIGN §6): only the newest code works. */
export async function supersedeOpenRequests(db: Queryable, accountId: string): Promise<number> {
  return db('reset_requests')
    .where({ account_id: accountId })
    .whereIn('status', ['pending', 'verified'])
    .update({ status: 'superseded', version: db.raw('version + 1') });
}

export function findRequestByTokenHmac(db: Queryable, tokenHmac: string): Promise<ResetRequestRow | undefined> {
  return db<ResetRequestRow>('reset_requests').where({ token_hmac: tokenHmac }).first();
}

export function findRequestByGrantHmac(db: Queryable, grantHmac: string): Promise<ResetRequestRow | undefined> {
  return db<ResetRequestRow>('reset_requests').where({ grant_hmac: grantHmac }).first();
}

/** The keys named by requests still open (pending, not expired): a link no key here matches may be one of theirs. */
export async function openRequestKeyIds(db: Queryable, nowIso: string): Promise<Array<string | null>> {
  const rows = (await db('reset_requests').where({ status: 'pending' }).andWhere('expires_at', '>', nowIso).distinct('key_id')) as Array<{ key_id: string | null }>;
  return rows.map((r) => r.key_id);
}

/**
 * The current request of each of these accounts (for the kiosk path): its open one, else its
 * newest whatever its state. Open first because ids are UUIDv7, from the wall clock: a request
 * made while the clock ran ahead keeps the larger id after the clock is put right, and the
 * customer's new code was compared with it (and refused) until real time caught up.
 */
export async function latestRequestsFor(db: Queryable, accountIds: readonly string[]): Promise<ResetRequestRow[]> {
  if (accountIds.length === 0) return [];
  const rows = await db<ResetRequestRow>('reset_requests')
    .whereIn('account_id', accountIds)
    .where((q) =>
      q.where({ status: 'pending' }).orWhereIn('id', function latest() {
        this.from('reset_requests').whereIn('account_id', accountIds).groupBy('account_id').max('id');
      }),
    );
  const current = new Map<string, ResetRequestRow>();
  const rank = (row: ResetRequestRow) => (row.status === 'pending' ? 1 : 0);
  for (const row of rows) {
    const held = current.get(row.account_id);
    if (!held || rank(row) > rank(held) || (rank(row) === rank(held) && row.id > held.id)) current.set(row.account_id, row);
  }
  return [...current.values()];
}

/**
 * Compare-and-set on the status: the single-use guarantee. Two windows that press 「確認」
 * with the same code race here, and exactly one update matches.
 */
export async function transitionRequest(
  db: Queryable,
  id: string,
  from: ResetStatus,
  changes: Partial<Omit<ResetRequestRow, 'id' | 'version'>>,
): Promise<boolean> {
  const updated = await db('reset_requests')
    .where({ id, status: from })
    .update({ ...changes, version: db.raw('version + 1') });
  return updated === 1;
}

/**
 * Voids a pending request when `when` holds, in one UPDATE whether it does or not: a wrong code
 * that voids must cost what any other wrong code costs (decisions.md, the fifth wrong code).
 */
export async function voidPendingIf(db: Queryable, id: string, when: boolean): Promise<boolean> {
  const updated = await db('reset_requests')
    .where({ id, status: 'pending' })
    .andWhereRaw('? = 1', [when ? 1 : 0])
    .update({ status: 'voided', version: db.raw('version + 1') });
  return updated === 1;
}

export async function incrementAttempts(db: Queryable, id: string): Promise<number> {
  await db('reset_requests').where({ id }).update({ attempts: db.raw('attempts + 1'), version: db.raw('version + 1') });
  const row = await db<ResetRequestRow>('reset_requests').where({ id }).first('attempts');
  return row?.attempts ?? 0;
}
