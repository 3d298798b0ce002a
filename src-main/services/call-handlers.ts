import { AppError } from '../contract/errors';
import type { AccountService } from './account-service';
import type { Handlers } from './call-context';
import { contactHandlers, type ContactHandlerDeps } from './contact-handlers';
import type { OpsHandlers } from './ops/ops-handlers';
import type { HeldGrants } from './held-grant';
import type { HeldViews } from './held-view';
import type { ResetService } from './reset-service';
import type { SessionRegistry } from './sessions';
import type { SettingsService } from './settings-service';
import type { StaffHandlers } from './staff-handlers';
import type { SyncEngine } from './sync/sync-engine';
import type { CodeKeys } from './code-keys';
import { createSyncHandlers } from './sync/sync-handlers';
import type { createAuditFleetHandlers } from './sync/audit-fleet-handlers';
import type { AccountFileCallName } from '../contract/account-file-calls';
import { callNames, contract, type CallName } from '../contract/registry';
import { isStaffRole } from '../contract/roles';
import type { CallContext } from './call-context';

export interface HandlerDeps extends ContactHandlerDeps {
  version: string;
  mode: 'kiosk' | 'staff';
  kioskId: string;
  settings: SettingsService;
  sessions: SessionRegistry;
  reset: ResetService;
  /** The grant 「確認」 gave a session, kept for a reload of パスワード登録 (held-grant.ts). */
  heldGrants: HeldGrants;
  /** The kiosk screen's look and step, kept for a reload (held-view.ts). */
  heldViews: HeldViews;
  account: AccountService;
  staff: StaffHandlers;
  ops: OpsHandlers;
  auditFleet: ReturnType<typeof createAuditFleetHandlers>;
  /** 「アカウントの取り込み」 / 「アカウントの書き出し」 (services/account-files). */
  accountFiles: Pick<Handlers, AccountFileCallName>;
  /** Undefined on a standalone kiosk (no WEBDESK_CENTRAL_URL). */
  sync?: SyncEngine;
  keys: CodeKeys;
  /** app.exitKiosk: asks the shell to leave kiosk mode, audited (create-app.ts). */
  exitKiosk(transport: 'ipc' | 'http', actor: string): Promise<{ done: boolean; reason?: 'web-mode' | 'not-kiosk' }>;
  /** app.printSlip / app.testPrint: the Electron shell's silent print (create-app.ts). */
  print(what: 'slip' | { testPage: string }, transport: 'ipc' | 'http'): Promise<PrintOutcome>;
  /** The staff module's check that the caller is still the staff user and role the session says. */
  currentStaff<R>(fn: (ctx: CallContext) => Promise<R>): (ctx: CallContext) => Promise<R>;
}

export interface PrintOutcome {
  done: boolean;
  reason?: 'web-mode' | 'no-printer' | 'failed';
}

/** Leaving needs no staff row: a disabled user's logout still ends the login. */
const withoutStaffCheck = new Set<CallName>(['staff.logout']);

/**
 * Every call of a staff role first re-reads the caller's staff row, whichever module serves it:
 * an admin who disabled or re-roled a user must not find that user's open login still taking
 * backups, changing 初期設定 or resolving conflicts until it times out (each module opting in
 * missed the ops, sync and app calls).
 */
function checkingStaff(handlers: Handlers, currentStaff: HandlerDeps['currentStaff']): Handlers {
  const checked: Record<string, unknown> = { ...handlers };
  for (const name of callNames) {
    if (!isStaffRole(contract[name].role) || withoutStaffCheck.has(name)) continue;
    const handler = handlers[name] as (input: unknown, ctx: CallContext) => Promise<unknown>;
    checked[name] = (input: unknown, ctx: CallContext) => currentStaff((c) => handler(input, c))(ctx);
  }
  return checked as Handlers;
}

/** Binds each contract call to a service; no rule lives here, only who-calls-what. */
export function createHandlers(deps: HandlerDeps): Handlers {
  return checkingStaff(bindCalls(deps), deps.currentStaff);
}

function bindCalls(deps: HandlerDeps): Handlers {
  const { settings, sessions, reset, heldGrants, heldViews, account } = deps;
  return {
    'app.info': async (_input, ctx) => {
      const s = await settings.get();
      return {
        version: deps.version,
        mode: deps.mode,
        kioskId: deps.kioskId,
        supportEmail: s.supportEmail,
        idleTimeoutSeconds: s.idleTimeoutSeconds,
        codeLifetimeMinutes: s.codeLifetimeMinutes,
        staffSessionMinutes: s.staffSessionMinutes,
        transport: ctx.transport,
      };
    },

    'app.exitKiosk': (_input, ctx) => deps.exitKiosk(ctx.transport, ctx.actor),
    'app.printSlip': (_input, ctx) => deps.print('slip', ctx.transport),
    'app.testPrint': (input, ctx) => deps.print({ testPage: input.printerName }, ctx.transport),

    'reset.request': (input, ctx) => reset.request(input, ctx.actor),
    'reset.verifyCode': async (input, ctx) => heldGrants.hold(ctx.session, await reset.verifyCode(input, ctx.actor)),
    'reset.resumeGrant': (input, ctx) => heldGrants.resume(ctx.session, input.reload),
    'reset.checkPassword': async (input, ctx) => {
      const items = await reset.checkPassword(input);
      heldGrants.used(ctx.session, input.grant);
      return items;
    },
    'reset.complete': async (input, ctx) => {
      const done = await reset.complete(input, ctx.actor);
      heldGrants.forget(ctx.session);
      return done;
    },

    'kiosk.holdView': async (input, ctx) => heldViews.hold(ctx.session, input),
    'kiosk.resumeView': (input, ctx) => heldViews.resume(ctx.session, input.reload),

    'account.login': async (input, ctx) => {
      const result = await account.login(input.jsaId, input.password, ctx.actor, input.locale);
      sessions.loginCustomer(ctx.session, result.accountId);
      return { contactName: result.contactName, maskedJsaId: result.maskedJsaId };
    },
    // The kiosk's wipe (最初に戻る, the idle timeout) comes here: it also forgets a held grant and view.
    'account.logout': async (_input, ctx) => {
      sessions.logoutCustomer(ctx.session);
      heldGrants.forget(ctx.session);
      heldViews.forget(ctx.session);
      return { loggedOut: true as const };
    },
    'account.me': async (_input, ctx) => {
      const accountId = ctx.session.principal.customer?.accountId;
      if (!accountId) return { loggedIn: false };
      const me = await account.describe(accountId);
      if (!me) throw new AppError('SESSION_EXPIRED');
      return { loggedIn: true, ...me };
    },

    ...deps.staff,
    ...contactHandlers(deps),
    ...deps.ops,
    ...createSyncHandlers(deps.sync, deps.keys),
    ...deps.auditFleet,
    ...deps.accountFiles,
  };
}
