import { createHmac, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { centralKnex } from './central-client-config';

/**
 * The public name of a code key: a fingerprint that says which key made a stored hash without
 * revealing the key (HMAC of a fixed label, 48 bits shown). The same secret gives the same id
 * at every counter and at central, so a counter can tell whether its WEBDESK_SECRET is one of
 * the deployment's keys without either side sending a secret to be compared.
 */
export function codeKeyId(secret: string): string {
  return `k-${createHmac('sha256', secret).update('jsa-webdesk code key id', 'utf8').digest('hex').slice(0, 12)}`;
}

/** A new deployment code key: 32 random bytes (WEBDESK_SECRET asks for 32 characters at least). */
export function newCodeKeySecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * How long a superseded key is kept at least: the longest code lifetime (staff-initiated, 24 h;
 * DESIGN §6) plus the 15 min a grant lives, rounded up. A kiosk offline across the rotation
 * keeps making codes under the old key until it returns; those stay valid at every counter as
 * long as the key is kept, and the key is kept while any open request names it.
 */
export const RETIRE_GRACE_HOURS = 25;

export interface CentralKeyOutcome {
  current: string;
  /** created: a new random key; adopted: the given secret; kept: the deployment already had a key. */
  outcome: 'created' | 'adopted' | 'kept';
  /** A secret was given but the deployment keeps another key (rotate-key adopts it). */
  notAdopted: string | null;
}

async function currentKeyId(db: Knex | Knex.Transaction): Promise<string | null> {
  const row = (await db('code_keys').whereNull('superseded_at').first('id')) as { id: string } | undefined;
  return row?.id ?? null;
}

/** After the schema steps (`central:migrate`): the deployment gets its code key, once. */
export async function ensureCodeKey(db: Knex, adoptSecret?: string): Promise<CentralKeyOutcome> {
  return db.transaction(async (tx) => {
    await tx.raw('LOCK TABLE code_keys IN EXCLUSIVE MODE');
    const current = await currentKeyId(tx);
    if (current) {
      const given = adoptSecret ? codeKeyId(adoptSecret) : null;
      const known = given ? await tx('code_keys').where({ id: given }).whereNull('retired_at').first('id') : undefined;
      return { current, outcome: 'kept' as const, notAdopted: given && !known ? given : null };
    }
    const secret = adoptSecret ?? newCodeKeySecret();
    const id = codeKeyId(secret);
    await tx.raw('SELECT sync_rotate_code_key(?, ?)', [id, secret]);
    if (adoptSecret) {
      // Open rows from before key ids were made under the secret the fleet shared: name it, so
      // counters that drop WEBDESK_SECRET still check them (the update travels as any edit).
      await tx('reset_requests').whereNull('key_id').whereIn('status', ['pending', 'verified']).update({ key_id: id });
      await tx('contact_changes').whereNull('key_id').where({ status: 'pending' }).update({ key_id: id });
    }
    return { current: id, outcome: adoptSecret ? ('adopted' as const) : ('created' as const), notAdopted: null };
  });
}

export interface RotateOutcome {
  previous: string | null;
  current: string;
  /** Keys retired in the same run (superseded long enough ago, no open request names them). */
  retired: string[];
}

/** `central:rotate-key`: a new current key (random, or the given one); kiosks take it on their next pull. */
export async function rotateCodeKey(db: Knex, adoptSecret?: string): Promise<RotateOutcome> {
  return db.transaction(async (tx) => {
    await tx.raw('LOCK TABLE code_keys IN EXCLUSIVE MODE');
    const previous = await currentKeyId(tx);
    const secret = adoptSecret ?? newCodeKeySecret();
    const id = codeKeyId(secret);
    if (id === previous) return { previous, current: id, retired: [] };
    const existing = (await tx('code_keys').where({ id }).first('id', 'retired_at')) as { id: string; retired_at: Date | null } | undefined;
    if (existing) {
      // An earlier key made current again (e.g. undoing a rotation): never one already erased.
      if (existing.retired_at) throw new Error(`code key ${id} was retired; choose another secret`);
      await tx('code_keys').whereNull('superseded_at').update({ superseded_at: tx.fn.now() });
      await tx('code_keys').where({ id }).update({ superseded_at: null });
      await tx.raw(`SELECT sync_log_code_keys(?, 'update')`, [id]);
    } else {
      await tx.raw('SELECT sync_rotate_code_key(?, ?)', [id, secret]);
    }
    return { previous, current: id, retired: await retireCodeKeys(tx, RETIRE_GRACE_HOURS) };
  });
}

/** Retires superseded keys no open code can need any more (sync_retire_code_keys, central 0011). */
export async function retireCodeKeys(db: Knex | Knex.Transaction, graceHours: number): Promise<string[]> {
  const { rows } = (await db.raw('SELECT sync_retire_code_keys(make_interval(secs => ?)) AS id', [graceHours * 3600])) as { rows: Array<{ id: string }> };
  return rows.map((r) => r.id);
}

/** `npm run central:rotate-key`, as the operator's role: rotate, then retire what may go. */
export async function rotateCentralKey(url: string, adoptSecret?: string): Promise<RotateOutcome> {
  const db = centralKnex(url, 'rotate-key');
  try {
    return await rotateCodeKey(db, adoptSecret);
  } finally {
    await db.destroy();
  }
}
