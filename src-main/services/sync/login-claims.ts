import type pg from 'pg';
import { claimQuery } from './central-claim';

/**
 * A password typed at an online counter, decided at central before the counter answers (central
 * 0019, docs/decisions.md "An online counter claims a login at central"): a wrong one is counted
 * there (`failed`), a right one only asks whether the login is locked.
 */
export interface LoginClaim {
  jsaId: string;
  failed: boolean;
  /** The failure's limit_events key at central and, written as a pulled row, here. */
  key: string;
  atMs: number;
  /** This counter's cap; central applies the stricter of this and its own. */
  maxFailures: number;
}

/** The rows central wrote, as the pull would bring them. */
export interface LoginClaimRows {
  failures: number;
  event: Record<string, unknown> | null;
  lock: Record<string, unknown> | null;
}

/**
 * `refused`: central refuses this installation (a copy, WD002). `open`: a right password under
 * the cap. `counted` / `locked-now`: this failure was counted (and locked). `locked`: locked or
 * at the cap already; nothing was counted.
 */
export type LoginClaimAnswer = { outcome: 'refused' } | ({ outcome: 'open' | 'counted' | 'locked-now' | 'locked' } & LoginClaimRows);

/** undefined: central cannot be reached now, and the counter decides from its replica (the offline window). */
export type ClaimLogin = (claim: LoginClaim) => Promise<LoginClaimAnswer | undefined>;

export function claimLoginAtCentral(client: pg.ClientBase, clientId: string, claim: LoginClaim): Promise<LoginClaimAnswer> {
  return claimQuery(client, 'sync_claim_login', clientId, [[claim.jsaId], [claim.failed], [claim.key], [claim.atMs], [claim.maxFailures]]);
}
