import type pg from 'pg';
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

/** A customer waits at the screen: a claim that takes longer is given up and decided locally. */
export const CLAIM_TIMEOUT_MS = 5_000;

export async function claimAtCentral(client: pg.ClientBase, clientId: string, claim: CodeClaim): Promise<CodeClaimAnswer> {
  const { rows } = await client.query<{ answer: CodeClaimAnswer }>({
    text: 'SELECT sync_claim_code($1::uuid, $2, $3, $4, $5, $6, $7) AS answer',
    values: [clientId, claim.requestId, claim.use, claim.grantHmac ?? null, claim.verifiedAt ?? null, claim.maxAttempts, claim.maxPerDay],
    query_timeout: CLAIM_TIMEOUT_MS,
  } as pg.QueryConfig);
  return rows[0]!.answer;
}
