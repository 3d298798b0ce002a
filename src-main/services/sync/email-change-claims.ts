import type pg from 'pg';
import type { ContactChangeRow } from '../../store/contact-changes-repo';
import { CLAIM_TIMEOUT_MS } from './code-claims';

/**
 * マイページ's e-mail change code typed at an online counter, decided at central before the
 * counter answers (central 0020, docs/decisions.md "An online counter claims a login at
 * central"): a use, or one wrong code.
 */
export interface EmailChangeClaim {
  changeId: string;
  use: boolean;
  confirmedAt?: string;
  /** This counter's cap; central applies the stricter of this and its own. */
  maxAttempts: number;
}

/** `unknown`: central has no such change (made here, not pushed yet): this counter decides alone. */
export type EmailChangeClaimAnswer = { outcome: 'refused' } | { outcome: 'unknown' } | { outcome: 'used' | 'counted' | 'closed'; row: ContactChangeRow };

/** undefined: central cannot be reached now, and the counter decides from its replica (the offline window). */
export type ClaimEmailChange = (claim: EmailChangeClaim) => Promise<EmailChangeClaimAnswer | undefined>;

export async function claimEmailChangeAtCentral(client: pg.ClientBase, clientId: string, claim: EmailChangeClaim): Promise<EmailChangeClaimAnswer> {
  const { rows } = await client.query<{ answer: EmailChangeClaimAnswer }>({
    text: 'SELECT sync_claim_email_change($1::uuid, $2, $3, $4, $5) AS answer',
    values: [clientId, claim.changeId, claim.use, claim.confirmedAt ?? null, claim.maxAttempts],
    query_timeout: CLAIM_TIMEOUT_MS,
  } as pg.QueryConfig);
  return rows[0]!.answer;
}
