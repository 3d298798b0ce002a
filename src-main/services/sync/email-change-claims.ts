import type pg from 'pg';
import type { ContactChangeRow } from '../../store/contact-changes-repo';
import { claimQuery } from './central-claim';

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

export function claimEmailChangeAtCentral(client: pg.ClientBase, clientId: string, claim: EmailChangeClaim): Promise<EmailChangeClaimAnswer> {
  return claimQuery(client, 'sync_claim_email_change', clientId, [[claim.changeId], [claim.use], [claim.confirmedAt ?? null], [claim.maxAttempts]]);
}
