import { AppError, type CallResult } from '../contract/errors';
import { fieldIssuesFromZod } from '../contract/field-issues';
import { contract, isCallName } from '../contract/registry';
import { satisfiesRole } from '../contract/roles';
import type { CallContext, Handlers } from '../services/call-context';
import { loggedError } from '../services/log-error';
import { SecretFileFault } from '../services/ops/secret-store';
import type { Logger } from '../services/logger';

/** While a staff member must change the one-time password, only these staff calls work. */
const allowedBeforePasswordChange = new Set<string>(['staff.changePassword', 'staff.logout', 'staff.me']);

/**
 * The data folder is full or not writable (SQLite's and the OS's codes): the call could not be
 * saved. It answers UNAVAILABLE ("try again later / ask staff"), not INTERNAL, and the log says
 * what happened in words an operator can act on.
 */
function storageFailure(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(?:SQLITE_(?:FULL|READONLY|IOERR|CANTOPEN)|ENOSPC|EDQUOT|EROFS|EACCES|EPERM)/.test(code) ? code : undefined;
}

/** Service refusals that mean "someone is pushing": logged; ordinary mistakes (a wrong code) are audited by the service. */
const loggedRefusals = new Set<string>(['RATE_LIMITED', 'COOLDOWN', 'LOGIN_LOCKED', 'RESET_LOCKED']);

export type Dispatch = (name: string, rawInput: unknown, ctx: CallContext) => Promise<CallResult<unknown>>;

/**
 * The common entry of both transports: look the call up, check the role, validate the
 * input, run, validate the output. Every failure leaves as a typed code; a bug becomes
 * INTERNAL with the details in the log, never on a screen.
 */
export function createDispatch(handlers: Handlers, logger: Logger): Dispatch {
  return async (name, rawInput, ctx) => {
    if (!isCallName(name)) return { ok: false, error: { code: 'UNKNOWN_CALL' } };
    const def = contract[name];
    const principal = ctx.session.principal;
    if (!satisfiesRole(principal, def.role)) {
      const code = def.role !== 'customer' && principal.staff ? 'FORBIDDEN' : 'UNAUTHENTICATED';
      // ASVS 5.0 V16.3.2: failed authorization is logged (the call, not its input). Not `code`:
      // the logger redacts that key (it is the reset code's name).
      logger.warn({ call: name, refusal: code, required: def.role, transport: ctx.transport, actor: ctx.actor }, 'call refused');
      // A staff user is told which role may (the screens word it for staff); nobody else learns the roles.
      return { ok: false, error: code === 'FORBIDDEN' ? { code, params: { role: def.role } } : { code } };
    }
    if (principal.staff?.mustChangePassword && def.role !== 'public' && def.role !== 'customer' && !allowedBeforePasswordChange.has(name)) {
      return { ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } };
    }
    const parsed = def.input.safeParse(rawInput ?? {}, { reportInput: true });
    if (!parsed.success) return { ok: false, error: { code: 'INVALID_INPUT', fields: fieldIssuesFromZod(parsed.error) } };
    try {
      const handler = handlers[name] as (input: unknown, ctx: CallContext) => Promise<unknown>;
      const output = def.output.safeParse(await handler(parsed.data, ctx));
      if (!output.success) {
        logger.error({ call: name, issues: output.error.issues.map((i) => i.path.join('.')) }, 'handler output broke the contract');
        return { ok: false, error: { code: 'INTERNAL' } };
      }
      return { ok: true, value: output.data };
    } catch (error) {
      if (error instanceof AppError) {
        // ASVS 5.0 V16.3.3: anti-automation refusals are security events too.
        if (loggedRefusals.has(error.code)) logger.warn({ call: name, refusal: error.code, transport: ctx.transport, actor: ctx.actor }, 'call refused');
        // The screen names the file; the log gives the operator its path and what to do.
        if (error instanceof SecretFileFault) logger.error({ call: name, transport: ctx.transport, actor: ctx.actor }, error.message);
        return { ok: false, error: error.toCallError() };
      }
      const storage = storageFailure(error);
      if (storage) {
        logger.error({ call: name, storage }, 'data folder is full or not writable: the call was not saved; free space or fix the folder permissions');
        // Staff are told it is the disk (an admin pressing 今すぐバックアップ read "try again
        // later"); a customer at the kiosk is asked to see staff, as before.
        return { ok: false, error: principal.staff ? { code: 'UNAVAILABLE', params: { reason: 'storage', errno: storage } } : { code: 'UNAVAILABLE' } };
      }
      // The call, the actor and the error's type and code: never the input, never the statement.
      logger.error({ call: name, transport: ctx.transport, actor: ctx.actor, failure: loggedError(error) }, 'call failed');
      return { ok: false, error: { code: 'INTERNAL' } };
    }
  };
}
