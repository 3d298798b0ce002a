import { AppError } from '../contract/errors';
import type { Limits } from '../domain/runtime-settings';
import type { Queryable } from '../store/database';
import { CLOCK_SKEW_MS } from './clock';
import { countEventsSince, lastEventAt, lastUnlockAt, purgeEventsBefore, recordEvent, type LockKind } from '../store/limits-repo';

const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** Bucket names, one place: what is counted per what. */
export const buckets = {
  requestById: (jsaId: string) => `req:id:${jsaId}`,
  requestByEmail: (email: string) => `req:email:${email}`,
  requestByKiosk: (kioskId: string) => `req:kiosk:${kioskId}`,
  codeFailure: (accountId: string) => `codefail:${accountId}`,
  /**
   * A code typed at the kiosk for a JSA-ID or address with no request that could take it:
   * recorded so that this path writes what a wrong code on a live request writes (reset-service
   * `recordUnmatchedCode`). Under `codefail:`, so it stays on this kiosk as those do.
   */
  codeFailureOfTyped: (identifier: string) => `codefail:typed:${identifier}`,
  loginFailure: (accountId: string) => `loginfail:${accountId}`,
  /**
   * A JSA-ID typed at login that is on no account (or on one without a password): counted
   * like an account's failures so that its delay and lock are the same (issue 13). Not under
   * `loginfail:`, which central reads as account ids (central 0008); it travels all the same.
   */
  loginFailureOfTypedId: (jsaId: string) => `loginfail-id:${jsaId}`,
  /** Staff logins by the user name typed, known or not; staff accounts are per kiosk, so kept local. */
  staffLoginFailure: (username: string) => `stafflogin:${username}`,
};

/**
 * Whole seconds left of a cooldown that started at `lastMs`; never more than the cooldown (a
 * 2 h NTP step back asked the customer to wait 7260 seconds). A start a little ahead (within
 * CLOCK_SKEW_MS) counts as just now; one further ahead was stamped by a clock since stepped
 * back and starts none: counted as "just now" it would say 60 s at every try until the clock
 * caught up. The hourly caps still count it. Pass the newest start stamped by
 * `cooldownSince(nowMs)` where there may be several (`lastEventAt`).
 */
export function cooldownLeft(lastMs: number | undefined, cooldownSeconds: number, nowMs: number): number {
  if (lastMs === undefined || lastMs > cooldownSince(nowMs)) return 0;
  return Math.max(0, Math.ceil((Math.min(lastMs, nowMs) + cooldownSeconds * 1000 - nowMs) / 1000));
}

/** The latest stamp that may start a cooldown now. */
export const cooldownSince = (nowMs: number): number => nowMs + CLOCK_SKEW_MS;

export interface RequestKeys {
  jsaId?: string;
  email: string;
  kioskId: string;
}

/** The request's buckets that travel (the typed JSA-ID's and address's), in the order they are checked, with their hourly caps. */
export function personalRequestBuckets(keys: RequestKeys, limits: Limits): Array<[string, number]> {
  const personal: Array<[string, number]> = keys.jsaId ? [[buckets.requestById(keys.jsaId), limits.perAccountPerHour]] : [];
  personal.push([buckets.requestByEmail(keys.email), limits.perEmailPerHour]);
  return personal;
}

/**
 * DESIGN §6 request caps. Keys are what the customer typed, not the account found, so a
 * refusal looks the same whether or not the account exists (no enumeration through limits).
 * Only accepted requests are counted: refused tries must not extend a lock-out. `personal:
 * false` checks the counter's own bucket alone: central has just passed the others (central 0021).
 */
export async function admitResetRequest(db: Queryable, keys: RequestKeys, limits: Limits, nowMs: number, { personal = true } = {}): Promise<void> {
  const mine = personal ? personalRequestBuckets(keys, limits) : [];
  for (const [bucket] of mine) {
    const last = await lastEventAt(db, bucket, cooldownSince(nowMs));
    const wait = cooldownLeft(last, limits.resendCooldownSeconds, nowMs);
    if (wait > 0) throw new AppError('COOLDOWN', { params: { seconds: wait } });
  }
  const since = nowMs - HOUR_MS;
  for (const [bucket, cap] of [...mine, [buckets.requestByKiosk(keys.kioskId), limits.perKioskPerHour] as const]) {
    if ((await countEventsSince(db, bucket, since)) >= cap) throw new AppError('RATE_LIMITED');
  }
}

/** `personal: false`: central counted the travelling buckets and they are written as pulled rows. */
export async function recordResetRequest(db: Queryable, keys: RequestKeys, nowMs: number, { personal = true } = {}): Promise<void> {
  if (personal && keys.jsaId) await recordEvent(db, buckets.requestById(keys.jsaId), nowMs);
  if (personal) await recordEvent(db, buckets.requestByEmail(keys.email), nowMs);
  await recordEvent(db, buckets.requestByKiosk(keys.kioskId), nowMs);
}

const failureBucket = (kind: LockKind, accountId: string) => (kind === 'reset' ? buckets.codeFailure(accountId) : buckets.loginFailure(accountId));

/**
 * Where an account's failures of one kind start to count: the last 24 hours, but nothing up
 * to the last lift of that lock (staff, or a new password), and nothing before `notBeforeMs`.
 * Ending the window by time rather than deleting the events is what makes an unlock hold at
 * every kiosk: the events travel and the lift travels with account_locks, while a delete of
 * events would not (their purge is by age, at each replica on its own).
 */
export async function failureWindowStart(db: Queryable, kind: LockKind, accountId: string, nowMs: number, notBeforeMs = 0): Promise<number> {
  return Math.max(nowMs - DAY_MS, (await lastUnlockAt(db, accountId, kind)) ?? 0, notBeforeMs);
}

export async function dailyFailures(db: Queryable, kind: LockKind, accountId: string, nowMs: number, notBeforeMs = 0): Promise<number> {
  return countEventsSince(db, failureBucket(kind, accountId), await failureWindowStart(db, kind, accountId, nowMs, notBeforeMs));
}

/** Records one failure and returns how many count now, this one included. */
export async function recordDailyFailure(db: Queryable, kind: LockKind, accountId: string, nowMs: number, notBeforeMs = 0): Promise<number> {
  await recordEvent(db, failureBucket(kind, accountId), nowMs);
  return dailyFailures(db, kind, accountId, nowMs, notBeforeMs);
}

export function purgeExpiredEvents(db: Queryable, nowMs: number): Promise<number> {
  return purgeEventsBefore(db, nowMs - DAY_MS);
}
