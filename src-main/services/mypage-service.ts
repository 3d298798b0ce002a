import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../contract/errors';
import type { Locale } from '../contract/fields';
import { isCommonPassword } from '../domain/common-passwords';
import { maskEmail, normalizeEmail } from '../domain/email';
import { maskJsaId } from '../domain/jsa-id';
import { evaluatePassword, failedRules, normalizePassword, type PasswordCheckItem } from '../domain/password-policy';
import { isWellFormedCode, normalizeCode } from '../domain/reset-code';
import type { PasswordPolicy } from '../domain/runtime-settings';
import { findAccountById, setAccountPassword, updateAccount, type AccountRow } from '../store/accounts-repo';
import { appendAudit } from '../store/audit-repo';
import {
  closePendingContactChanges,
  incrementContactChangeAttempts,
  insertContactChange,
  pendingContactChange,
  transitionContactChange,
  type ContactChangeRow,
} from '../store/contact-changes-repo';
import type { Db, Queryable } from '../store/database';
import { supersedeOpenRequests } from '../store/reset-requests-repo';
import { countEventsSince, lastEventAt, recordEvent } from '../store/limits-repo';
import type { AccountService } from './account-service';
import { iso, type Clock } from './clock';
import { cooldownLeft, cooldownSince } from './limits-service';
import { queueMail } from './mail/mail-outbox';
import type { PasswordHasher } from './password-hasher';
import { isRecentPassword } from './password-history';
import { formatMailTime } from './mail/mail-time';
import type { CodeKeys } from './code-keys';
import { hmacEquals, randomCode, type SecretBox } from './secret-box';
import { secretSubjects, type SecretCheck, type SubjectState } from './secret-check';
import type { SettingsService } from './settings-service';
import type { ClaimEmailChange, EmailChangeClaimAnswer } from './sync/email-change-claims';
import { applyClaimedRows } from '../store/sync-apply';

const HOUR_MS = 60 * 60_000;

/** Bucket for e-mail change requests: the cooldown and hourly cap of DESIGN §6, per account. */
const emailChangeBucket = (accountId: string) => `mypage:email:${accountId}`;

/** Domain-separated from reset codes: a different prefix under the same HMAC key. */
const codeHmacInput = (changeId: string, code: string) => `email-change:${changeId}:${code}`;

export interface MypageServiceDeps {
  db: Db;
  clock: Clock;
  box: SecretBox;
  /** Code keys for the e-mail change code (as for reset codes, code-keys.ts). */
  keys: CodeKeys;
  hasher: PasswordHasher;
  settings: SettingsService;
  account: AccountService;
  /** The one rule for checking a secret (secret-check.ts), shared with the login. */
  secretCheck: SecretCheck;
  kioskId: string;
  mailQueued(): void;
  /** Ends the account's customer sessions except `keep` (the window that made the change). */
  endSessions(accountId: string, keep?: string): void;
  /**
   * With a central database: an e-mail change code typed here is decided at central before the
   * answer (the sync engine's claimEmailChange; docs/decisions.md "An online counter claims a login at central").
   */
  claimEmailChange?: ClaimEmailChange;
  /** Central refuses this installation (a copy, WD002): マイページ shows, but changes nothing here (as reset-service.ts). */
  refusedInstallation?(): boolean;
}

interface EmailCodeState extends SubjectState {
  row: ContactChangeRow;
  nowMs: number;
}

export interface Profile {
  jsaId: string;
  contactName: string;
  company: string;
  department: string;
  address: string;
  phone: string;
  maskedEmail: string;
  passwordChangedAt: string | null;
  pendingEmailChange: { maskedNewEmail: string; expiresAt: string } | null;
  policy: PasswordPolicy;
}

export function createMypageService(deps: MypageServiceDeps) {
  const { db, clock, box, hasher, settings } = deps;

  /** A change made at a refused copy would never reach central, yet the customer would believe it done. */
  function refuseAtRefusedCopy(): void {
    if (deps.refusedInstallation?.()) throw new AppError('ASK_STAFF');
  }

  async function loadAccount(accountId: string): Promise<AccountRow> {
    const account = await findAccountById(db, accountId);
    // The account vanished under a live session (staff merged it, sync removed it).
    if (!account) throw new AppError('SESSION_EXPIRED');
    return account;
  }

  const greetingParams = async (account: AccountRow) => ({
    contactName: account.contact_name || undefined,
    maskedJsaId: maskJsaId(account.jsa_id),
    supportEmail: (await settings.get()).supportEmail,
  });

  /** The open change if it is still alive; an expired one is closed on the way. */
  async function livePendingChange(accountId: string, nowMs: number): Promise<ContactChangeRow | undefined> {
    const row = await pendingContactChange(db, accountId);
    if (!row) return undefined;
    if (Date.parse(row.expires_at) > nowMs) return row;
    await db.transaction((tx) => transitionContactChange(tx, row.id, 'pending', { status: 'expired' }));
    return undefined;
  }

  async function profile(accountId: string): Promise<Profile> {
    const account = await loadAccount(accountId);
    const pending = await livePendingChange(accountId, clock.nowMs());
    return {
      jsaId: account.jsa_id,
      contactName: account.contact_name,
      company: account.company,
      department: account.department,
      address: account.address,
      phone: account.phone,
      maskedEmail: maskEmail(account.email),
      passwordChangedAt: account.password_changed_at,
      pendingEmailChange: pending ? { maskedNewEmail: maskEmail(pending.new_email), expiresAt: pending.expires_at } : null,
      policy: (await settings.get()).passwordPolicy,
    };
  }

  async function changeContactName(accountId: string, contactName: string, actor: string): Promise<{ contactName: string }> {
    refuseAtRefusedCopy();
    const account = await loadAccount(accountId);
    if (account.contact_name === contactName) return { contactName };
    const nowMs = clock.nowMs();
    await db.transaction(async (tx) => {
      await updateAccount(tx, account.id, { contact_name: contactName }, iso(nowMs));
      // Which field changed, not its values: the audit chain cannot forget personal data.
      await appendAudit(tx, { actor, action: 'mypage.contact-name-changed', subject: account.jsa_id, detail: { field: 'contact_name', kioskId: deps.kioskId } }, iso(nowMs));
    });
    return { contactName };
  }

  /** DESIGN §6 numbers applied to e-mail changes: 60 s cooldown, ≤ 5 per account per hour. */
  async function admitEmailChange(q: Queryable, accountId: string, nowMs: number): Promise<void> {
    const { limits } = await settings.get();
    const bucket = emailChangeBucket(accountId);
    const last = await lastEventAt(q, bucket, cooldownSince(nowMs));
    const wait = cooldownLeft(last, limits.resendCooldownSeconds, nowMs);
    if (wait > 0) throw new AppError('COOLDOWN', { params: { seconds: wait } });
    if ((await countEventsSince(q, bucket, nowMs - HOUR_MS)) >= limits.perAccountPerHour) throw new AppError('RATE_LIMITED');
  }

  /**
   * A code to the new address, a notice to the old one; the address itself changes later.
   * The current password first, as for パスワード変更 and through the same login subject: the
   * address is how the account is recovered, so a stranger at a window left logged in must not
   * be able to move it to a mailbox of their own (ASVS 5.0 V7.5.1). The cheap refusals (same
   * address, cooldown) come before it and count nothing; the request runs inside the step.
   */
  async function requestEmailChange(
    accountId: string,
    input: { currentPassword: string; newEmail: string; locale: Locale },
    actor: string,
  ): Promise<{ maskedNewEmail: string; expiresAt: string; lifetimeMinutes: number }> {
    refuseAtRefusedCopy();
    const account = await loadAccount(accountId);
    if (normalizeEmail(account.email) === input.newEmail) {
      throw new AppError('INVALID_INPUT', { fields: [{ field: 'newEmail', code: 'email.same' }] });
    }
    await admitEmailChange(db, account.id, clock.nowMs());
    return withCurrentPassword(account, input, actor, (current, nowMs) => sendEmailChangeCode(current, input.newEmail, input.locale, actor, nowMs));
  }

  /**
   * The current password, checked through the login subject of the account's JSA-ID
   * (account-service `checkPassword`): one attempt at a time with the login's growing delay, a
   * wrong one counts toward the login lock and is audited, nothing is compared past the lock,
   * and `then` runs inside that same step (a burst of guesses cannot lock the account between
   * the compare and what the password allows).
   */
  function withCurrentPassword<T>(
    account: AccountRow,
    input: { currentPassword: string; locale: Locale },
    actor: string,
    then: (current: AccountRow, nowMs: number) => Promise<T>,
  ): Promise<T> {
    return deps.account.checkPassword(account.jsa_id, input.currentPassword, {
      actor,
      locale: input.locale,
      where: 'mypage',
      sentAgainst: account.password_hash,
      wrong: () => new AppError('INVALID_INPUT', { fields: [{ field: 'currentPassword', code: 'currentPassword.wrong' }] }),
      locked: () => deps.endSessions(account.id),
      succeeded: async (current, nowMs) => {
        // The account behind the JSA-ID is the session's (a merge could have moved the ID meanwhile).
        if (current.id !== account.id) throw new AppError('SESSION_EXPIRED');
        return then(current, nowMs);
      },
    });
  }

  async function sendEmailChangeCode(
    account: AccountRow,
    newEmail: string,
    locale: Locale,
    actor: string,
    nowMs: number,
  ): Promise<{ maskedNewEmail: string; expiresAt: string; lifetimeMinutes: number }> {
    const s = await settings.get();
    const id = uuidv7();
    if (deps.keys.refusesCodes()) throw new AppError('ASK_STAFF');
    const code = randomCode();
    const key = deps.keys.current();
    const expiresAt = iso(nowMs + s.codeLifetimeMinutes * 60_000);
    const params = await greetingParams(account);
    await db.transaction(async (tx) => {
      // Again inside the transaction: a burst all passed the check above before any was recorded.
      await admitEmailChange(tx, account.id, nowMs);
      await recordEvent(tx, emailChangeBucket(account.id), nowMs);
      await closePendingContactChanges(tx, account.id, 'superseded');
      await insertContactChange(tx, {
        id,
        account_id: account.id,
        old_email: account.email,
        new_email: newEmail,
        code_hmac: key.box.hmac('code', codeHmacInput(id, code)),
        key_id: key.id,
        status: 'pending',
        locale,
        kiosk_id: deps.kioskId,
        created_by: actor,
        created_at: iso(nowMs),
        expires_at: expiresAt,
      });
      await queueMail(tx, box, { template: 'email-change-code', locale, to: newEmail, params: { ...params, lifetimeMinutes: s.codeLifetimeMinutes }, secrets: { code }, relatedId: id }, nowMs);
      await queueMail(tx, box, { template: 'email-change-requested', locale, to: account.email, params: { ...params, maskedNewEmail: maskEmail(newEmail) }, relatedId: id }, nowMs);
      await appendAudit(tx, { actor, action: 'mypage.email-change-requested', subject: account.jsa_id, detail: { changeId: id, kioskId: deps.kioskId } }, iso(nowMs));
    });
    deps.mailQueued();
    return { maskedNewEmail: maskEmail(newEmail), expiresAt, lifetimeMinutes: s.codeLifetimeMinutes };
  }

  /**
   * Central's decision on an e-mail change code (central 0020), or undefined where this counter
   * decides alone: standalone, central out of reach (the offline window), or a change central
   * does not have yet. A copy central refuses decides alone too: its change cannot leave it.
   */
  async function claimAtCentral(row: ContactChangeRow, confirmedAt: string | undefined): Promise<Exclude<EmailChangeClaimAnswer, { outcome: 'refused' | 'unknown' }> | undefined> {
    if (!deps.claimEmailChange) return undefined;
    const { limits } = await settings.get();
    const answer = await deps.claimEmailChange({ changeId: row.id, use: confirmedAt !== undefined, confirmedAt, maxAttempts: limits.maxCodeAttempts });
    return answer === undefined || answer.outcome === 'refused' || answer.outcome === 'unknown' ? undefined : answer;
  }

  /** A wrong code counts on the change; the limit (5, as for reset codes) voids it. */
  async function wrongCode(row: ContactChangeRow, account: AccountRow, actor: string, nowMs: number): Promise<never> {
    const { limits } = await settings.get();
    const claimed = await claimAtCentral(row, undefined);
    if (claimed) {
      // Central's row replaces the replica's as a pulled row: the attempt is not pushed a second time.
      await db.transaction((tx) => applyClaimedRows(tx, 'contact_changes', [claimed.row as unknown as Record<string, unknown>]));
      if (claimed.outcome === 'closed') throw new AppError('REQUEST_VOIDED');
    }
    const remaining = await db.transaction(async (tx) => {
      const attempts = claimed ? claimed.row.attempts : await incrementContactChangeAttempts(tx, row.id);
      await appendAudit(tx, { actor, action: 'mypage.email-code-wrong', subject: account.jsa_id, detail: { changeId: row.id, attempts } }, iso(nowMs));
      if (attempts < limits.maxCodeAttempts && (!claimed || claimed.row.status === 'pending')) return limits.maxCodeAttempts - attempts;
      if (!claimed) await transitionContactChange(tx, row.id, 'pending', { status: 'voided' });
      await appendAudit(tx, { actor: 'system', action: 'mypage.email-change-voided', subject: account.jsa_id, detail: { changeId: row.id, attempts } }, iso(nowMs));
      return 0;
    });
    if (remaining === 0) throw new AppError('REQUEST_VOIDED');
    throw new AppError('CODE_INVALID', { params: { remaining } });
  }

  /**
   * The code from the new address's mail, through the one rule of secret-check.ts: one attempt
   * per account at a time, the change's attempts read in the same step as the compare, nothing
   * compared once they reach the cap (the change is void), and the confirmation in that step.
   */
  async function confirmEmailChange(accountId: string, typedCode: string, locale: Locale, actor: string): Promise<{ maskedEmail: string }> {
    refuseAtRefusedCopy();
    const account = await loadAccount(accountId);
    const code = normalizeCode(typedCode);
    return deps.secretCheck.check<EmailCodeState, true, { maskedEmail: string }>({
      subjects: [secretSubjects.emailChangeCode(account.id)],
      async state() {
        const nowMs = clock.nowMs();
        const row = await pendingContactChange(db, account.id);
        if (!row) throw new AppError('NOT_FOUND');
        if (Date.parse(row.expires_at) <= nowMs) {
          await db.transaction((tx) => transitionContactChange(tx, row.id, 'pending', { status: 'expired' }));
          throw new AppError('CODE_EXPIRED');
        }
        const { limits } = await settings.get();
        return { row, nowMs, failures: row.attempts, locked: row.attempts >= limits.maxCodeAttempts };
      },
      async refuse({ row }) {
        // Reached the cap some other way (the setting was lowered): void it now, as a wrong code would.
        await db.transaction((tx) => transitionContactChange(tx, row.id, 'pending', { status: 'voided' }));
        throw new AppError('REQUEST_VOIDED');
      },
      compare: async ({ row }) => {
        const rowBox = deps.keys.forId(row.key_id);
        // A code this counter cannot check is not the customer's mistake: nothing is counted.
        if (!rowBox || deps.keys.refusesCodes()) {
          if (!rowBox) deps.keys.reportUnknown(row.key_id ?? 'none');
          throw new AppError('ASK_STAFF');
        }
        return isWellFormedCode(code) && hmacEquals(row.code_hmac, rowBox.hmac('code', codeHmacInput(row.id, code))) ? true : undefined;
      },
      failed: ({ row, nowMs }) => wrongCode(row, account, actor, nowMs),
      succeeded: ({ row, nowMs }) => confirmChange(row, account, locale, actor, nowMs),
    });
  }

  async function confirmChange(row: ContactChangeRow, account: AccountRow, locale: Locale, actor: string, nowMs: number): Promise<{ maskedEmail: string }> {
    const params = await greetingParams(account);
    const changedAt = formatMailTime(nowMs, locale);
    const claimed = await claimAtCentral(row, iso(nowMs));
    const won = await db.transaction(async (tx) => {
      if (claimed) {
        // Confirmed at central (or closed there first): its row is kept here as a pulled row, so
        // the change's transition does not travel back as a second use.
        await applyClaimedRows(tx, 'contact_changes', [claimed.row as unknown as Record<string, unknown>]);
        if (claimed.outcome !== 'used') return false;
      } else if (!(await transitionContactChange(tx, row.id, 'pending', { status: 'confirmed', confirmed_at: iso(nowMs) }))) return false;
      await updateAccount(tx, account.id, { email: row.new_email, email_norm: normalizeEmail(row.new_email) }, iso(nowMs));
      // Codes, links and grants mailed to the old address end with it, as an approved 担当者変更
      // ends them (inquiry-review-service): the old mailbox is no way back in.
      const requestsVoided = await supersedeOpenRequests(tx, account.id);
      await appendAudit(tx, { actor, action: 'mypage.email-changed', subject: account.jsa_id, detail: { changeId: row.id, kioskId: deps.kioskId, requestsVoided } }, iso(nowMs));
      // DESIGN §6 "Contact change: notice to old and new address".
      for (const to of [row.old_email, row.new_email]) {
        await queueMail(tx, box, { template: 'email-change-completed', locale, to, params: { ...params, maskedNewEmail: maskEmail(row.new_email), changedAt }, relatedId: row.id }, nowMs);
      }
      return true;
    });
    if (!won) throw new AppError(claimed && claimed.row.status !== 'confirmed' ? 'REQUEST_VOIDED' : 'CODE_USED');
    deps.mailQueued();
    return { maskedEmail: maskEmail(row.new_email) };
  }

  async function cancelEmailChange(accountId: string, actor: string): Promise<{ cancelled: boolean }> {
    refuseAtRefusedCopy();
    const account = await loadAccount(accountId);
    const nowMs = clock.nowMs();
    const cancelled = await db.transaction(async (tx) => {
      const n = await closePendingContactChanges(tx, account.id, 'cancelled');
      if (n > 0) await appendAudit(tx, { actor, action: 'mypage.email-change-cancelled', subject: account.jsa_id }, iso(nowMs));
      return n > 0;
    });
    return { cancelled };
  }

  async function checkItems(account: AccountRow, password: string): Promise<PasswordCheckItem[]> {
    const s = await settings.get();
    return evaluatePassword(password, s.passwordPolicy, { jsaId: account.jsa_id, email: account.email, company: account.company }, isCommonPassword);
  }

  async function checkPassword(accountId: string, password: string): Promise<{ items: PasswordCheckItem[] }> {
    return { items: await checkItems(await loadAccount(accountId), password) };
  }

  /**
   * パスワード変更: the current password first (`withCurrentPassword`). The change itself
   * (policy and history exactly as パスワード登録, then one transaction: password, history,
   * audit, notice mail) runs inside that same step, so a burst of guesses cannot lock the
   * account between the compare and the change and have the new password lift that lock
   * (issue 13, finding 2).
   */
  async function changePassword(
    accountId: string,
    input: { currentPassword: string; password: string; confirm: string; locale: Locale },
    actor: string,
    sessionId: string,
  ): Promise<{ done: true }> {
    refuseAtRefusedCopy();
    const account = await loadAccount(accountId);
    await withCurrentPassword(account, input, actor, (current, nowMs) => setNewPassword(current, input, actor, nowMs));
    // DESIGN §6: after a password change, other sessions end; this window stays logged in.
    deps.endSessions(account.id, sessionId);
    return { done: true };
  }

  async function setNewPassword(account: AccountRow, input: { password: string; confirm: string; locale: Locale }, actor: string, nowMs: number): Promise<void> {
    const s = await settings.get();
    const password = normalizePassword(input.password);
    if (password !== normalizePassword(input.confirm)) {
      throw new AppError('PASSWORD_MISMATCH', { fields: [{ field: 'confirm', code: 'password.mismatch' }] });
    }
    const failed = failedRules(await checkItems(account, password));
    if (failed.length === 0 && (await isRecentPassword(db, hasher, account, password, s.passwordPolicy.historyCount))) failed.push('notRecent');
    if (failed.length > 0) {
      throw new AppError('PASSWORD_POLICY', { fields: failed.map((rule) => ({ field: 'password', code: `policy.${rule}` })) });
    }
    const hash = await hasher.hash(password);
    const params = await greetingParams(account);
    await db.transaction(async (tx) => {
      await setAccountPassword(tx, account.id, hash, iso(nowMs));
      await appendAudit(tx, { actor, action: 'mypage.password-changed', subject: account.jsa_id, detail: { kioskId: deps.kioskId } }, iso(nowMs));
      await queueMail(tx, box, { template: 'password-changed', locale: input.locale, to: account.email, params: { ...params, changedAt: formatMailTime(nowMs, input.locale) } }, nowMs);
    });
    deps.mailQueued();
  }

  return { profile, changeContactName, requestEmailChange, confirmEmailChange, cancelEmailChange, checkPassword, changePassword };
}

export type MypageService = ReturnType<typeof createMypageService>;
