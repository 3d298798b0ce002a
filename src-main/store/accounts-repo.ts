import type { Queryable } from './database';

export interface AccountRow {
  id: string;
  jsa_id: string;
  email: string;
  email_norm: string;
  contact_name: string;
  company: string;
  department: string;
  address: string;
  phone: string;
  password_hash: string | null;
  password_changed_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export type NewAccount = Omit<AccountRow, 'version' | 'created_at' | 'updated_at' | 'password_changed_at'> & {
  password_changed_at?: string | null;
};

export function findAccountByJsaId(db: Queryable, jsaId: string): Promise<AccountRow | undefined> {
  return db<AccountRow>('accounts').where({ jsa_id: jsaId }).first();
}

export function findAccountById(db: Queryable, id: string): Promise<AccountRow | undefined> {
  return db<AccountRow>('accounts').where({ id }).first();
}

/** Several rows when one address is registered on several JSA-IDs (the seed's 注意1). */
export function findAccountsByEmail(db: Queryable, emailNorm: string, limit = 10): Promise<AccountRow[]> {
  return db<AccountRow>('accounts').where({ email_norm: emailNorm }).orderBy('jsa_id').limit(limit);
}

export async function insertAccount(db: Queryable, account: NewAccount, nowIso: string): Promise<void> {
  await db('accounts').insert({ ...account, version: 1, created_at: nowIso, updated_at: nowIso });
}

/** Every change bumps `version`, which sync uses to turn a lost race into a recorded conflict. */
export async function updateAccount(
  db: Queryable,
  id: string,
  changes: Partial<Omit<AccountRow, 'id' | 'version' | 'created_at'>>,
  nowIso: string,
): Promise<void> {
  await db('accounts')
    .where({ id })
    .update({ ...changes, updated_at: nowIso, version: db.raw('version + 1') });
}

export async function recentPasswordHashes(db: Queryable, accountId: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const rows = await db('password_history')
    .where({ account_id: accountId })
    .orderBy('id', 'desc')
    .limit(count)
    .select<{ password_hash: string }[]>('password_hash');
  return rows.map((r) => r.password_hash);
}

/** Sets the password and remembers it, so the next change can refuse one of the last N. */
export async function setAccountPassword(db: Queryable, accountId: string, hash: string, nowIso: string): Promise<void> {
  await updateAccount(db, accountId, { password_hash: hash, password_changed_at: nowIso }, nowIso);
  await db('password_history').insert({ account_id: accountId, password_hash: hash, created_at: nowIso });
}

export async function countAccounts(db: Queryable): Promise<number> {
  const row = (await db('accounts').count<{ n: number }[]>({ n: '*' }).first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}
