import { AppError } from '../contract/errors';
import type { StaffCallName } from '../contract/staff-calls';
import type { RuntimeSettings } from '../domain/runtime-settings';
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
import { settingsRevision, type SettingsService } from './settings-service';
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
  /** Central refuses this installation (a copy, WD002): staff writes that would travel are refused. */
  refusedInstallation?(): boolean;
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
  const withRevision = (values: RuntimeSettings) => ({ settings: values, kioskId: deps.kioskId, revision: settingsRevision(values) });

  const me = async (ctx: CallContext) => {
    const s = await settings.get();
    const row = await auth.requireStaff(staffId(ctx));
    return { ...staffView(row, clock.nowMs()), sessionMinutes: s.staffSessionMinutes, minPasswordLength: s.passwordPolicy.minLength };
  };

  const staffId = (ctx: CallContext): string => {
    const staff = ctx.session.principal.staff;
    if (!staff) throw new AppError('UNAUTHENTICATED');
    return staff.staffId;
  };

  /**
   * A session outlives changes an admin makes: a disabled user, or one whose role changed, is
   * logged out at the next call instead of keeping the old rights until the session times out.
   * So is a login from before a password reset that forces a change: the admin screen's reset
   * ends the logins it can reach, but `npm run staff:reset-password` runs in another process.
   * call-handlers.ts puts it before every staff call, whichever module serves it.
   */
  const current = <R>(fn: (ctx: CallContext) => Promise<R>) =>
    async (ctx: CallContext): Promise<R> => {
      const principal = ctx.session.principal.staff;
      if (!principal) throw new AppError('UNAUTHENTICATED');
      const row = await auth.requireStaff(principal.staffId).catch((error: unknown) => {
        sessions.logoutStaff(ctx.session);
        throw error;
      });
      if (row.role !== principal.role || (row.must_change_password === 1 && !principal.mustChangePassword)) {
        sessions.logoutStaff(ctx.session);
        throw new AppError('SESSION_EXPIRED');
      }
      return fn(ctx);
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
    'staff.me': (_input, ctx) => me(ctx),
    'staff.changePassword': async (input, ctx) => {
      await auth.changePassword(staffId(ctx), input).catch((error: unknown) => {
        // Guesses at the current password locked the user: this session is where they came from.
        if (error instanceof AppError && error.code === 'LOGIN_LOCKED') sessions.endStaffSessions(staffId(ctx));
        throw error;
      });
      const row = await auth.requireStaff(staffId(ctx));
      // Every other login of this user ends (ASVS 5.0 V7.4.3); this one goes on, rotated.
      sessions.endStaffSessions(row.id);
      sessions.loginStaff(ctx.session, row.id, row.role, false);
      return { changed: true as const };
    },

    'staff.users.list': () => auth.listUsers(),
    'staff.users.create': (input, ctx) => auth.createUser(actor(ctx), input),
    'staff.users.update': (input, ctx) => auth.updateUser(actor(ctx), input),
    // An admin resets a password when a login may be in the wrong hands: its sessions end too.
    'staff.users.resetPassword': async (input, ctx) => {
      const reset = await auth.resetUserPassword(actor(ctx), input.staffId, input.revision);
      sessions.endStaffSessions(input.staffId);
      return reset;
    },
    'staff.users.sessions': (input, ctx) => userSessions.list(input.staffId, ctx.session.ref),
    'staff.users.endSessions': (input, ctx) => userSessions.end(actor(ctx), input.staffId, input.ref),

    'staff.accounts.search': (input) => accounts.search(input),
    'staff.accounts.get': (input) => accounts.get(input.accountId),
    'staff.accounts.revealIdentity': (input, ctx) => accounts.revealIdentity(actor(ctx), input),
    'staff.reset.send': (input, ctx) => accounts.sendReset(actor(ctx), input),
    'staff.reset.resend': (input, ctx) => accounts.resend(actor(ctx), input.requestId),
    'staff.reset.cancel': (input, ctx) => accounts.cancel(actor(ctx), input.requestId),
    'staff.locks.lift': (input, ctx) => accounts.liftLock(actor(ctx), input),

    'staff.inquiries.list': (input) => inquiries.list(input),
    'staff.inquiries.get': (input) => inquiries.get(input.inquiryId, (a) => accountSummary(a)) as never,
    'staff.inquiries.decide': (input, ctx) => inquiries.decide(actor(ctx), ctx.session.principal, input),

    'staff.outbox.list': (input) => outbox.list(input),
    'staff.outbox.get': (input) => outbox.get(input.mailId),
    'staff.outbox.retry': (input, ctx) => outbox.retry(actor(ctx), input.mailId),
    'staff.outbox.resolveUnknown': (input, ctx) => outbox.resolveUnknown(actor(ctx), input),

    'staff.audit.list': (input) => audit.list(input),
    'staff.audit.export': async (input, ctx) => {
      const nowIso = iso(clock.nowMs());
      const result = await audit.exportCsv(input, nowIso);
      // Exporting the log is itself recorded (after the export, so the file does not hold it).
      await db.transaction((tx) => appendAudit(tx, { actor: actor(ctx), action: 'audit.exported', detail: { rows: result.rows, filter: input } }, nowIso));
      return result;
    },
    'staff.audit.verify': () => audit.verify(),

    'staff.dashboard': (input) => dashboard(input.days),

    'staff.settings.get': async () => withRevision(await settings.get()),
    'staff.settings.update': async (input, ctx) => withRevision(await settings.update(input.settings, actor(ctx), { revision: input.revision })),
  };

  let warming: Promise<unknown> = Promise.resolve();
  return {
    handlers,
    auth,
    /** The check that the caller is still the staff user and role the session says (call-handlers.ts). */
    currentStaff: current,
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
