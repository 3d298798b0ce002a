import { AppError, type CallResult } from '../contract/errors';
import { fieldIssuesFromZod } from '../contract/field-issues';
import { contract, isCallName } from '../contract/registry';
import { satisfiesRole } from '../contract/roles';
import type { CallContext, Handlers } from '../services/call-context';
import type { Logger } from '../services/logger';

/** While a staff member must change the one-time password, only these staff calls work. */
const allowedBeforePasswordChange = new Set<string>(['staff.changePassword', 'staff.logout', 'staff.me']);

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
      return { ok: false, error: { code } };
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
      if (error instanceof AppError) return { ok: false, error: error.toCallError() };
      logger.error({ call: name, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'call failed');
      return { ok: false, error: { code: 'INTERNAL' } };
    }
  };
}
