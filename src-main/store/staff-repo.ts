import type { Queryable } from './database';

export interface StaffRow {
  id: string;
  username: string;
  display_name: string;
  role: 'agent' | 'supervisor' | 'admin';
  password_hash: string;
  must_change_password: number;
  failed_logins: number;
  locked_at: string | null;
  disabled_at: string | null;
  password_changed_at: string | null;
  last_login_at: string | null;
  created_by: string;
  created_at: string;
  version: number;
}

export function findStaffByUsername(db: Queryable, username: string): Promise<StaffRow | undefined> {
  return db<StaffRow>('staff_users').where({ username }).first();
}

export function findStaffById(db: Queryable, id: string): Promise<StaffRow | undefined> {
  return db<StaffRow>('staff_users').where({ id }).first();
}

export function listStaff(db: Queryable): Promise<StaffRow[]> {
  return db<StaffRow>('staff_users').orderBy('username');
}

export async function countStaff(db: Queryable): Promise<number> {
  const row = (await db('staff_users').count<{ n: number }[]>({ n: '*' }).first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

/** Admins who can still log in: never none (staff-auth-service refuses the change that would leave none). */
export async function countEnabledAdmins(db: Queryable): Promise<number> {
  const row = (await db('staff_users').where({ role: 'admin' }).whereNull('disabled_at').count<{ n: number }[]>({ n: '*' }).first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

export async function insertStaff(db: Queryable, row: Omit<StaffRow, 'version' | 'failed_logins' | 'locked_at' | 'disabled_at' | 'last_login_at'>): Promise<void> {
  await db('staff_users').insert({ ...row, failed_logins: 0, version: 1 });
  await db('staff_password_history').insert({ staff_id: row.id, password_hash: row.password_hash, created_at: row.created_at });
}

export async function updateStaff(db: Queryable, id: string, changes: Partial<Omit<StaffRow, 'id' | 'version' | 'created_at'>>): Promise<void> {
  await db('staff_users')
    .where({ id })
    .update({ ...changes, version: db.raw('version + 1') });
}

export async function setStaffPassword(db: Queryable, id: string, hash: string, mustChange: boolean, nowIso: string): Promise<void> {
  await updateStaff(db, id, { password_hash: hash, must_change_password: mustChange ? 1 : 0, password_changed_at: nowIso });
  await db('staff_password_history').insert({ staff_id: id, password_hash: hash, created_at: nowIso });
}

export async function recentStaffHashes(db: Queryable, id: string, count: number): Promise<string[]> {
  const rows = (await db('staff_password_history').where({ staff_id: id }).orderBy('id', 'desc').limit(Math.max(1, count)).select('password_hash')) as Array<{
    password_hash: string;
  }>;
  return rows.map((r) => r.password_hash);
}
