import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../contract/errors';
import type { StaffRole } from '../contract/roles';
import { isCommonPassword } from '../domain/common-passwords';
import { evaluatePassword, failedRules, normalizePassword } from '../domain/password-policy';
import { nfkc } from '../domain/text-normalize';
import { appendAudit } from '../store/audit-repo';
import type { Db, Queryable } from '../store/database';
import {
  countEnabledAdmins,
  countStaff,
  findStaffById,
  findStaffByUsername,
  insertStaff,
  listStaff,
  recentStaffHashes,
  setStaffPassword,
  updateStaff,
  type StaffRow,
} from '../store/staff-repo';
import { clearEvents, countEventsSince, recordEvent } from '../store/limits-repo';
import { loginDelayMs } from './account-service';
import { iso, type Clock } from './clock';
import { buckets, DAY_MS } from './limits-service';
import type { PasswordHasher } from './password-hasher';
import { secretSubjects, type SecretCheck, type SubjectState } from './secret-check';
import { revisionOf } from './screen-revision';
import type { SettingsService } from './settings-service';

export interface StaffAuthDeps {
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  settings: SettingsService;
  /** The one rule for checking a secret (serialised per subject, cap inside the step). */
  secretCheck: SecretCheck;
}

/** What a staff login subject's serialised step reads: the enabled user of that name, if any. */
interface StaffLoginState extends SubjectState {
  username: string;
  row: StaffRow | undefined;
  nowMs: number;
}

/** As staff type their name at login: width, spaces at the ends and case do not matter. */
export const normalizeStaffUsername = (input: string) => nfkc(input).trim().toLowerCase();

export const FIRST_ADMIN_USERNAME = 'admin';

// No 0/O, 1/l/I: the one-time password is read off a console or a screen and typed.
const OTP_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 20 symbols of a 55-symbol alphabet, about 115 bits; grouped by four for reading aloud. */
export function oneTimePassword(): string {
  const bytes = randomBytes(40);
  let out = '';
  // Rejection sampling keeps every symbol equally likely (256 is not a multiple of 55).
  for (const b of bytes) {
    if (b >= 220) continue;
    out += OTP_ALPHABET[b % 55];
    if (out.length === 20) break;
  }
  if (out.length < 20) return oneTimePassword();
  return out.match(/.{4}/g)!.join('-');
}

/**
 * 72 h: a one-time password an admin hands over is used within a working day or a weekend;
 * one still valid after that is most likely written down somewhere and forgotten. Past it,
 * the login says so (after the password was right) and an admin issues a new one in a click.
 */
export const ONE_TIME_PASSWORD_LIFETIME_MS = 72 * 60 * 60 * 1000;

/**
 * Whether the row's one-time password is past its lifetime: issued at the last reset
 * (password_changed_at) or else at creation. The first-start admin's is not: it is printed on
 * the machine's own console, and no other admin could issue a new one.
 */
export function oneTimePasswordExpired(row: StaffRow, nowMs: number): boolean {
  if (row.must_change_password !== 1) return false;
  if (row.password_changed_at === null && row.created_by === 'system') return false;
  return nowMs - Date.parse(row.password_changed_at ?? row.created_at) >= ONE_TIME_PASSWORD_LIFETIME_MS;
}

/**
 * What スタッフ管理 shows of a user that an admin acts on; not the last login, which changes
 * whenever the user logs in. Two admins pressing パスワード再発行 at once each got a password,
 * and the first one handed out no longer worked.
 */
const staffRevision = (row: StaffRow) => revisionOf([row.role, row.disabled_at, row.locked_at, row.must_change_password, row.password_changed_at]);

export const staffView = (row: StaffRow, nowMs: number) => ({
  staffId: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  mustChangePassword: row.must_change_password === 1,
  oneTimePasswordExpired: oneTimePasswordExpired(row, nowMs),
  locked: row.locked_at !== null,
  disabled: row.disabled_at !== null,
  lastLoginAt: row.last_login_at,
  createdAt: row.created_at,
  revision: staffRevision(row),
});

export function createStaffAuthService(deps: StaffAuthDeps) {
  const { db, clock, hasher, settings, secretCheck } = deps;

  /**
   * First start: an `admin` with a one-time password that the entry point prints once and
   * nobody stores; the first login must change it (dispatch allows nothing else until then).
   */
  async function ensureFirstAdmin(): Promise<{ username: string; password: string } | undefined> {
    if ((await countStaff(db)) > 0) return undefined;
    const password = oneTimePassword();
    const hash = await hasher.hash(normalizePassword(password));
    const nowIso = iso(clock.nowMs());
    const created = await db.transaction(async (tx) => {
      if ((await countStaff(tx)) > 0) return false;
      const id = uuidv7();
      await insertStaff(tx, {
        id,
        username: FIRST_ADMIN_USERNAME,
        display_name: '管理者',
        role: 'admin',
        password_hash: hash,
        must_change_password: 1,
        password_changed_at: null,
        created_by: 'system',
        created_at: nowIso,
      });
      await appendAudit(tx, { actor: 'system', action: 'staff.created', subject: `staff:${id}`, detail: { username: FIRST_ADMIN_USERNAME, role: 'admin', firstStart: true } }, nowIso);
      return true;
    });
    return created ? { username: FIRST_ADMIN_USERNAME, password } : undefined;
  }

  /**
   * The count and the lock of a typed user name, alike for a user, a disabled user and a name
   * nobody has: failures are limit events under the name typed (the last 24 hours; a success,
   * an unlock or a new one-time password clears them), locked at the cap. A user's lock is
   * also its `locked_at`, which holds until an admin lifts it.
   */
  async function staffLoginState(username: string, nowMs: number): Promise<StaffLoginState> {
    const cap = (await settings.get()).limits.maxLoginFailures;
    const found = username === '' ? undefined : await findStaffByUsername(db, username);
    const row = found && !found.disabled_at ? found : undefined;
    const failures = await countEventsSince(db, buckets.staffLoginFailure(username), nowMs - DAY_MS);
    return { username, row, failures, locked: failures >= cap || (row?.locked_at ?? null) !== null, nowMs };
  }

  /**
   * Failures typed against a name while no enabled user had it were compared with no password
   * (a dummy hash), so they are nobody's: the user created with that name, or enabled again,
   * starts without them. Kept, they locked that user for 24 h while スタッフ管理 showed no
   * 「ロック中」 and 「ロック解除」 was not offered (only a real user's lock sets locked_at).
   */
  async function forgetUnmatchedFailures(tx: Queryable, username: string): Promise<void> {
    await clearEvents(tx, buckets.staffLoginFailure(normalizeStaffUsername(username)));
  }

  /** One wrong password, at login or as the current one on a password change: counted, audited, locked at the cap. */
  async function recordStaffFailure(state: StaffLoginState, where: 'login' | 'password-change'): Promise<boolean> {
    const s = await settings.get();
    const { row, nowMs } = state;
    const nowIso = iso(nowMs);
    return db.transaction(async (tx) => {
      await recordEvent(tx, buckets.staffLoginFailure(state.username), nowMs);
      const failures = await countEventsSince(tx, buckets.staffLoginFailure(state.username), nowMs - DAY_MS);
      // A name nobody has is not written down: it may be a password typed into the wrong field.
      const subject = row ? `staff:${row.id}` : null;
      const actor = row ? `staff:${row.id}` : 'kiosk';
      await appendAudit(tx, { actor, action: where === 'login' ? 'staff.login-failed' : 'staff.password-wrong', subject, detail: { failures, ...(row ? {} : { knownUser: false }) } }, nowIso);
      // For a name nobody has this updates no row: the same work, so the time tells nothing.
      await updateStaff(tx, row?.id ?? '', { failed_logins: failures });
      if (failures < s.limits.maxLoginFailures) return false;
      if (row) await updateStaff(tx, row.id, { locked_at: nowIso });
      await appendAudit(tx, { actor: 'system', action: 'staff.locked', subject, detail: { failures, ...(row ? {} : { knownUser: false }) } }, nowIso);
      return true;
    });
  }

  /** The one rule of secret-check.ts for a staff password, at login and on a password change. */
  function checkStaffPassword<T>(
    username: string,
    password: string,
    options: { where: 'login' | 'password-change'; self?: StaffRow; wrong(): AppError; succeeded(row: StaffRow, nowMs: number): Promise<T> },
  ): Promise<T> {
    const normalized = normalizePassword(password);
    return secretCheck.check<StaffLoginState, StaffRow, T>({
      subjects: [secretSubjects.staffLogin(username)],
      async state() {
        const state = await staffLoginState(username, clock.nowMs());
        // A password change is for the logged-in user only; gone or disabled meanwhile ends the session.
        if (options.self !== undefined && state.row?.id !== options.self.id) throw new AppError('SESSION_EXPIRED');
        // The password this call was sent to replace is no longer the current one (an earlier
        // call of a double submit changed it): the current password typed was right when sent,
        // so it is not a guess. Compared, it failed, and a burst of 12 right ones locked the user.
        if (options.self !== undefined && state.row!.password_hash !== options.self.password_hash) throw new AppError('CONFLICT', { params: { reason: 'password-changed' } });
        return state;
      },
      delayMs: loginDelayMs,
      async refuse() {
        await hasher.dummyVerify(normalized);
        throw new AppError('LOGIN_LOCKED');
      },
      async compare({ row }) {
        if (!row) {
          await hasher.dummyVerify(normalized);
          return undefined;
        }
        return (await hasher.verify(normalized, row.password_hash)) ? row : undefined;
      },
      async failed(state) {
        throw (await recordStaffFailure(state, options.where)) ? new AppError('LOGIN_LOCKED') : options.wrong();
      },
      succeeded: (state, row) => options.succeeded(row, state.nowMs),
    });
  }

  /** One answer (LOGIN_FAILED) for an unknown name, a wrong password and a disabled user, in body and time. */
  function login(usernameInput: string, password: string): Promise<StaffRow> {
    const username = normalizeStaffUsername(usernameInput);
    return checkStaffPassword(username, password, {
      where: 'login',
      wrong: () => new AppError('LOGIN_FAILED'),
      async succeeded(row, nowMs) {
        const nowIso = iso(nowMs);
        // Only now, with the password right: a stranger learns nothing about which names exist.
        if (oneTimePasswordExpired(row, nowMs)) {
          await db.transaction((tx) => appendAudit(tx, { actor: `staff:${row.id}`, action: 'staff.one-time-password-expired', subject: `staff:${row.id}` }, nowIso));
          throw new AppError('LOGIN_FAILED', { params: { reason: 'one-time-password-expired', hours: ONE_TIME_PASSWORD_LIFETIME_MS / 3_600_000 } });
        }
        await db.transaction(async (tx) => {
          await clearEvents(tx, buckets.staffLoginFailure(username));
          await updateStaff(tx, row.id, { failed_logins: 0, last_login_at: nowIso });
          await appendAudit(tx, { actor: `staff:${row.id}`, action: 'staff.login', subject: `staff:${row.id}`, detail: { mustChangePassword: row.must_change_password === 1 } }, nowIso);
        });
        return row;
      },
    });
  }

  async function logout(staffId: string): Promise<void> {
    const nowIso = iso(clock.nowMs());
    await db.transaction((tx) => appendAudit(tx, { actor: `staff:${staffId}`, action: 'staff.logout', subject: `staff:${staffId}` }, nowIso));
  }

  /**
   * A disabled user's logins end at their next call. A login lock does not end them: anyone
   * at the login screen can lock any user by name, and that must not log out the clerk who is
   * helping a customer (or the only admin). The lock refuses new logins; a session that
   * guesses its own password on 「パスワードの変更」 ends there (staff.changePassword).
   */
  async function requireStaff(staffId: string): Promise<StaffRow> {
    const row = await findStaffById(db, staffId);
    if (!row || row.disabled_at) throw new AppError('SESSION_EXPIRED');
    return row;
  }

  /**
   * The customer policy applies to staff too, with the login name as a personal word. A wrong
   * current password counts toward the user's login lock, with the same delay, and is audited.
   */
  async function changePassword(staffId: string, input: { current: string; next: string; confirm: string }): Promise<void> {
    const user = await requireStaff(staffId);
    await checkStaffPassword(normalizeStaffUsername(user.username), input.current, {
      where: 'password-change',
      self: user,
      wrong: () => new AppError('INVALID_INPUT', { fields: [{ field: 'current', code: 'staff.currentPassword' }] }),
      succeeded: (row) => setNewPassword(row, input),
    });
  }

  async function setNewPassword(row: StaffRow, input: { next: string; confirm: string }): Promise<void> {
    const s = await settings.get();
    const next = normalizePassword(input.next);
    if (next !== normalizePassword(input.confirm)) {
      throw new AppError('PASSWORD_MISMATCH', { fields: [{ field: 'confirm', code: 'password.mismatch' }] });
    }
    const items = evaluatePassword(next, s.passwordPolicy, { email: `${row.username}@staff.invalid` }, isCommonPassword);
    const failed = failedRules(items);
    if (failed.length === 0) {
      const hashes = await recentStaffHashes(db, row.id, s.passwordPolicy.historyCount + 1);
      const reused = await Promise.all(hashes.map((h) => hasher.verify(next, h)));
      if (reused.some(Boolean)) failed.push('notRecent');
    }
    if (failed.length > 0) {
      // Staff have no JSA-ID or company: their "personal" rule is the user name and the service words.
      throw new AppError('PASSWORD_POLICY', {
        fields: failed.map((rule) => ({ field: 'next', code: rule === 'notPersonal' ? 'staff.passwordNotPersonal' : `policy.${rule}` })),
      });
    }
    const hash = await hasher.hash(next);
    const nowIso = iso(clock.nowMs());
    await db.transaction(async (tx) => {
      await setStaffPassword(tx, row.id, hash, false, nowIso);
      await appendAudit(tx, { actor: `staff:${row.id}`, action: 'staff.password-changed', subject: `staff:${row.id}` }, nowIso);
    });
  }

  async function createUser(actor: string, input: { username: string; displayName: string; role: StaffRole }) {
    const taken = () => new AppError('CONFLICT', { fields: [{ field: 'username', code: 'staff.usernameTaken' }] });
    if (await findStaffByUsername(db, input.username)) throw taken();
    const password = oneTimePassword();
    const hash = await hasher.hash(normalizePassword(password));
    const nowIso = iso(clock.nowMs());
    const id = uuidv7();
    await db.transaction(async (tx) => {
      // Again in the transaction that adds: two admins adding one name at once both passed the
      // check above (the hash takes a while), and the second met the unique index as INTERNAL.
      if (await findStaffByUsername(tx, input.username)) throw taken();
      await insertStaff(tx, {
        id,
        username: input.username,
        display_name: input.displayName,
        role: input.role,
        password_hash: hash,
        must_change_password: 1,
        password_changed_at: null,
        created_by: actor,
        created_at: nowIso,
      });
      await forgetUnmatchedFailures(tx, input.username);
      await appendAudit(tx, { actor, action: 'staff.created', subject: `staff:${id}`, detail: { username: input.username, role: input.role } }, nowIso);
    });
    return { user: staffView((await findStaffById(db, id))!, clock.nowMs()), oneTimePassword: password };
  }

  async function updateUser(actor: string, input: { staffId: string; role?: StaffRole; disabled?: boolean; unlock?: boolean; revision?: string }) {
    const nowIso = iso(clock.nowMs());
    // The user is read in the transaction that writes: two admins pressing 無効化 at once each
    // saw an enabled user and audited a change, and a role change recorded the role it read
    // before the other admin's change, not the one it replaced.
    const id = await db.transaction(async (tx) => {
      const row = await findStaffById(tx, input.staffId);
      if (!row) throw new AppError('NOT_FOUND');
      if (input.revision !== undefined && staffRevision(row) !== input.revision) throw new AppError('CONFLICT', { params: { reason: 'staff-changed' } });
      // An admin cannot demote or disable themselves: the store would be left without one.
      // Said in words (own-admin): a bare CONFLICT read as 「ほかの操作と重なった」, try again.
      if (`staff:${row.id}` === actor && ((input.role && input.role !== 'admin') || input.disabled)) throw new AppError('CONFLICT', { params: { reason: 'own-admin' } });
      const changes: Partial<StaffRow> = {};
      if (input.role && input.role !== row.role) changes.role = input.role;
      if (input.disabled !== undefined && input.disabled !== (row.disabled_at !== null)) changes.disabled_at = input.disabled ? nowIso : null;
      if (input.unlock && row.locked_at) Object.assign(changes, { locked_at: null, failed_logins: 0 });
      if (Object.keys(changes).length === 0) return row.id;
      await updateStaff(tx, row.id, changes);
      // Two admins demoting or disabling each other at the same moment each passed the
      // self-check above; counted after the write, in the write's transaction, the second
      // finds none left and is refused.
      if (('role' in changes || 'disabled_at' in changes) && (await countEnabledAdmins(tx)) === 0) throw new AppError('CONFLICT', { params: { reason: 'last-admin' } });
      if ('locked_at' in changes) await clearEvents(tx, buckets.staffLoginFailure(normalizeStaffUsername(row.username)));
      if (changes.disabled_at === null) await forgetUnmatchedFailures(tx, row.username);
      await appendAudit(
        tx,
        {
          actor,
          action: 'staff.updated',
          subject: `staff:${row.id}`,
          detail: { ...(changes.role ? { role: { from: row.role, to: changes.role } } : {}), ...('disabled_at' in changes ? { disabled: input.disabled } : {}), ...('locked_at' in changes ? { unlocked: true } : {}) },
        },
        nowIso,
      );
      return row.id;
    });
    return { user: staffView((await findStaffById(db, id))!, clock.nowMs()) };
  }

  async function resetUserPassword(actor: string, staffId: string, revision?: string) {
    const row = await findStaffById(db, staffId);
    if (!row) throw new AppError('NOT_FOUND');
    const password = oneTimePassword();
    const hash = await hasher.hash(normalizePassword(password));
    const nowIso = iso(clock.nowMs());
    await db.transaction(async (tx) => {
      // In the transaction that writes: both presses of a pair passed any check made before the hash.
      const current = await findStaffById(tx, row.id);
      if (!current) throw new AppError('NOT_FOUND');
      if (revision !== undefined && staffRevision(current) !== revision) throw new AppError('CONFLICT', { params: { reason: 'staff-changed' } });
      await setStaffPassword(tx, row.id, hash, true, nowIso);
      await updateStaff(tx, row.id, { locked_at: null, failed_logins: 0 });
      await clearEvents(tx, buckets.staffLoginFailure(normalizeStaffUsername(row.username)));
      await appendAudit(tx, { actor, action: 'staff.password-reset', subject: `staff:${row.id}` }, nowIso);
    });
    return { oneTimePassword: password };
  }

  return {
    ensureFirstAdmin,
    login,
    logout,
    requireStaff,
    changePassword,
    createUser,
    updateUser,
    resetUserPassword,
    findByUsername: (username: string) => findStaffByUsername(db, username),
    listUsers: async () => {
      const nowMs = clock.nowMs();
      return { items: (await listStaff(db)).map((row) => staffView(row, nowMs)) };
    },
  };
}

export type StaffAuthService = ReturnType<typeof createStaffAuthService>;
