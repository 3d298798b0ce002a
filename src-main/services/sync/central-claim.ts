import type pg from 'pg';

/** A customer waits at the screen: a claim that takes longer is given up and decided locally. */
export const CLAIM_TIMEOUT_MS = 5_000;

/**
 * One claim at central (central 0018–0021): `SELECT fn(client, …) AS answer`, the function's
 * jsonb answer, bounded by CLAIM_TIMEOUT_MS. `args` are the SQL parameters after the client id,
 * with their casts (`$n` is filled in): `['', '::text[]']` for a plain and an array parameter.
 */
export async function claimQuery<T>(client: pg.ClientBase, fn: string, clientId: string, args: ReadonlyArray<readonly [value: unknown, cast?: string]>): Promise<T> {
  const params = args.map(([, cast], i) => `$${i + 2}${cast ?? ''}`);
  const { rows } = await client.query<{ answer: T }>({
    text: `SELECT ${fn}($1::uuid${params.map((p) => `, ${p}`).join('')}) AS answer`,
    values: [clientId, ...args.map(([value]) => value)],
    query_timeout: CLAIM_TIMEOUT_MS,
  } as pg.QueryConfig);
  return rows[0]!.answer;
}
