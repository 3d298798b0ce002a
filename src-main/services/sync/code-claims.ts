import type pg from 'pg';
import { claimQuery } from './central-claim';
import type { ResetRequestRow } from '../../store/reset-requests-repo';

/**
 * A code typed at an online counter, decided at central before the counter answers (central
 * 0018, docs/decisions.md "An online counter claims a code at central"): a use (the grant's
 * HMAC goes with it) or one wrong code.
 */
export interface CodeClaim {
  requestId: string;
  use: boolean;
  grantHmac?: string;
  verifiedAt?: string;
  /** This counter's caps; central applies the stricter of these and its own. */
  maxAttempts: number;
  maxPerDay: number;
}

/**
 * What central decided. `refused`: central refuses this installation (a copy, WD002): nothing
 * was compared there, and the counter must not open パスワード登録. `unknown`: central has no such
 * request (made here, not pushed yet): only this counter knows it and decides alone.
 */
export type CodeClaimAnswer =
  | { outcome: 'refused' }
  | { outcome: 'unknown' }
  | { outcome: 'used' | 'counted' | 'locked-now' | 'locked' | 'closed'; row: ResetRequestRow; failuresToday: number | null };

/** undefined: central cannot be reached now, and the counter decides from its replica (the offline window). */
export type ClaimCode = (claim: CodeClaim) => Promise<CodeClaimAnswer | undefined>;

export function claimAtCentral(client: pg.ClientBase, clientId: string, claim: CodeClaim): Promise<CodeClaimAnswer> {
  return claimQuery(client, 'sync_claim_code', clientId, [[claim.requestId], [claim.use], [claim.grantHmac ?? null], [claim.verifiedAt ?? null], [claim.maxAttempts], [claim.maxPerDay]]);
}
