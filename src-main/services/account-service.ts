import { AppError } from '../contract/errors';
import type { Locale } from '../contract/fields';
import { maskJsaId } from '../domain/jsa-id';
import { normalizePassword } from '../domain/password-policy';
import { findAccountByJsaId, findAccountById, type AccountRow } from '../store/accounts-repo';
import { appendAudit } from '../store/audit-repo';
import type { Db, Queryable } from '../store/database';
import { activeLock, addLock, liftLocks } from '../store/limits-repo';
import { iso, type Clock } from './clock';
import { dailyFailures, recordDailyFailure } from './limits-service';
import { queueMail } from './mail/mail-outbox';
import type { PasswordHasher } from './password-hasher';
import type { SecretBox } from './secret-box';
import type { SettingsService } from './settings-service';

export interface AccountServiceDeps {
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  settings: SettingsService;
  box: SecretBox;
  /** Called after a commit that queued mail, so delivery starts at once. */
  mailQueued(): void;
  /** Waits; injectable so tests of the growing delay do not sleep. */
  sleep(ms: number): Promise<void>;
}

/** 0.25 s, 0.5 s, 1 s … up to 8 s: slows guessing without locking a customer out at once. */
export const loginDelayMs = (failures: number) => (failures <= 0 ? 0 : Math.min(8_000, 250 * 2 ** (failures - 1)));

/**
 * Only guesses at the current password count: a password registered since (through
 * 「ID 忘れ・パスワード忘れ」) starts the count afresh, at this kiosk and, as the password
 * travels, at every other.
 */
function sinceCurrentPassword(account: AccountRow): number {
  const changed = account.password_changed_at ? Date.parse(account.password_changed_at) : Number.NaN;
  // Events after `since` count; a failure in the same millisecond as the change counts.
  return Number.isNaN(changed) ? 0 : changed - 1;
}

export function createAccountService(deps: AccountServiceDeps) {
  const { db, clock, hasher, settings, box } = deps;

  /**
   * One wrong password (at login, or as the current password on マイページ): counted, audited,
   * and at the limit the login is locked and the registered address told how to get back in.
   * Returns true when this failure locked the account.
   */
  async function recordFailure(account: AccountRow, actor: string, locale: Locale, nowMs: number, where: 'login' | 'mypage'): Promise<boolean> {
    const s = await settings.get();
    const locked = await db.transaction(async (tx) => {
      const failures = await recordDailyFailure(tx, 'login', account.id, nowMs, sinceCurrentPassword(account));
      await appendAudit(tx, { actor, action: `${where}.password-wrong`, subject: account.jsa_id, detail: { failures } }, iso(nowMs));
      if (failures < s.limits.maxLoginFailures || (await activeLock(tx, account.id, 'login'))) return false;
      await addLock(tx, account.id, 'login', 'too-many-login-failures', iso(nowMs));
      await appendAudit(tx, { actor: 'system', action: 'login.locked', subject: account.jsa_id, detail: { failures } }, iso(nowMs));
      await queueLockNotice(tx, account, locale, s.supportEmail, nowMs);
      return true;
    });
    if (locked) deps.mailQueued();
    return locked;
  }

  function queueLockNotice(tx: Queryable, account: AccountRow, locale: Locale, supportEmail: string, nowMs: number): Promise<unknown> {
    return queueMail(
      tx,
      box,
      {
        template: 'login-locked',
        locale,
        to: account.email,
        params: { contactName: account.contact_name || undefined, maskedJsaId: maskJsaId(account.jsa_id), supportEmail },
      },
      nowMs,
    );
  }

  /**
   * Central locked these logins while applying this kiosk's push: failures spread over kiosks
   * that had not seen each other's reached the cap there (central migration 0008). Only the
   * pushing kiosk hears of it, so the notice leaves once, from here, as for a lock made at a
   * kiosk; the lock itself arrives with the next pull. The failing customers' locale is not
   * known here: Japanese, the default.
   */
  async function noticeCentralLoginLocks(accountIds: readonly string[]): Promise<void> {
    const s = await settings.get();
    const nowMs = clock.nowMs();
    const queued = await db.transaction(async (tx) => {
      let n = 0;
      for (const id of accountIds) {
        const account = await findAccountById(tx, id);
        if (!account) continue;
        await appendAudit(tx, { actor: 'system', action: 'login.locked', subject: account.jsa_id, detail: { by: 'central' } }, iso(nowMs));
        await queueLockNotice(tx, account, 'ja', s.supportEmail, nowMs);
        n += 1;
      }
      return n;
    });
    if (queued > 0) deps.mailQueued();
  }

  /** A lock set before the password was registered again has done its job: lift it. */
  async function lockStillHolds(tx: Queryable, account: AccountRow, nowMs: number): Promise<boolean> {
    const lock = await activeLock(tx, account.id, 'login');
    if (!lock) return false;
    if (!account.password_changed_at || account.password_changed_at <= lock.locked_at) return true;
    await liftLocks(tx, account.id, 'login', 'system:password-registered', iso(nowMs));
    await appendAudit(tx, { actor: 'system', action: 'login.unlocked', subject: account.jsa_id, detail: { reason: 'password-registered' } }, iso(nowMs));
    return false;
  }

  // One attempt per account at a time (the main process owns the store): otherwise guesses sent
  // together all pass the lock check and the delay before any failure is recorded.
  const attempts = new Map<string, Promise<unknown>>();
  function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (attempts.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
    attempts.set(key, next);
    void next.catch(() => undefined).finally(() => {
      if (attempts.get(key) === next) attempts.delete(key);
    });
    return next;
  }

  /** One answer for every failure (unknown ID, no password yet, wrong password). */
  function login(jsaId: string, password: string, actor: string, locale: Locale = 'ja'): Promise<{ accountId: string; contactName: string; maskedJsaId: string }> {
    return oneAtATime(jsaId, () => attempt(jsaId, password, actor, locale));
  }

  async function attempt(jsaId: string, password: string, actor: string, locale: Locale): Promise<{ accountId: string; contactName: string; maskedJsaId: string }> {
    const nowMs = clock.nowMs();
    const account = await findAccountByJsaId(db, jsaId);
    const normalized = normalizePassword(password);
    if (!account || !account.password_hash) {
      await hasher.dummyVerify(normalized);
      throw new AppError('LOGIN_FAILED');
    }
    await deps.sleep(loginDelayMs(await dailyFailures(db, 'login', account.id, nowMs, sinceCurrentPassword(account))));
    if (await db.transaction((tx) => lockStillHolds(tx, account, nowMs))) {
      await hasher.dummyVerify(normalized);
      throw new AppError('LOGIN_LOCKED');
    }
    if (!(await hasher.verify(normalized, account.password_hash))) {
      const locked = await recordFailure(account, actor, locale, nowMs, 'login');
      throw new AppError(locked ? 'LOGIN_LOCKED' : 'LOGIN_FAILED');
    }
    await db.transaction((tx) => appendAudit(tx, { actor, action: 'login.succeeded', subject: account.jsa_id }, iso(nowMs)));
    return { accountId: account.id, contactName: account.contact_name, maskedJsaId: maskJsaId(account.jsa_id) };
  }

  async function describe(accountId: string): Promise<{ contactName: string; maskedJsaId: string } | undefined> {
    const account = await findAccountById(db, accountId);
    return account ? { contactName: account.contact_name, maskedJsaId: maskJsaId(account.jsa_id) } : undefined;
  }

  return { login, describe, recordFailure, noticeCentralLoginLocks };
}

export type AccountService = ReturnType<typeof createAccountService>;
