import { AppError } from '../contract/errors';
import { maskJsaId } from '../domain/jsa-id';
import { normalizePassword } from '../domain/password-policy';
import { findAccountByJsaId, findAccountById } from '../store/accounts-repo';
import { appendAudit } from '../store/audit-repo';
import type { Db } from '../store/database';
import { activeLock, addLock } from '../store/limits-repo';
import { iso, type Clock } from './clock';
import { buckets, dailyFailures, recordDailyFailure } from './limits-service';
import type { PasswordHasher } from './password-hasher';
import type { SettingsService } from './settings-service';

export interface AccountServiceDeps {
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  settings: SettingsService;
  /** Waits; injectable so tests of the growing delay do not sleep. */
  sleep(ms: number): Promise<void>;
}

/** 0.25 s, 0.5 s, 1 s … up to 8 s: slows guessing without locking a customer out at once. */
export const loginDelayMs = (failures: number) => (failures <= 0 ? 0 : Math.min(8_000, 250 * 2 ** (failures - 1)));

export function createAccountService(deps: AccountServiceDeps) {
  const { db, clock, hasher, settings } = deps;

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

  /** One answer for every failure (unknown ID, no password yet, wrong password, locked). */
  async function login(jsaId: string, password: string, actor: string): Promise<{ accountId: string; contactName: string; maskedJsaId: string }> {
    return oneAtATime(jsaId, () => attempt(jsaId, password, actor));
  }

  async function attempt(jsaId: string, password: string, actor: string): Promise<{ accountId: string; contactName: string; maskedJsaId: string }> {
    const s = await settings.get();
    const nowMs = clock.nowMs();
    const account = await findAccountByJsaId(db, jsaId);
    const normalized = normalizePassword(password);
    if (!account || !account.password_hash) {
      await hasher.dummyVerify(normalized);
      throw new AppError('LOGIN_FAILED');
    }
    const bucket = buckets.loginFailure(account.id);
    await deps.sleep(loginDelayMs(await dailyFailures(db, bucket, nowMs)));
    if (await activeLock(db, account.id, 'login')) {
      await hasher.dummyVerify(normalized);
      throw new AppError('LOGIN_LOCKED');
    }
    if (!(await hasher.verify(normalized, account.password_hash))) {
      const locked = await db.transaction(async (tx) => {
        const failures = await recordDailyFailure(tx, bucket, nowMs);
        await appendAudit(tx, { actor, action: 'login.failed', subject: account.jsa_id, detail: { failures } }, iso(nowMs));
        if (failures < s.limits.maxLoginFailures) return false;
        await addLock(tx, account.id, 'login', 'too-many-login-failures', iso(nowMs));
        await appendAudit(tx, { actor: 'system', action: 'login.locked', subject: account.jsa_id, detail: { failures } }, iso(nowMs));
        return true;
      });
      throw new AppError(locked ? 'LOGIN_LOCKED' : 'LOGIN_FAILED');
    }
    await db.transaction((tx) => appendAudit(tx, { actor, action: 'login.succeeded', subject: account.jsa_id }, iso(nowMs)));
    return { accountId: account.id, contactName: account.contact_name, maskedJsaId: maskJsaId(account.jsa_id) };
  }

  async function describe(accountId: string): Promise<{ contactName: string; maskedJsaId: string } | undefined> {
    const account = await findAccountById(db, accountId);
    return account ? { contactName: account.contact_name, maskedJsaId: maskJsaId(account.jsa_id) } : undefined;
  }

  return { login, describe };
}

export type AccountService = ReturnType<typeof createAccountService>;
