import type { z } from 'zod';
import type { Role } from './roles';

/**
 * One call the renderer can make: its input and output schemas and the role it needs.
 * Both transports serve exactly these, and the renderer's client is typed from them.
 */
export interface CallDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  role: Role;
  input: I;
  output: O;
  /** Calls that must not be replayed by a tester's retry loop or logged with their input. */
  sensitive?: boolean;
  /**
   * The call checks a secret (a password or a code) through services/secret-check.ts: one
   * attempt per subject at a time, the cap read in the same step as the compare, nothing
   * compared past it (issue 13). test/integration/secret-bursts.test.ts walks every call
   * marked so with a parallel burst.
   */
  checksSecret?: true;
  /**
   * A call screens make by themselves — polling a status, drawing the frame — not something
   * the person did: it does not keep a login alive (the idle timeouts, security.md 7.3.1).
   * A 同期 screen left open polled every 3 s and held a staff login for its full 12 hours.
   */
  passive?: true;
}

export function defineCall<I extends z.ZodType, O extends z.ZodType>(def: CallDef<I, O>): CallDef<I, O> {
  return def;
}
