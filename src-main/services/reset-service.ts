import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../contract/errors';
import type { Locale } from '../contract/fields';
import { isCommonPassword } from '../domain/common-passwords';
import { normalizeEmail } from '../domain/email';
import { maskJsaId, parseJsaId } from '../domain/jsa-id';
import { evaluatePassword, failedRules, normalizePassword, type PasswordCheckItem } from '../domain/password-policy';
import { isWellFormedCode, normalizeCode } from '../domain/reset-code';
import type { Limits, PasswordPolicy } from '../domain/runtime-settings';
import { findAccountById, findAccountByJsaId, findAccountsByEmail, setAccountPassword, type AccountRow } from '../store/accounts-repo';
import { appendAudit } from '../store/audit-repo';
import type { Db, Queryable } from '../store/database';
import { activeLock, addLockIf, countEventsSince, recordEvent } from '../store/limits-repo';
import {
  findRequestByGrantHmac,
  findRequestByTokenHmac,
  incrementAttempts,
  insertResetRequest,
  latestRequestsFor,
  openRequestKeyIds,
  supersedeOpenRequests,
  transitionRequest,
  voidPendingIf,
  type ResetChannel,
  type ResetRequestRow,
} from '../store/reset-requests-repo';
import { iso, stampedAhead, type Clock } from './clock';
import { CLOCK_SKEW_MS } from '../contract/clock-skew';
import { admitResetRequest, buckets, failureWindowStart, personalRequestBuckets, recordDailyFailure, recordResetRequest, type RequestKeys } from './limits-service';
import { queueMail } from './mail/mail-outbox';
import { formatMailTime } from './mail/mail-time';
import type { PasswordHasher } from './password-hasher';
import { isRecentPassword } from './password-history';
import type { CodeKeys } from './code-keys';
import type { ClaimCode, CodeClaimAnswer } from './sync/code-claims';
import type { ClaimRequest } from './sync/request-claims';
import { applyClaimedRequest, applyClaimedRows } from '../store/sync-apply';
import { hmacEquals, randomCode, randomToken, type SecretBox } from './secret-box';
import { secretSubjects, type SecretCheck, type SubjectState } from './secret-check';
import type { SettingsService } from './settings-service';

/** What a reset code's serialised step reads: the requests it may be for, and which are still open. */
interface ResetCodeState extends SubjectState {
  rows: ResetRequestRow[];
  open: ResetRequestRow[];
  nowMs: number;
}

/** After 「確認」 the customer has this long on パスワード登録 (the code itself is spent). */
export const GRANT_LIFETIME_MS = 15 * 60_000;

export interface ResetServiceDeps {
  db: Db;
  /** The one rule for checking a secret (secret-check.ts). */
  secretCheck: SecretCheck;
  clock: Clock;
  /** The counter's own box: seals the code mail in the outbox (never leaves this counter). */
  box: SecretBox;
  /** The code keys: every code, token and grant HMAC is made and checked under the key its row names. */
  keys: CodeKeys;
  hasher: PasswordHasher;
  settings: SettingsService;
  kioskId: string;
  /** Link in the mail: jsa-webdesk://reset/<token> in the app, <public url>/reset/<token> in web mode. */
  /** The mail's link; in the mail's language, so the page it opens speaks it too. */
  resetLink(token: string, locale: Locale): string;
  /** Called after a commit that queued mail, so delivery starts at once. */
  mailQueued(): void;
  /** Ends the account's other sessions after its password changed. */
  passwordChanged(accountId: string): void;
  /**
   * With a central database: a code typed here is decided at central before the answer (the
   * sync engine's claimCode; docs/decisions.md "An online counter claims a code at central").
   */
  claimCode?: ClaimCode;
  /**
   * With a central database: a request's caps are passed at central before the answer (the sync
   * engine's claimRequest; docs/decisions.md "An online counter claims a request's caps at central").
   */
  claimRequest?: ClaimRequest;
  /** Central refuses this installation (a copy, WD002): no code is checked and no request made here. */
  refusedInstallation?(): boolean;
}

export interface RequestInput {
  jsaId?: string;
  email: string;
  locale: Locale;
}

export interface Verified {
  grant: string;
  expiresAt: string;
  maskedJsaId: string;
  policy: PasswordPolicy;
}

const codeHmacInput = (requestId: string, code: string) => `${requestId}:${code}`;

/** How far a kiosk 「確認」 got: the serialised step read its state; a wrong code was counted; central was asked. */
interface CodeProgress {
  stepRead: boolean;
  counted: boolean;
  claimed: boolean;
}

type Claimed = Exclude<CodeClaimAnswer, { outcome: 'refused' } | { outcome: 'unknown' }>;

/** What a code refusal can say about the request behind it: only by link token (verifyCode). */
const TELLING_REFUSALS: ReadonlySet<string> = new Set(['CODE_INVALID', 'CODE_USED', 'CODE_EXPIRED', 'REQUEST_VOIDED', 'RESET_LOCKED']);

/** A code past its expiry, or issued later than now (the clock stepped back since; services/clock.ts). */
export function codeOutOfTime(row: Pick<ResetRequestRow, 'created_at' | 'expires_at'>, nowMs: number): boolean {
  return Date.parse(row.expires_at) <= nowMs || stampedAhead(row.created_at, nowMs);
}

export function createResetService(deps: ResetServiceDeps) {
  const { db, clock, box, keys, settings } = deps;

  /** The keys here disagree with the deployment's: the customer is sent to staff, nothing is written. */
  function refuseOnKeyMismatch(): void {
    if (keys.refusesCodes()) throw new AppError('ASK_STAFF');
    // A copy central refuses: a password set here would never leave this counter, and a code
    // voided or used elsewhere could still open パスワード登録 here (decisions.md, the refused copy).
    if (deps.refusedInstallation?.()) throw new AppError('ASK_STAFF');
  }

  /**
   * The request caps passed at central (central 0021): the events central counted, to be written
   * here as pulled rows, or undefined where this counter decides alone (standalone, or central
   * out of reach: the offline window). Asked alike for a made-up JSA-ID or address, so the round
   * trip tells nothing. A refusal there is answered as the local check answers it.
   */
  async function claimCapsAtCentral(capKeys: RequestKeys, limits: Limits, nowMs: number): Promise<Array<Record<string, unknown>> | undefined> {
    if (!deps.claimRequest) return undefined;
    const answer = await deps.claimRequest({
      buckets: personalRequestBuckets(capKeys, limits).map(([bucket, cap]) => ({ bucket, cap, key: `request:${uuidv7()}` })),
      atMs: nowMs,
      cooldownSeconds: limits.resendCooldownSeconds,
      skewMs: CLOCK_SKEW_MS,
    });
    if (answer === undefined) return undefined;
    if (answer.outcome === 'refused') throw new AppError('ASK_STAFF');
    if (answer.outcome === 'cooldown') throw new AppError('COOLDOWN', { params: { seconds: answer.seconds } });
    if (answer.outcome === 'limited') throw new AppError('RATE_LIMITED');
    return answer.events;
  }

  /**
   * Central's decision on a code (central 0018), or undefined where this counter decides alone:
   * standalone, central out of reach (the offline window), or a request central does not have.
   */
  async function claimAtCentral(row: ResetRequestRow, use: { grantHmac: string; verifiedAt: string } | undefined, progress?: CodeProgress): Promise<Claimed | undefined> {
    if (!deps.claimCode) return undefined;
    const s = await settings.get();
    if (progress) progress.claimed = true;
    const answer = await deps.claimCode({ requestId: row.id, use: use !== undefined, ...use, maxAttempts: s.limits.maxCodeAttempts, maxPerDay: s.limits.maxFailuresPerDay });
    if (answer?.outcome === 'refused') throw new AppError('ASK_STAFF');
    return answer === undefined || answer.outcome === 'unknown' ? undefined : answer;
  }

  /** The box a row was made under; a key this counter lacks sends the customer to staff (code-keys.ts). */
  function boxOf(row: ResetRequestRow): SecretBox {
    const rowBox = keys.forId(row.key_id);
    if (rowBox) return rowBox;
    keys.reportUnknown(row.key_id ?? 'none');
    throw new AppError('ASK_STAFF');
  }

  /** A link that matches no row while an open request names a key this counter lacks: said loudly, not "wrong link". */
  async function openRequestUnderUnknownKey(): Promise<boolean> {
    const missing = (await openRequestKeyIds(db, iso(clock.nowMs()))).filter((id) => !keys.forId(id));
    for (const id of missing) keys.reportUnknown(id ?? 'none');
    return missing.length > 0;
  }

  /** The row a link token or grant names, looked up under every key this counter holds. */
  async function findByHmac(purpose: 'token' | 'grant', value: string): Promise<ResetRequestRow | undefined> {
    for (const key of keys.all()) {
      const row = await (purpose === 'token' ? findRequestByTokenHmac : findRequestByGrantHmac)(db, key.box.hmac(purpose, value));
      if (row && (row.key_id ?? keys.localKeyId) === key.id) return row;
    }
    return undefined;
  }

  /** Creates the request, voids older ones, queues the code mail: all in the caller's transaction. */
  async function issueRequest(
    tx: Queryable,
    account: AccountRow,
    channel: ResetChannel,
    locale: Locale,
    lifetimeMs: number,
    actor: string,
    nowMs: number,
  ): Promise<string> {
    refuseOnKeyMismatch();
    const s = await settings.get();
    const id = uuidv7();
    const code = randomCode();
    const token = randomToken();
    const key = keys.current();
    await supersedeOpenRequests(tx, account.id);
    await insertResetRequest(tx, {
      id,
      account_id: account.id,
      channel,
      code_hmac: key.box.hmac('code', codeHmacInput(id, code)),
      token_hmac: key.box.hmac('token', token),
      grant_hmac: null,
      key_id: key.id,
      status: 'pending',
      attempts: 0,
      locale,
      kiosk_id: deps.kioskId,
      created_by: actor.startsWith('staff:') ? actor : null,
      created_at: iso(nowMs),
      expires_at: iso(nowMs + lifetimeMs),
      verified_at: null,
      completed_at: null,
    });
    await queueMail(
      tx,
      box,
      {
        template: channel === 'email_only' ? 'reset-code-support' : 'reset-code',
        locale,
        to: account.email,
        params: {
          contactName: account.contact_name || undefined,
          maskedJsaId: maskJsaId(account.jsa_id),
          jsaId: channel === 'email_only' ? account.jsa_id : undefined,
          lifetimeMinutes: Math.round(lifetimeMs / 60_000),
          supportEmail: s.supportEmail,
        },
        secrets: { code, url: deps.resetLink(token, locale) },
        relatedId: id,
      },
      nowMs,
    );
    await appendAudit(tx, { actor, action: 'reset.requested', subject: account.jsa_id, detail: { requestId: id, channel, kioskId: deps.kioskId } }, iso(nowMs));
    return id;
  }

  /**
   * 「サポートメール依頼」. Match and no match give the same answer after the same work (one
   * transaction, one audit entry, mail only through the outbox), so the answer tells an
   * onlooker nothing about which accounts exist (DESIGN §6).
   */
  async function request(input: RequestInput, actor: string): Promise<{ status: 'accepted' }> {
    refuseOnKeyMismatch();
    const s = await settings.get();
    const nowMs = clock.nowMs();
    const capKeys = { jsaId: input.jsaId, email: input.email, kioskId: deps.kioskId };
    await admitResetRequest(db, capKeys, s.limits, nowMs);

    const candidates = input.jsaId
      ? [await findAccountByJsaId(db, input.jsaId)].filter((a): a is AccountRow => a !== undefined && a.email_norm === input.email)
      : await findAccountsByEmail(db, input.email);
    const several = !input.jsaId && candidates.length > 1;
    if (several && !s.uniformResponses) throw new AppError('EMAIL_ON_SEVERAL_IDS');

    // Online, central passes the caps that travel, so counters answering at once cannot each pass them.
    const claimed = await claimCapsAtCentral(capKeys, s.limits, nowMs);
    let queued = false;
    await db.transaction(async (tx) => {
      // Again inside the transaction: SQLite has one writer, so check-and-record is atomic and
      // simultaneous requests cannot all pass the check above before any of them is recorded.
      await admitResetRequest(tx, capKeys, s.limits, nowMs, { personal: !claimed });
      if (claimed) await applyClaimedRows(tx, 'limit_events', claimed);
      await recordResetRequest(tx, capKeys, nowMs, { personal: !claimed });
      const account = candidates.length === 1 ? candidates[0] : undefined;
      if (account && (await activeLock(tx, account.id, 'reset'))) {
        await queueMail(tx, box, { template: 'reset-locked', locale: input.locale, to: account.email, params: { contactName: account.contact_name || undefined, maskedJsaId: maskJsaId(account.jsa_id), supportEmail: s.supportEmail } }, nowMs);
        await appendAudit(tx, { actor, action: 'reset.refused-locked', subject: account.jsa_id, detail: { kioskId: deps.kioskId } }, iso(nowMs));
        queued = true;
      } else if (account) {
        await issueRequest(tx, account, input.jsaId ? 'jsa_id' : 'email_only', input.locale, s.codeLifetimeMinutes * 60_000, actor, nowMs);
        queued = true;
      } else if (several) {
        await queueMail(tx, box, { template: 'reset-several-ids', locale: input.locale, to: input.email, params: { supportEmail: s.supportEmail } }, nowMs);
        await appendAudit(tx, { actor, action: 'reset.several-ids', detail: { kioskId: deps.kioskId } }, iso(nowMs));
        queued = true;
      } else {
        // Same shape of work as a match: derive the secrets we would have stored.
        keys.current().box.hmac('code', codeHmacInput(uuidv7(), randomCode()));
        keys.current().box.hmac('token', randomToken());
        await appendAudit(tx, { actor, action: 'reset.no-match', detail: { channel: input.jsaId ? 'jsa_id' : 'email_only', kioskId: deps.kioskId } }, iso(nowMs));
      }
    });
    if (queued) deps.mailQueued();
    return { status: 'accepted' };
  }

  /** What was typed at the kiosk instead of the link: an address or a JSA-ID, normalised. */
  function typedIdentifier(identifier: string | undefined): { email: string } | { jsaId: string } {
    const typed = (identifier ?? '').trim();
    if (typed.includes('@') || typed.includes('＠')) return { email: normalizeEmail(typed) };
    const parsed = parseJsaId(typed);
    if (!parsed.ok) {
      throw new AppError('INVALID_INPUT', {
        fields: [{ field: 'identifier', code: `jsaId.${parsed.reason}`, ...(parsed.reason === 'length' ? { params: { digits: parsed.digits } } : {}) }],
      });
    }
    return { jsaId: parsed.value };
  }

  /** Finds the request a code is meant for: by link token, or by JSA-ID / email at a kiosk. */
  async function locateRequests(input: { token?: string; identifier?: string }): Promise<ResetRequestRow[]> {
    if (input.token) {
      const row = await findByHmac('token', input.token);
      if (!row && (await openRequestUnderUnknownKey())) throw new AppError('ASK_STAFF');
      return row ? [row] : [];
    }
    const typed = typedIdentifier(input.identifier);
    let accounts: AccountRow[];
    if ('email' in typed) {
      accounts = await findAccountsByEmail(db, typed.email);
    } else {
      const account = await findAccountByJsaId(db, typed.jsaId);
      accounts = account ? [account] : [];
    }
    // An identifier on no account reads the requests as one without a request does (the time
    // of the answer must not tell the two apart); no request has an id that is not a uuid.
    return latestRequestsFor(db, accounts.length > 0 ? accounts.map((a) => a.id) : ['email' in typed ? typed.email : typed.jsaId]);
  }

  /**
   * A code typed at the kiosk that no request could take (no account, no request, or one void,
   * spent, expired or paused). It writes what a wrong code on a live request writes (the code's
   * HMAC, one transaction with a failure event and its count, one audit entry): answering from
   * reads alone, it came back in 2 ms against 6 ms, which told a stranger that the JSA-ID or
   * address had a reset under way, and so, after their own 「サポートメール依頼」, whether the
   * pair they typed was registered. The JSA-ID is the audit subject (as login.unknown-id); an
   * address is not written to the chain, which cannot forget it.
   */
  async function recordUnmatchedCode(identifier: string | undefined, actor: string, progress: CodeProgress): Promise<void> {
    const typed = typedIdentifier(identifier);
    const stepRead = progress.stepRead;
    await settings.get();
    // Online, a live request's wrong code asks central first: so does this one (a request id
    // central cannot have), or the round trip would tell a live request from none.
    if (!progress.claimed) await claimAtCentral({ id: uuidv7() } as ResetRequestRow, undefined);
    const nowMs = clock.nowMs();
    keys.current().box.hmac('code', codeHmacInput(uuidv7(), randomCode()));
    const key = 'email' in typed ? typed.email : typed.jsaId;
    const bucket = buckets.codeFailureOfTyped(key);
    // The serialised step's reads (unless it ran and refused) and recordWrongCode's reads and
    // writes, against what was typed: they find no request, lift, lock or account, and change
    // nothing but the event and the audit entry (enumeration.test.ts counts the statements).
    if (!stepRead) {
      await latestRequestsFor(db, [key]);
      await activeLock(db, key, 'reset');
    }
    await db.transaction(async (tx) => {
      await incrementAttempts(tx, key);
      await recordEvent(tx, bucket, nowMs);
      await countEventsSince(tx, bucket, await failureWindowStart(tx, 'reset', key, nowMs));
      await findAccountById(tx, key);
      await activeLock(tx, key, 'reset');
      await voidPendingIf(tx, key, false);
      await addLockIf(tx, false, key, 'reset', 'too-many-code-failures', iso(nowMs));
      const subject = 'jsaId' in typed ? typed.jsaId : null;
      await appendAudit(tx, { actor, action: 'reset.code-unmatched', subject, detail: { channel: 'email' in typed ? 'email_only' : 'jsa_id', kioskId: deps.kioskId } }, iso(nowMs));
    });
  }

  function refuseClosed(row: ResetRequestRow, nowMs: number): never | void {
    switch (row.status) {
      case 'used':
      case 'verified':
        throw new AppError('CODE_USED');
      case 'voided':
        throw new AppError('REQUEST_VOIDED');
      case 'expired':
      case 'superseded':
      case 'cancelled':
        throw new AppError('CODE_EXPIRED');
      case 'pending':
        if (codeOutOfTime(row, nowMs)) throw new AppError('CODE_EXPIRED');
    }
  }

  /**
   * A wrong code: count it on the request (5 void it) and on the account's day (10 lock it).
   * Every wrong code sends the store the same statements, whatever it decides: the lock read,
   * the void and the lock as statements that change nothing below the caps, and one audit entry
   * that names the outcome (the fifth is `reset.voided`, the day's tenth `reset.locked`, each
   * with the attempt it was). The fifth used to write the void and a second entry on top, a
   * time difference that told a stranger the request was now void (enumeration.test.ts counts).
   */
  async function recordWrongCode(row: ResetRequestRow, actor: string, nowMs: number, progress?: CodeProgress): Promise<never> {
    const s = await settings.get();
    const claimed = await claimAtCentral(row, undefined, progress);
    if (claimed) return recordClaimedWrongCode(row, claimed, actor, nowMs, progress);
    if (progress) progress.counted = true;
    const outcome = await db.transaction(async (tx) => {
      const attempts = await incrementAttempts(tx, row.id);
      const today = await recordDailyFailure(tx, 'reset', row.account_id, nowMs);
      const account = await findAccountById(tx, row.account_id);
      const subject = account?.jsa_id ?? null;
      const locked = await activeLock(tx, row.account_id, 'reset');
      const lockNow = today >= s.limits.maxFailuresPerDay && !locked;
      const voidNow = lockNow || attempts >= s.limits.maxCodeAttempts;
      await voidPendingIf(tx, row.id, voidNow);
      await addLockIf(tx, lockNow, row.account_id, 'reset', 'too-many-code-failures', iso(nowMs));
      const detail = { requestId: row.id, attempts };
      if (lockNow) {
        await appendAudit(tx, { actor: 'system', action: 'reset.locked', subject, detail: { ...detail, failuresToday: today } }, iso(nowMs));
        return 'locked' as const;
      }
      if (voidNow) {
        await appendAudit(tx, { actor: 'system', action: 'reset.voided', subject, detail }, iso(nowMs));
        return 'voided' as const;
      }
      await appendAudit(tx, { actor, action: 'reset.code-wrong', subject, detail }, iso(nowMs));
      return s.limits.maxCodeAttempts - attempts;
    });
    if (outcome === 'locked') throw new AppError('RESET_LOCKED');
    if (outcome === 'voided') throw new AppError('REQUEST_VOIDED');
    throw new AppError('CODE_INVALID', { params: { remaining: outcome } });
  }

  /**
   * 「確認」: spends the code (single use, atomically) and hands out a short-lived grant. Through
   * the one rule of secret-check.ts, per account the code may belong to: the requests are read
   * again inside the serialised step, a void, spent, expired or locked request is answered
   * without comparing, and a wrong code is counted before the next attempt starts, so a burst
   * gets at most 5 compares per request and 10 per account per day, and none after.
   */
  /**
   * By the mail's link token, a refusal says why (used, expired, voided, tries left): the token
   * proves the person holds the mail. Typed at the kiosk with a JSA-ID or an address, it says
   * only 「正しくありません」: anything more told a stranger whether the account exists and has a
   * reset under way (the contract's promise: no call reveals whether an account exists).
   */
  async function verifyCode(input: { token?: string; identifier?: string; code: string }, actor: string): Promise<Verified> {
    if (input.token) return verifyCodeFor(input, actor);
    const progress: CodeProgress = { stepRead: false, counted: false, claimed: false };
    try {
      return await verifyCodeFor(input, actor, progress);
    } catch (error) {
      if (error instanceof AppError && TELLING_REFUSALS.has(error.code)) {
        // A refusal that wrote nothing writes now, as a wrong code on a live request did.
        if (!progress.counted) await recordUnmatchedCode(input.identifier, actor, progress);
        // `via` is the same for every refusal on this path: the screen says what else it may mean.
        throw new AppError('CODE_INVALID', { params: { via: 'identifier' } });
      }
      throw error;
    }
  }

  async function verifyCodeFor(input: { token?: string; identifier?: string; code: string }, actor: string, progress?: CodeProgress): Promise<Verified> {
    refuseOnKeyMismatch();
    const s = await settings.get();
    const code = normalizeCode(input.code);
    const located = await locateRequests(input);
    if (located.length === 0) throw new AppError('CODE_INVALID');
    const accountIds = [...new Set(located.map((row) => row.account_id))];
    return deps.secretCheck.check<ResetCodeState, ResetRequestRow, Verified>({
      subjects: accountIds.map(secretSubjects.resetCode),
      async state() {
        if (progress) progress.stepRead = true;
        const nowMs = clock.nowMs();
        const rows = input.token ? await locateRequests({ token: input.token }) : await latestRequestsFor(db, accountIds);
        const open: ResetRequestRow[] = [];
        for (const row of rows) {
          const live = row.status === 'pending' && !codeOutOfTime(row, nowMs) && row.attempts < s.limits.maxCodeAttempts;
          if (live && !(await activeLock(db, row.account_id, 'reset'))) open.push(row);
        }
        return { rows, open, nowMs, failures: open[0]?.attempts ?? 0, locked: open.length === 0 };
      },
      async refuse({ rows, nowMs }) {
        const target = rows.find((row) => row.status === 'pending') ?? rows[0];
        if (!target) throw new AppError('CODE_INVALID');
        if (await activeLock(db, target.account_id, 'reset')) throw new AppError('RESET_LOCKED');
        refuseClosed(target, nowMs);
        // Pending and in time, yet at the cap: its attempts were added up elsewhere (sync) or the cap was lowered.
        throw new AppError('REQUEST_VOIDED');
      },
      // Several IDs on one email may each have a request: the code says which one is meant.
      compare: async ({ open }) => {
        if (!isWellFormedCode(code)) return undefined;
        const match = open.find((row) => keys.forId(row.key_id) && hmacEquals(row.code_hmac, boxOf(row).hmac('code', codeHmacInput(row.id, code))));
        // An open request this counter cannot check is not the customer's typing mistake:
        // boxOf throws ASK_STAFF before anything is counted.
        if (!match && open[0]) boxOf(open[0]);
        return match;
      },
      failed: ({ open, nowMs }) => recordWrongCode(open[0]!, actor, nowMs, progress),
      succeeded: ({ nowMs }, target) => grantFor(target, actor, nowMs, s.passwordPolicy, progress),
    });
  }

  /**
   * A wrong code central has counted (or refused to count, past a cap): central's row replaces
   * the replica's without travelling back, the day's failure is kept here too (for the offline
   * window), and the audit entry names the outcome as the local path does.
   */
  async function recordClaimedWrongCode(row: ResetRequestRow, claimed: Claimed, actor: string, nowMs: number, progress?: CodeProgress): Promise<never> {
    if (claimed.outcome !== 'counted' && claimed.outcome !== 'locked-now') return refuseClaimed(claimed, nowMs, progress);
    if (progress) progress.counted = true;
    const s = await settings.get();
    const central = claimed.row;
    const outcome = await db.transaction(async (tx) => {
      await applyClaimedRequest(tx, central as unknown as Record<string, unknown>);
      await recordDailyFailure(tx, 'reset', row.account_id, nowMs);
      const account = await findAccountById(tx, row.account_id);
      const subject = account?.jsa_id ?? null;
      const detail = { requestId: row.id, attempts: central.attempts };
      if (claimed.outcome === 'locked-now') {
        await appendAudit(tx, { actor: 'system', action: 'reset.locked', subject, detail: { ...detail, failuresToday: claimed.failuresToday } }, iso(nowMs));
        return 'locked' as const;
      }
      if (central.status === 'voided') {
        await appendAudit(tx, { actor: 'system', action: 'reset.voided', subject, detail }, iso(nowMs));
        return 'voided' as const;
      }
      await appendAudit(tx, { actor, action: 'reset.code-wrong', subject, detail }, iso(nowMs));
      return Math.max(0, s.limits.maxCodeAttempts - central.attempts);
    });
    if (outcome === 'locked') throw new AppError('RESET_LOCKED');
    if (outcome === 'voided') throw new AppError('REQUEST_VOIDED');
    throw new AppError('CODE_INVALID', { params: { remaining: outcome } });
  }

  /** Central changed nothing (locked, spent, void or at its cap): its row is kept here and answered. */
  async function refuseClaimed(claimed: Claimed, nowMs: number, progress?: CodeProgress): Promise<never> {
    // Nothing was counted: the kiosk path writes what a code on no request writes (verifyCode).
    if (progress) progress.counted = false;
    await db.transaction((tx) => applyClaimedRequest(tx, claimed.row as unknown as Record<string, unknown>));
    if (claimed.outcome === 'locked') throw new AppError('RESET_LOCKED');
    refuseClosed(claimed.row, nowMs);
    throw new AppError('REQUEST_VOIDED');
  }

  async function grantFor(target: ResetRequestRow, actor: string, nowMs: number, policy: PasswordPolicy, progress?: CodeProgress): Promise<Verified> {
    const grant = randomToken();
    const account = await findAccountById(db, target.account_id);
    if (!account) throw new AppError('CODE_INVALID');
    const spent = { grantHmac: boxOf(target).hmac('grant', grant), verifiedAt: iso(nowMs) };
    const claimed = await claimAtCentral(target, spent, progress);
    // Spent or closed elsewhere first: the answer is central's, and this replica learns it now.
    if (claimed && claimed.outcome !== 'used') return refuseClaimed(claimed, nowMs, progress);
    const won = await db.transaction(async (tx) => {
      // Captured as before: central already holds this very state, so the push changes nothing there.
      const ok = await transitionRequest(tx, target.id, 'pending', { status: 'verified', grant_hmac: spent.grantHmac, verified_at: spent.verifiedAt });
      if (ok) await appendAudit(tx, { actor, action: 'reset.code-verified', subject: account.jsa_id, detail: { requestId: target.id } }, iso(nowMs));
      return ok;
    });
    if (!won) throw new AppError('CODE_USED');
    return { grant, expiresAt: iso(nowMs + GRANT_LIFETIME_MS), maskedJsaId: maskJsaId(account.jsa_id), policy };
  }

  async function loadGrant(grant: string): Promise<{ row: ResetRequestRow; account: AccountRow }> {
    const row = await findByHmac('grant', grant);
    if (!row || row.status !== 'verified' || !row.verified_at) throw new AppError('GRANT_INVALID');
    const nowMs = clock.nowMs();
    if (Date.parse(row.verified_at) + GRANT_LIFETIME_MS <= nowMs || stampedAhead(row.verified_at, nowMs)) throw new AppError('CODE_EXPIRED');
    const account = await findAccountById(db, row.account_id);
    if (!account) throw new AppError('GRANT_INVALID');
    return { row, account };
  }

  /** パスワード登録 again for a grant this process handed out: what 「確認」 answered, while the grant lives. */
  async function resumeGrant(grant: string): Promise<{ verified: Verified; locale: Locale }> {
    const { row, account } = await loadGrant(grant);
    const s = await settings.get();
    const verified = { grant, expiresAt: iso(Date.parse(row.verified_at!) + GRANT_LIFETIME_MS), maskedJsaId: maskJsaId(account.jsa_id), policy: s.passwordPolicy };
    return { verified, locale: row.locale === 'en' ? 'en' : 'ja' };
  }

  async function checkItems(account: AccountRow, password: string): Promise<PasswordCheckItem[]> {
    const s = await settings.get();
    return evaluatePassword(password, s.passwordPolicy, { jsaId: account.jsa_id, email: account.email, company: account.company }, isCommonPassword);
  }

  async function checkPassword(input: { grant: string; password: string }): Promise<{ items: PasswordCheckItem[] }> {
    const { account } = await loadGrant(input.grant);
    return { items: await checkItems(account, input.password) };
  }

  /** パスワード登録: policy, history, then the one atomic step that spends the grant. */
  async function complete(input: { grant: string; password: string; confirm: string }, actor: string): Promise<{ done: true; maskedJsaId: string }> {
    const s = await settings.get();
    const { row, account } = await loadGrant(input.grant);
    const password = normalizePassword(input.password);
    if (password !== normalizePassword(input.confirm)) {
      throw new AppError('PASSWORD_MISMATCH', { fields: [{ field: 'confirm', code: 'password.mismatch' }] });
    }
    const failed = failedRules(await checkItems(account, password));
    if (failed.length === 0 && (await isRecentPassword(db, deps.hasher, account, password, s.passwordPolicy.historyCount))) failed.push('notRecent');
    if (failed.length > 0) {
      throw new AppError('PASSWORD_POLICY', { fields: failed.map((rule) => ({ field: 'password', code: `policy.${rule}` })) });
    }
    const hash = await deps.hasher.hash(password);
    const nowMs = clock.nowMs();
    const locale: Locale = row.locale === 'en' ? 'en' : 'ja';
    const won = await db.transaction(async (tx) => {
      if (!(await transitionRequest(tx, row.id, 'verified', { status: 'used', completed_at: iso(nowMs) }))) return false;
      await setAccountPassword(tx, account.id, hash, iso(nowMs));
      await appendAudit(tx, { actor, action: 'reset.completed', subject: account.jsa_id, detail: { requestId: row.id } }, iso(nowMs));
      await queueMail(
        tx,
        box,
        {
          template: 'password-changed',
          locale,
          to: account.email,
          params: { contactName: account.contact_name || undefined, maskedJsaId: maskJsaId(account.jsa_id), supportEmail: s.supportEmail, changedAt: formatMailTime(nowMs, locale) },
          relatedId: row.id,
        },
        nowMs,
      );
      return true;
    });
    if (!won) throw new AppError('GRANT_INVALID');
    deps.mailQueued();
    deps.passwordChanged(account.id);
    return { done: true, maskedJsaId: maskJsaId(account.jsa_id) };
  }

  return { request, verifyCode, resumeGrant, checkPassword, complete, issueRequest };
}

export type ResetService = ReturnType<typeof createResetService>;
