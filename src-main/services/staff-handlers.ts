import { AppError } from '../contract/errors';
import type { StaffCallName } from '../contract/staff-calls';
import { stopFoldingSearchRows } from '../store/account-search-repo';
import { appendAudit, type VerifyAuditOptions } from '../store/audit-repo';
import type { Db } from '../store/database';
import { createAuditService } from './audit-service';
import type { CallContext, Handlers } from './call-context';
import { iso, type Clock } from './clock';
import { createDashboardService } from './dashboard-service';
import { createInquiryReviewService } from './inquiry-review-service';
import type { PasswordHasher } from './password-hasher';
import type { ResetService } from './reset-service';
import type { SecretBox } from './secret-box';
import type { SessionRegistry } from './sessions';
import { createStaffSessionsService } from './staff-sessions-service';
import type { SettingsService } from './settings-service';
import { accountSummary, createStaffAccountService } from './staff-account-service';
import { createStaffAuthService, staffView } from './staff-auth-service';
import { createStaffOutboxService } from './staff-outbox-service';
import type { SecretCheck } from './secret-check';

export interface StaffDeps {
  db: Db;
  clock: Clock;
  box: SecretBox;
  hasher: PasswordHasher;
  settings: SettingsService;
  sessions: SessionRegistry;
  reset: ResetService;
  kioskId: string;
  mailQueued(): void;
  /** A person asked for a mail to go now (retry, resend): also lifts the outbox's hold on a failing peer. */
  mailRetryNow(): void;
  /** The one rule for checking a secret, shared with the customer calls (secret-check.ts). */
  secretCheck: SecretCheck;
  /** Vouches for a retention purge marker, so a purged log still verifies. */
  auditMarkerValid?: VerifyAuditOptions['markerValid'];
}

export type StaffHandlers = Pick<Handlers, StaffCallName>;

/** Every staff service, wired once by create-app; the handlers only say who calls what. */
export function createStaffModule(deps: StaffDeps) {
  const { db, clock, settings, sessions } = deps;
  const auth = createStaffAuthService(deps);
  const accounts = createStaffAccountService(deps);
  const inquiries = createInquiryReviewService(deps);
  const outbox = createStaffOutboxService({ db, box: deps.box, clock, kick: deps.mailRetryNow });
  const audit = createAuditService(db, { markerValid: deps.auditMarkerValid });
  const dashboard = createDashboardService({ db, clock });
  const userSessions = createStaffSessionsService({ db, clock, settings, sessions });

  const me = async (ctx: CallContext) => {
    const s = await settings.get();
    const row = await auth.requireStaff(staffId(ctx));
    return { ...staffView(row), sessionMinutes: s.staffSessionMinutes, minPasswordLength: s.passwordPolicy.minLength };
  };

  const staffId = (ctx: CallContext): string => {
    const staff = ctx.session.principal.staff;
    if (!staff) throw new AppError('UNAUTHENTICATED');
    return staff.staffId;
  };

  /**
   * A session outlives changes an admin makes: a disabled or locked user, or one whose role
   * changed, is logged out at the next call instead of keeping the old rights for 15 minutes.
   */
  const current = <A extends unknown[], R>(fn: (ctx: CallContext, ...args: A) => Promise<R>) =>
    async (ctx: CallContext, ...args: A): Promise<R> => {
      const principal = ctx.session.principal.staff;
      if (!principal) throw new AppError('UNAUTHENTICATED');
      const row = await auth.requireStaff(principal.staffId).catch((error: unknown) => {
        sessions.logoutStaff(ctx.session);
        throw error;
      });
      if (row.role !== principal.role) {
        sessions.logoutStaff(ctx.session);
        throw new AppError('SESSION_EXPIRED');
      }
      return fn(ctx, ...args);
    };
  const actor = (ctx: CallContext) => `staff:${staffId(ctx)}`;

  const handlers: StaffHandlers = {
    'staff.login': async (input, ctx) => {
      const row = await auth.login(input.username, input.password);
      sessions.loginStaff(ctx.session, row.id, row.role, row.must_change_password === 1);
      return me(ctx);
    },
    'staff.logout': async (_input, ctx) => {
      await auth.logout(staffId(ctx));
      sessions.logoutStaff(ctx.session);
      return { loggedOut: true as const };
    },
    'staff.me': (_input, ctx) => current(me)(ctx),
    'staff.changePassword': (input, ctx) =>
      current(async (c) => {
        await auth.changePassword(staffId(c), input).catch((error: unknown) => {
          // Guesses at the current password locked the user: this session is where they came from.
          if (error instanceof AppError && error.code === 'LOGIN_LOCKED') sessions.endStaffSessions(staffId(c));
          throw error;
        });
        const row = await auth.requireStaff(staffId(c));
        // Every other login of this user ends (ASVS 5.0 V7.4.3); this one goes on, rotated.
        sessions.endStaffSessions(row.id);
        sessions.loginStaff(c.session, row.id, row.role, false);
        return { changed: true as const };
      })(ctx),

    'staff.users.list': (_input, ctx) => current(() => auth.listUsers())(ctx),
    'staff.users.create': (input, ctx) => current((c) => auth.createUser(actor(c), input))(ctx),
    'staff.users.update': (input, ctx) => current((c) => auth.updateUser(actor(c), input))(ctx),
    // An admin resets a password when a login may be in the wrong hands: its sessions end too.
    'staff.users.resetPassword': (input, ctx) =>
      current(async (c) => {
        const reset = await auth.resetUserPassword(actor(c), input.staffId);
        sessions.endStaffSessions(input.staffId);
        return reset;
      })(ctx),
    'staff.users.sessions': (input, ctx) => current((c) => userSessions.list(input.staffId, c.session.ref))(ctx),
    'staff.users.endSessions': (input, ctx) => current((c) => userSessions.end(actor(c), input.staffId, input.ref))(ctx),

    'staff.accounts.search': (input, ctx) => current(() => accounts.search(input))(ctx),
    'staff.accounts.get': (input, ctx) => current(() => accounts.get(input.accountId))(ctx),
    'staff.accounts.revealIdentity': (input, ctx) => current((c) => accounts.revealIdentity(actor(c), input))(ctx),
    'staff.reset.send': (input, ctx) => current((c) => accounts.sendReset(actor(c), input))(ctx),
    'staff.reset.resend': (input, ctx) => current((c) => accounts.resend(actor(c), input.requestId))(ctx),
    'staff.reset.cancel': (input, ctx) => current((c) => accounts.cancel(actor(c), input.requestId))(ctx),
    'staff.locks.lift': (input, ctx) => current((c) => accounts.liftLock(actor(c), input))(ctx),

    'staff.inquiries.list': (input, ctx) => current(() => inquiries.list(input))(ctx),
    'staff.inquiries.get': (input, ctx) => current(() => inquiries.get(input.inquiryId, (a) => accountSummary(a)))(ctx) as never,
    'staff.inquiries.decide': (input, ctx) => current((c) => inquiries.decide(actor(c), c.session.principal, input))(ctx),

    'staff.outbox.list': (input, ctx) => current(() => outbox.list(input))(ctx),
    'staff.outbox.get': (input, ctx) => current(() => outbox.get(input.mailId))(ctx),
    'staff.outbox.retry': (input, ctx) => current((c) => outbox.retry(actor(c), input.mailId))(ctx),
    'staff.outbox.resolveUnknown': (input, ctx) => current((c) => outbox.resolveUnknown(actor(c), input))(ctx),

    'staff.audit.list': (input, ctx) => current(() => audit.list(input))(ctx),
    'staff.audit.export': (input, ctx) =>
      current(async (c) => {
        const nowIso = iso(clock.nowMs());
        const result = await audit.exportCsv(input, nowIso);
        // Exporting the log is itself recorded (after the export, so the file does not hold it).
        await db.transaction((tx) => appendAudit(tx, { actor: actor(c), action: 'audit.exported', detail: { rows: result.rows, filter: input } }, nowIso));
        return result;
      })(ctx),
    'staff.audit.verify': (_input, ctx) => current(() => audit.verify())(ctx),

    'staff.dashboard': (input, ctx) => current(() => dashboard(input.days))(ctx),

    'staff.settings.get': (_input, ctx) => current(async () => ({ settings: await settings.get(), kioskId: deps.kioskId }))(ctx),
    'staff.settings.update': (input, ctx) =>
      current(async (c) => ({ settings: await settings.update(input.settings, actor(c)), kioskId: deps.kioskId }))(ctx),
  };

  let warming: Promise<unknown> = Promise.resolve();
  return {
    handlers,
    auth,
    /** The same per-call check for staff calls served elsewhere (the fleet audit calls). */
    currentStaff: <R>(fn: (ctx: CallContext) => Promise<R>) => current(fn),
    ensureFirstAdmin: auth.ensureFirstAdmin,
    /** Folds in the background accounts written while the app was down (e.g. 100,000 seeded) or pulled from central. */
    warmSearchIndex() {
      warming = accounts.foldStale().catch(() => 0);
    },
    /** The store closes: a background fold stops after its batch in hand; resolves when none runs. */
    stop: async () => {
      await stopFoldingSearchRows(db);
      await warming;
    },
  };
}

export type StaffModule = ReturnType<typeof createStaffModule>;
