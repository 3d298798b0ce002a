import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../contract/errors';
import type { Locale } from '../contract/fields';
import { forStaff } from '../domain/staff-masking';
import { findAccountById, type AccountRow } from '../store/accounts-repo';
import { foldStaleSearchRows, moreStaleThan, searchAccounts, type SearchField } from '../store/account-search-repo';
import { auditForSubject } from '../store/audit-query-repo';
import { appendAudit } from '../store/audit-repo';
import type { Db } from '../store/database';
import { inquiriesForAccount } from '../store/inquiry-review-repo';
import { liftLocks, type AccountLockRow, type LockKind } from '../store/limits-repo';
import { enqueueMail, type MailRow } from '../store/mail-outbox-repo';
import { transitionRequest, type ResetRequestRow } from '../store/reset-requests-repo';
import { readSyncState } from '../store/sync-state-repo';
import { iso, type Clock } from './clock';
import { cooldownLeft } from './limits-service';
import { contactRevision, revisionOf } from './screen-revision';
import { codeOutOfTime, type ResetService } from './reset-service';
import type { SettingsService } from './settings-service';
import { inquirySummary, refuseAtRefusedCopy } from './inquiry-review-service';

export interface StaffAccountDeps {
  db: Db;
  clock: Clock;
  settings: SettingsService;
  reset: ResetService;
  mailQueued(): void;
  /** Central refuses this installation (a copy, WD002): 送信, 取消 and 解除 here would never reach central. */
  refusedInstallation?(): boolean;
}

import { describeAuditRows } from './audit-service';

async function activeLockKinds(db: Db, accountIds: string[]): Promise<Map<string, LockKind[]>> {
  const map = new Map<string, LockKind[]>();
  if (accountIds.length === 0) return map;
  const rows = (await db('account_locks').whereIn('account_id', accountIds).whereNull('unlocked_at').select('account_id', 'kind')) as Array<{
    account_id: string;
    kind: LockKind;
  }>;
  for (const r of rows) map.set(r.account_id, [...new Set([...(map.get(r.account_id) ?? []), r.kind])]);
  return map;
}

export const accountSummary = (a: AccountRow, locks: LockKind[] = []) => ({
  accountId: a.id,
  maskedJsaId: forStaff('jsaId', a.jsa_id),
  maskedEmail: forStaff('email', a.email),
  contactName: a.contact_name,
  company: a.company,
  department: a.department,
  phone: a.phone,
  locks,
});


/**
 * The active locks of one kind a clerk saw on アカウントの詳細. 停止を解除 from a screen older than
 * a lift and a new lock (the customer failed 10 more times) lifted the new lock unseen.
 */
const lockRevision = (rows: AccountLockRow[], kind: LockKind) =>
  revisionOf(rows.filter((l) => l.kind === kind && !l.unlocked_at).map((l) => [l.id, l.locked_at]).sort());

/** What a request is now: a pending request past its expiry is expired, whatever the row says. */
export function effectiveStatus(row: Pick<ResetRequestRow, 'status' | 'created_at' | 'expires_at' | 'verified_at'>, nowMs: number): string {
  if (row.status === 'pending' && codeOutOfTime(row, nowMs)) return 'expired';
  return row.status;
}

/**
 * 再送 or 取消 on a request that is no longer open: another desk cancelled it, the customer used
 * it, or it ran out. Said as such to the clerk, whose screen is older than the request's state
 * (CODE_EXPIRED read the customer's 「サポートメール依頼からやり直してください」 on the staff screen).
 */
/**
 * A search folds this many stale rows itself before it answers (a few batches at the pull's
 * pace, well under a second); more are a large pull's, folded in the background.
 */
const SEARCH_WAITS_FOR_STALE_ROWS = 5_000;

const requestClosed = () => new AppError('CONFLICT', { params: { reason: 'request-closed' } });

export function createStaffAccountService(deps: StaffAccountDeps) {
  const { db, clock, settings } = deps;

  const foldStale = (): Promise<number> => foldStaleSearchRows(db);

  async function search(input: { query: string; field: SearchField; page: number; pageSize: number }) {
    // Rows written since the last search (a contact change, a small pull) are folded first. A
    // large pull's rows fold in the background at the pull's pace, for minutes at a million
    // rows: the clerk is answered now, told that names may be missing (decisions.md, "A clerk's
    // search does not wait for a large fold").
    const folding = await moreStaleThan(db, SEARCH_WAITS_FOR_STALE_ROWS);
    if (folding) void foldStale().catch(() => undefined);
    else await foldStale();
    const { total, capped, rows } = await searchAccounts(db, input.query, input.field, input.page, input.pageSize);
    const locks = await activeLockKinds(db, rows.map((r) => r.id));
    return { total, capped, incomplete: await incompleteBecause(input.field, folding), page: input.page, pageSize: input.pageSize, items: rows.map((r) => accountSummary(r, locks.get(r.id))) };
  }

  /**
   * Why a search may miss accounts: rows not copied yet (first sync), or keys not folded yet
   * (the first sync's index stage, a large pull's fold) — JSA-ID and address read the accounts'
   * own indexes and miss nothing then.
   */
  async function incompleteBecause(field: SearchField, folding: boolean): Promise<'copying' | 'indexing' | null> {
    const { first_sync: stage } = await readSyncState(db);
    if (stage === 'paging') return 'copying';
    if ((stage === 'indexing' || folding) && field !== 'jsaId' && field !== 'email') return 'indexing';
    return null;
  }

  async function requireAccount(accountId: string): Promise<AccountRow> {
    const account = await findAccountById(db, accountId);
    if (!account) throw new AppError('NOT_FOUND');
    return account;
  }

  async function get(accountId: string) {
    const account = await requireAccount(accountId);
    const nowMs = clock.nowMs();
    const [requests, locks, history, inquiries] = await Promise.all([
      db<ResetRequestRow>('reset_requests').where({ account_id: accountId }).orderBy('id', 'desc').limit(50),
      db<AccountLockRow>('account_locks').where({ account_id: accountId }).orderBy('id', 'desc').limit(50),
      auditForSubject(db, account.jsa_id, 100),
      inquiriesForAccount(db, accountId),
    ]);
    const activeKinds = [...new Set(locks.filter((l) => !l.unlocked_at).map((l) => l.kind))];
    return {
      account: {
        ...accountSummary(account, activeKinds),
        address: account.address,
        hasPassword: account.password_hash !== null,
        passwordChangedAt: account.password_changed_at,
        updatedAt: account.updated_at,
      },
      requests: requests.map((r) => ({
        requestId: r.id,
        channel: r.channel,
        status: r.status,
        effectiveStatus: effectiveStatus(r, nowMs),
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        completedAt: r.completed_at,
        createdBy: r.created_by,
        attempts: r.attempts,
      })),
      locks: locks.map((l) => ({ kind: l.kind, reason: l.reason, lockedAt: l.locked_at, unlockedAt: l.unlocked_at, unlockedBy: l.unlocked_by })),
      history: await describeAuditRows(db, history),
      inquiries: inquiries.map(inquirySummary),
      revision: contactRevision(account),
      lockRevisions: { reset: lockRevision(locks, 'reset'), login: lockRevision(locks, 'login') },
    };
  }

  /** The full JSA-ID and address only after the clerk records which document they saw. */
  async function revealIdentity(actor: string, input: { accountId: string; document: string; note: string }) {
    const account = await requireAccount(input.accountId);
    const nowIso = iso(clock.nowMs());
    await db.transaction((tx) =>
      appendAudit(tx, { actor, action: 'staff.identity-revealed', subject: account.jsa_id, detail: { document: input.document, note: input.note } }, nowIso),
    );
    return { jsaId: account.jsa_id, email: account.email };
  }

  /**
   * DESIGN §2: the code goes to the registered address; staff never see or choose it. The
   * lifetime is the staff setting (up to 24 h), shortened if the clerk asks for less.
   */
  async function sendReset(actor: string, input: { accountId: string; locale: Locale; lifetimeHours?: number; revision?: string }) {
    refuseAtRefusedCopy(deps.refusedInstallation);
    const s = await settings.get();
    const nowMs = clock.nowMs();
    const hours = Math.min(input.lifetimeHours ?? s.staffCodeLifetimeHours, s.staffCodeLifetimeHours);
    const lifetimeMs = hours * 3_600_000;
    // Lock, cooldown and address are read in the transaction that issues: two desks pressing
    // 送信 at once both passed checks made before it, and the customer got a code from each.
    const { requestId, email } = await db.transaction(async (tx) => {
      const account = await findAccountById(tx, input.accountId);
      if (!account) throw new AppError('NOT_FOUND');
      if (input.revision !== undefined && contactRevision(account) !== input.revision) throw new AppError('CONFLICT', { params: { reason: 'account-changed' } });
      const lock = await tx('account_locks').where({ account_id: account.id, kind: 'reset' }).whereNull('unlocked_at').first();
      if (lock) throw new AppError('RESET_LOCKED');
      const last = (await tx<ResetRequestRow>('reset_requests').where({ account_id: account.id }).orderBy('id', 'desc').first()) as ResetRequestRow | undefined;
      const wait = cooldownLeft(last ? Date.parse(last.created_at) : undefined, s.limits.resendCooldownSeconds, nowMs);
      if (wait > 0) throw new AppError('COOLDOWN', { params: { seconds: wait } });
      return { requestId: await deps.reset.issueRequest(tx, account, 'staff', input.locale, lifetimeMs, actor, nowMs), email: account.email };
    });
    deps.mailQueued();
    return { requestId, expiresAt: iso(nowMs + lifetimeMs), maskedEmail: forStaff('email', email) };
  }

  /**
   * The same mail again: a copy of the queued code mail, secrets still sealed, so the code
   * and link the customer may already hold keep working. Cooldown as for a new request.
   */
  async function resend(actor: string, requestId: string) {
    const s = await settings.get();
    const nowMs = clock.nowMs();
    // Status, cooldown and address are read in the transaction that queues: two desks pressing
    // 再送 at once both passed checks made before it (a mail each), and a 再送 beside another
    // desk's 取消 queued a mail whose code the cancel had just ended.
    const email = await db.transaction(async (tx) => {
      const request = await tx<ResetRequestRow>('reset_requests').where({ id: requestId }).first();
      if (!request) throw new AppError('NOT_FOUND');
      if (effectiveStatus(request, nowMs) !== 'pending') throw requestClosed();
      const mails = (await tx<MailRow>('mail_outbox').where({ related_id: request.id }).whereIn('template', ['reset-code', 'reset-code-support']).orderBy('id', 'desc')) as MailRow[];
      const original = mails[mails.length - 1];
      if (!original) throw new AppError('NOT_FOUND');
      const newest = mails[0]!;
      const wait = cooldownLeft(Date.parse(newest.created_at), s.limits.resendCooldownSeconds, nowMs);
      if (wait > 0) throw new AppError('COOLDOWN', { params: { seconds: wait } });
      const account = await findAccountById(tx, request.account_id);
      if (!account) throw new AppError('NOT_FOUND');
      const id = uuidv7();
      // The registered address as it is now, in case it changed since the first mail.
      await enqueueMail(
        tx,
        { id, template: original.template, locale: original.locale, to_address: account.email, params_json: original.params_json, secret_params: original.secret_params, related_id: request.id },
        nowMs,
      );
      await appendAudit(tx, { actor, action: 'reset.resent', subject: account.jsa_id, detail: { requestId: request.id, mailId: id } }, iso(nowMs));
      return account.email;
    });
    deps.mailQueued();
    return { requestId, maskedEmail: forStaff('email', email) };
  }

  async function cancel(actor: string, requestId: string) {
    refuseAtRefusedCopy(deps.refusedInstallation);
    const nowMs = clock.nowMs();
    const request = await db<ResetRequestRow>('reset_requests').where({ id: requestId }).first();
    if (!request) throw new AppError('NOT_FOUND');
    const account = await requireAccount(request.account_id);
    const done = await db.transaction(async (tx) => {
      for (const from of ['pending', 'verified'] as const) {
        if (await transitionRequest(tx, request.id, from, { status: 'cancelled' })) {
          await appendAudit(tx, { actor, action: 'reset.cancelled', subject: account.jsa_id, detail: { requestId: request.id, from } }, iso(nowMs));
          return true;
        }
      }
      return false;
    });
    if (!done) throw requestClosed();
    return { cancelled: true as const };
  }

  /** Unlock a reset path (10 wrong codes a day) or a customer login (10 wrong passwords). */
  async function liftLock(actor: string, input: { accountId: string; kind: LockKind; reason: string; revision?: string }) {
    refuseAtRefusedCopy(deps.refusedInstallation);
    const account = await requireAccount(input.accountId);
    const nowMs = clock.nowMs();
    const lifted = await db.transaction(async (tx) => {
      const active = await tx<AccountLockRow>('account_locks').where({ account_id: account.id, kind: input.kind }).whereNull('unlocked_at');
      // Nothing to lift says so below (lifted 0); a lock the screen did not show is not lifted.
      if (active.length > 0 && input.revision !== undefined && lockRevision(active, input.kind) !== input.revision) {
        throw new AppError('CONFLICT', { params: { reason: 'lock-changed' } });
      }
      // The failures that led to the lock no longer count from here (failureWindowStart), at
      // any kiosk, or the next one would lock again.
      const n = await liftLocks(tx, account.id, input.kind, actor, iso(nowMs));
      // Two desks pressing 解除 at once: the second lifted nothing and records nothing.
      if (n === 0) return 0;
      await appendAudit(tx, { actor, action: `${input.kind}.unlocked`, subject: account.jsa_id, detail: { lifted: n, reason: input.reason } }, iso(nowMs));
      return n;
    });
    return { lifted };
  }

  return { foldStale, search, get, revealIdentity, sendReset, resend, cancel, liftLock, requireAccount };
}

export type StaffAccountService = ReturnType<typeof createStaffAccountService>;
