import type { Queryable } from './database';

export type ContactChangeStatus = 'pending' | 'confirmed' | 'voided' | 'superseded' | 'cancelled' | 'expired';

export interface ContactChangeRow {
  id: string;
  account_id: string;
  old_email: string;
  new_email: string;
  code_hmac: string;
  /** The code key of code_hmac (local migration 0023); NULL: this counter's own key. */
  key_id: string | null;
  status: ContactChangeStatus;
  attempts: number;
  locale: string;
  kiosk_id: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  confirmed_at: string | null;
  version: number;
}

export async function insertContactChange(db: Queryable, row: Omit<ContactChangeRow, 'version' | 'attempts' | 'confirmed_at' | 'key_id'> & { key_id?: string | null }): Promise<void> {
  await db('contact_changes').insert({ ...row, attempts: 0, confirmed_at: null, version: 1 });
}

/** The account's open change, newest first (there is at most one: a new request supersedes). */
export function pendingContactChange(db: Queryable, accountId: string): Promise<ContactChangeRow | undefined> {
  return db<ContactChangeRow>('contact_changes').where({ account_id: accountId, status: 'pending' }).orderBy('id', 'desc').first();
}

/** A new request voids the older ones: only the newest code works (as with reset codes). */
export async function closePendingContactChanges(db: Queryable, accountId: string, status: 'superseded' | 'cancelled'): Promise<number> {
  return db('contact_changes')
    .where({ account_id: accountId, status: 'pending' })
    .update({ status, version: db.raw('version + 1') });
}

/** Compare-and-set on the status: two windows entering the same code race here, one wins. */
export async function transitionContactChange(
  db: Queryable,
  id: string,
  from: ContactChangeStatus,
  changes: Partial<Pick<ContactChangeRow, 'status' | 'confirmed_at'>>,
): Promise<boolean> {
  const updated = await db('contact_changes')
    .where({ id, status: from })
    .update({ ...changes, version: db.raw('version + 1') });
  return updated === 1;
}

export async function incrementContactChangeAttempts(db: Queryable, id: string): Promise<number> {
  await db('contact_changes').where({ id }).update({ attempts: db.raw('attempts + 1'), version: db.raw('version + 1') });
  const row = await db<ContactChangeRow>('contact_changes').where({ id }).first('attempts');
  return row?.attempts ?? 0;
}
