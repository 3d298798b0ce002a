import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../contract/errors';
import type { Locale } from '../contract/fields';
import { maskJsaId } from '../domain/jsa-id';
import { normalizePassword } from '../domain/password-policy';
import { findAccountByJsaId, findAccountById, type AccountRow } from '../store/accounts-repo';
import { appendAudit } from '../store/audit-repo';
import type { Db, Queryable } from '../store/database';
import { activeLock, addLock, countEventsSince, lastUnlockAt, liftLocks, recordEvent } from '../store/limits-repo';
import { iso, type Clock } from './clock';
import { buckets, DAY_MS, dailyFailures, recordDailyFailure } from './limits-service';
import { queueMail } from './mail/mail-outbox';
import type { PasswordHasher } from './password-hasher';
import type { SecretBox } from './secret-box';
import { secretSubjects, type SecretCheck, type SubjectState } from './secret-check';
import type { SettingsService } from './settings-service';
import type { ClaimLogin, LoginClaimAnswer } from './sync/login-claims';
import { applyClaimedRows } from '../store/sync-apply';

export interface AccountServiceDeps {
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  settings: SettingsService;
  box: SecretBox;
  /** Called after a commit that queued mail, so delivery starts at once. */
  mailQueued(): void;
  /** The one rule for checking a secret (serialised per subject, cap inside the step). */
  secretCheck: SecretCheck;
  /**
   * With a central database: a password typed here is decided at central before the answer (the
   * sync engine's claimLogin; docs/decisions.md "An online counter claims a login at central").
   */
  claimLogin?: ClaimLogin;
  /**
   * Central refuses this installation (a copy, WD002): no password is checked here, as no code
   * is (reset-service.ts). Its counts and what the password allows would never reach central.
   */
  refusedInstallation?(): boolean;
}

type Claimed = Exclude<LoginClaimAnswer, { outcome: 'refused' }>;

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

export type PasswordWhere = 'login' | 'mypage';

/** What the login subject's serialised step reads: the account behind the typed JSA-ID, if it has a password. */
interface LoginState extends SubjectState {
  jsaId: string;
  account: (AccountRow & { password_hash: string }) | undefined;
  nowMs: number;
}

export interface PasswordCheckOptions<T> {
  actor: string;
  locale: Locale;
  where: PasswordWhere;
  /** The answer to a wrong password that did not lock (LOGIN_FAILED at login, a field message on マイページ). */
  wrong(): AppError;
  /** Called when the answer is LOGIN_LOCKED (マイページ ends the account's sessions). */
  locked?(): void;
  /** The right password under the cap: what the call does, inside the serialised step. */
  succeeded(account: AccountRow, nowMs: number): Promise<T>;
  /**
   * マイページ: the password hash when the call began. Changed meanwhile (the twin of a 変更
   * that succeeded), the typed password was right when sent: CONFLICT password-changed, not a
   * failure counted toward the lock.
   */
  sentAgainst?: string | null;
}

export function createAccountService(deps: AccountServiceDeps) {
  const { db, clock, hasher, settings, box, secretCheck } = deps;

  /**
   * The count and the lock of a typed JSA-ID, alike whether or not an account has it: an
   * account counts its failures since its password was registered and its lock was lifted
   * (the keys central counts too); a JSA-ID on no account (or on one without a password)
   * counts under the JSA-ID itself, over the last 24 hours. Either is locked at the cap.
   */
  async function loginState(jsaId: string, nowMs: number): Promise<LoginState> {
    const cap = (await settings.get()).limits.maxLoginFailures;
    const found = await findAccountByJsaId(db, jsaId);
    if (!found?.password_hash) {
      // The same reads as for an account (its last unlock, its lock in a transaction), which
      // find nothing here: the answer's time must not tell the two apart (DESIGN §6).
      const since = Math.max(nowMs - DAY_MS, (await lastUnlockAt(db, jsaId, 'login')) ?? 0);
      const failures = await countEventsSince(db, buckets.loginFailureOfTypedId(jsaId), since);
      const held = await db.transaction(async (tx) => (await activeLock(tx, jsaId, 'login')) !== undefined);
      return { jsaId, account: undefined, failures, locked: held || failures >= cap, nowMs };
    }
    const account = { ...found, password_hash: found.password_hash };
    const failures = await dailyFailures(db, 'login', account.id, nowMs, sinceCurrentPassword(account));
    // At the cap without a lock row: the failures came from other kiosks and the lock is on its way.
    const locked = (await db.transaction((tx) => lockStillHolds(tx, account, nowMs))) || failures >= cap;
    return { jsaId, account, failures, locked, nowMs };
  }

  /**
   * One wrong password (at login, or as the current password on マイページ): counted, audited,
   * and at the limit the login is locked and the registered address told how to get back in.
   * A JSA-ID on no account is counted and audited the same way, under what was typed; its
   * lock is the count itself (no row, no mail: there is nobody to tell).
   * Returns true when this failure locked the subject.
   */
  async function recordFailure(state: LoginState, actor: string, locale: Locale, where: PasswordWhere): Promise<boolean> {
    const s = await settings.get();
    const { account, nowMs } = state;
    const locked = await db.transaction(async (tx) => {
      if (!account) {
        await recordEvent(tx, buckets.loginFailureOfTypedId(state.jsaId), nowMs);
        const failures = await countEventsSince(tx, buckets.loginFailureOfTypedId(state.jsaId), nowMs - DAY_MS);
        await appendAudit(tx, { actor, action: 'login.unknown-id', subject: state.jsaId, detail: { failures } }, iso(nowMs));
        if (failures < s.limits.maxLoginFailures) return false;
        await appendAudit(tx, { actor: 'system', action: 'login.locked', subject: state.jsaId, detail: { failures, account: false } }, iso(nowMs));
        return true;
      }
      const failures = await recordDailyFailure(tx, 'login', account.id, nowMs, sinceCurrentPassword(account));
      await appendAudit(tx, { actor, action: `${where}.password-wrong`, subject: account.jsa_id, detail: { failures } }, iso(nowMs));
      if (failures < s.limits.maxLoginFailures || (await activeLock(tx, account.id, 'login'))) return false;
      await addLock(tx, account.id, 'login', 'too-many-login-failures', iso(nowMs));
      await appendAudit(tx, { actor: 'system', action: 'login.locked', subject: account.jsa_id, detail: { failures } }, iso(nowMs));
      await queueLockNotice(tx, account, locale, s.supportEmail, nowMs);
      return true;
    });
    if (locked && account) deps.mailQueued();
    return locked;
  }

  /**
   * Central's decision on a password (central 0019), or undefined where this counter decides
   * alone: standalone, central out of reach (the offline window), or a copy central refuses
   * (its failures are counted here, and its lock holds here). Asked alike for a JSA-ID on no
   * account, so the round trip tells nothing.
   */
  async function claimAtCentral(state: LoginState, failed: boolean): Promise<Claimed | undefined> {
    if (!deps.claimLogin) return undefined;
    const s = await settings.get();
    const answer = await deps.claimLogin({ jsaId: state.jsaId, failed, key: `login:${uuidv7()}`, atMs: state.nowMs, maxFailures: s.limits.maxLoginFailures });
    return answer === undefined || answer.outcome === 'refused' ? undefined : answer;
  }

  /**
   * A wrong password central has counted (or, past the cap, refused to count): its event and
   * lock are written here as pulled rows, and the audit and the lock notice are as the local
   * path writes them. Returns true when the answer is LOGIN_LOCKED.
   */
  async function recordClaimedFailure(state: LoginState, claimed: Claimed, actor: string, locale: Locale, where: PasswordWhere): Promise<boolean> {
    if (claimed.outcome === 'locked') return true;
    const s = await settings.get();
    const { account, nowMs } = state;
    const failures = claimed.failures;
    const noticed = await db.transaction(async (tx) => {
      await applyClaimedRows(tx, 'limit_events', claimed.event ? [claimed.event] : []);
      await applyClaimedRows(tx, 'account_locks', claimed.lock ? [claimed.lock] : []);
      const subject = account?.jsa_id ?? state.jsaId;
      await appendAudit(tx, { actor, action: account ? `${where}.password-wrong` : 'login.unknown-id', subject, detail: { failures } }, iso(nowMs));
      if (claimed.outcome !== 'locked-now') return false;
      await appendAudit(tx, { actor: 'system', action: 'login.locked', subject, detail: account ? { failures } : { failures, account: false } }, iso(nowMs));
      if (!account) return false;
      await queueLockNotice(tx, account, locale, s.supportEmail, nowMs);
      return true;
    });
    if (noticed) deps.mailQueued();
    return claimed.outcome === 'locked-now';
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

  /**
   * A password checked against the login subject of a JSA-ID, through the one rule of
   * secret-check.ts: one attempt at a time per JSA-ID, the growing delay, the cap read in the
   * same step as the compare, and the caller's change made inside that step.
   */
  function checkPassword<T>(jsaId: string, password: string, options: PasswordCheckOptions<T>): Promise<T> {
    // Before any compare: a wrong password here would count toward no lock but this copy's own.
    if (deps.refusedInstallation?.()) return Promise.reject(new AppError('ASK_STAFF'));
    const normalized = normalizePassword(password);
    const lockedAnswer = () => {
      options.locked?.();
      return new AppError('LOGIN_LOCKED');
    };
    return secretCheck.check<LoginState, AccountRow, T>({
      subjects: [secretSubjects.login(jsaId)],
      async state() {
        const state = await loginState(jsaId, clock.nowMs());
        if (options.sentAgainst !== undefined && state.account && state.account.password_hash !== options.sentAgainst) {
          throw new AppError('CONFLICT', { params: { reason: 'password-changed' } });
        }
        return state;
      },
      delayMs: loginDelayMs,
      async refuse() {
        await hasher.dummyVerify(normalized);
        throw lockedAnswer();
      },
      async compare({ account }) {
        if (!account) {
          await hasher.dummyVerify(normalized);
          return undefined;
        }
        return (await hasher.verify(normalized, account.password_hash)) ? account : undefined;
      },
      async failed(state) {
        const claimed = await claimAtCentral(state, true);
        const locked = claimed
          ? await recordClaimedFailure(state, claimed, options.actor, options.locale, options.where)
          : await recordFailure(state, options.actor, options.locale, options.where);
        throw locked ? lockedAnswer() : options.wrong();
      },
      async succeeded(state, account) {
        // Failures at other counters may have reached the cap since this counter last heard of them.
        if ((await claimAtCentral(state, false))?.outcome === 'locked') throw lockedAnswer();
        return options.succeeded(account, state.nowMs);
      },
    });
  }

  /** One answer for every failure (unknown ID, no password yet, wrong password), in body and time. */
  function login(jsaId: string, password: string, actor: string, locale: Locale = 'ja'): Promise<{ accountId: string; contactName: string; maskedJsaId: string }> {
    return checkPassword(jsaId, password, {
      actor,
      locale,
      where: 'login',
      wrong: () => new AppError('LOGIN_FAILED'),
      async succeeded(account, nowMs) {
        await db.transaction((tx) => appendAudit(tx, { actor, action: 'login.succeeded', subject: account.jsa_id }, iso(nowMs)));
        return { accountId: account.id, contactName: account.contact_name, maskedJsaId: maskJsaId(account.jsa_id) };
      },
    });
  }

  async function describe(accountId: string): Promise<{ contactName: string; maskedJsaId: string } | undefined> {
    const account = await findAccountById(db, accountId);
    return account ? { contactName: account.contact_name, maskedJsaId: maskJsaId(account.jsa_id) } : undefined;
  }

  return { login, checkPassword, describe, noticeCentralLoginLocks };
}

export type AccountService = ReturnType<typeof createAccountService>;
