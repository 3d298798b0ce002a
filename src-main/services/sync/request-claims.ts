import type pg from 'pg';
import { claimQuery } from './central-claim';

/**
 * A reset request sent at an online counter, passed through the request caps at central before
 * the counter answers (central 0021, docs/decisions.md "An online counter claims a request's
 * caps at central"). The buckets are the ones that travel (the typed JSA-ID's and address's);
 * the counter's own bucket stays local and is checked there.
 */
export interface RequestClaim {
  /** In the order the counter checks them; each with its hourly cap and the key of its event. */
  buckets: Array<{ bucket: string; cap: number; key: string }>;
  atMs: number;
  cooldownSeconds: number;
  /** How far ahead an event may be stamped and still start a cooldown (limits-service `cooldownSince`). */
  skewMs: number;
}

/**
 * `refused`: central refuses this installation (a copy, WD002). `cooldown` / `limited`: refused
 * by a cap at central, nothing counted. `admitted`: one event per bucket counted there, returned
 * as the pull would bring them.
 */
export type RequestClaimAnswer =
  | { outcome: 'refused' }
  | { outcome: 'cooldown'; seconds: number }
  | { outcome: 'limited' }
  | { outcome: 'admitted'; events: Array<Record<string, unknown>> };

/** undefined: central cannot be reached now, and the counter decides from its replica (the offline window). */
export type ClaimRequest = (claim: RequestClaim) => Promise<RequestClaimAnswer | undefined>;

export function claimRequestAtCentral(client: pg.ClientBase, clientId: string, claim: RequestClaim): Promise<RequestClaimAnswer> {
  return claimQuery(client, 'sync_claim_request', clientId, [
    [claim.buckets.map((b) => b.bucket), '::text[]'],
    [claim.buckets.map((b) => b.cap), '::integer[]'],
    [claim.buckets.map((b) => b.key), '::text[]'],
    [claim.atMs],
    [claim.cooldownSeconds],
    [claim.skewMs],
  ]);
}
