import type { Queryable } from './database';

/**
 * queued → sending (claimed by a pass; the message may be on the wire, but the peer has not
 * had its end-of-data terminator) → committing (recorded just before the terminator leaves:
 * from here the peer may hold the mail) → sent after its 250. A `committing` row that no pass
 * owns any more is `unknown`: never sent again by itself, staff resolve it. failed: gave up.
 * withdrawn: a code mail not sent because its code died first (request cancelled, used,
 * expired or replaced); not a delivery fault, so not `failed` (which raises mail-failed).
 */
export const mailStates = ['queued', 'sending', 'committing', 'sent', 'failed', 'unknown', 'withdrawn'] as const;
export type MailState = (typeof mailStates)[number];

export interface MailRow {
  id: string;
  template: string;
  locale: string;
  to_address: string;
  params_json: string;
  secret_params: string | null;
  state: MailState;
  attempts: number;
  next_attempt_ms: number;
  last_error: string | null;
  message_id: string | null;
  related_id: string | null;
  created_at: string;
  sent_at: string | null;
  /** When the mail was recorded `committing`, i.e. about when the peer got it, if it did. */
  handover_at: string | null;
}

export async function enqueueMail(
  db: Queryable,
  mail: Pick<MailRow, 'id' | 'template' | 'locale' | 'to_address' | 'params_json' | 'secret_params' | 'related_id'>,
  nowMs: number,
): Promise<void> {
  await db('mail_outbox').insert({
    ...mail,
    state: 'queued',
    attempts: 0,
    next_attempt_ms: nowMs,
    created_at: new Date(nowMs).toISOString(),
  });
}

/**
 * Oldest first, so mail leaves in the order it was asked for. `next_attempt_ms` holds back
 * only a mail the peer refused for itself; while the peer is down the worker holds the whole
 * queue instead (mail-outbox.ts), so nothing newer can overtake.
 */
export function dueMails(db: Queryable, nowMs: number, limit: number): Promise<MailRow[]> {
  return db<MailRow>('mail_outbox')
    .where('state', 'queued')
    .andWhere('next_attempt_ms', '<=', nowMs)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit);
}

export async function claimMail(db: Queryable, id: string): Promise<boolean> {
  return (await db('mail_outbox').where({ id, state: 'queued' }).update({ state: 'sending' })) === 1;
}

/**
 * Claims the due mails of one pass in one commit and returns the ids it took. Each commit is
 * an fsync (synchronous=FULL): claiming one by one cost a second commit per mail. Only the
 * worker's serialised pass sets `sending`, so reading it back names exactly what was claimed.
 */
export async function claimMails(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  await db('mail_outbox').whereIn('id', ids).andWhere({ state: 'queued' }).update({ state: 'sending' });
  return new Set((await db('mail_outbox').whereIn('id', ids).andWhere({ state: 'sending' }).pluck('id')) as string[]);
}

/** The commit before the end-of-data terminator: from here on a restart must not send it again. */
export async function markMailCommitting(db: Queryable, id: string, nowIso: string): Promise<void> {
  const changed = await db('mail_outbox').where({ id }).whereIn('state', ['sending', 'committing']).update({ state: 'committing', handover_at: nowIso });
  // Only this pass moves its claimed rows; anything else means the row changed under it.
  if (changed !== 1) throw new Error(`mail ${id} is no longer claimed`);
}

/**
 * One statement, one commit: `committingId` is recorded as handed over and, when given, the
 * mail before it (which has its 250) as sent. The worker's per-mail commit (mail-outbox.ts);
 * one statement instead of a transaction of two saves the round trips to SQLite's thread.
 */
export async function markHandover(db: Queryable, committingId: string, nowIso: string, sent?: { id: string; messageId: string }): Promise<void> {
  if (!sent) return markMailCommitting(db, committingId, nowIso);
  const forSent = (sentValue: string, column: string) => db.raw(`CASE WHEN id = ? THEN ? ELSE ${column} END`, [sent.id, sentValue]);
  const changed = await db('mail_outbox')
    .where((q) => q.where({ id: committingId }).whereIn('state', ['sending', 'committing']))
    .orWhere({ id: sent.id })
    .update({
      state: db.raw(`CASE WHEN id = ? THEN 'sent' ELSE 'committing' END`, [sent.id]),
      handover_at: db.raw('CASE WHEN id = ? THEN handover_at ELSE ? END', [sent.id, nowIso]),
      sent_at: forSent(nowIso, 'sent_at'),
      message_id: forSent(sent.messageId, 'message_id'),
      attempts: db.raw('CASE WHEN id = ? THEN attempts + 1 ELSE attempts END', [sent.id]),
      last_error: db.raw('CASE WHEN id = ? THEN NULL ELSE last_error END', [sent.id]),
    });
  if (changed !== 2) throw new Error(`mail ${committingId} is no longer claimed`);
}

export async function markMailSent(db: Queryable, id: string, messageId: string, nowIso: string): Promise<void> {
  await db('mail_outbox')
    .where({ id })
    .update({ state: 'sent', sent_at: nowIso, message_id: messageId, attempts: db.raw('attempts + 1'), last_error: null });
}

export async function markMailRetry(db: Queryable, id: string, error: string, nextAttemptMs: number, failed: boolean): Promise<void> {
  await db('mail_outbox')
    .where({ id })
    .update({
      state: failed ? 'failed' : 'queued',
      last_error: error.slice(0, 500),
      next_attempt_ms: nextAttemptMs,
      attempts: db.raw('attempts + 1'),
    });
}

/** A claimed code mail whose code can no longer be used: it stays as it is, never sent. */
export async function markMailWithdrawn(db: Queryable, id: string): Promise<void> {
  await db('mail_outbox').where({ id, state: 'sending' }).update({ state: 'withdrawn' });
}

/** The connection broke after the terminator may have left and before the peer's answer. */
export async function markMailUnknown(db: Queryable, id: string, error: string): Promise<void> {
  await db('mail_outbox')
    .where({ id })
    .update({ state: 'unknown', last_error: error.slice(0, 500), attempts: db.raw('attempts + 1') });
}

/** Claimed rows a pass did not get to (it stopped because the peer is down) go back unchanged. */
export async function releaseClaimed(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await db('mail_outbox').whereIn('id', ids).andWhere({ state: 'sending' }).update({ state: 'queued' });
}

/**
 * Rows no pass owns any more (after a crash, or a pass the store failed half-way). `sending`
 * goes back to the queue: smtp-server, like any MTA, drops a message whose DATA did not end
 * with the terminator, so the peer cannot hold it. `committing` becomes `unknown`: the
 * terminator may have left, and sending again could deliver the mail twice.
 */
export async function settleInterrupted(db: Queryable): Promise<{ requeued: number; unknown: number }> {
  const requeued = await db('mail_outbox').where({ state: 'sending' }).update({ state: 'queued' });
  const unknown = await db('mail_outbox')
    .where({ state: 'committing' })
    .update({ state: 'unknown', last_error: 'interrupted after the message was handed to the SMTP server' });
  return { requeued, unknown };
}

/**
 * Staff resolve an `unknown` mail after asking the customer: `resend` queues it now (same
 * Message-ID, and its age puts it first in line), `delivered` records it as sent.
 */
export async function resolveUnknown(
  db: Queryable,
  id: string,
  resolution: { outcome: 'resend'; nowMs: number } | { outcome: 'delivered'; nowMs: number; messageId: string },
): Promise<boolean> {
  const row = db('mail_outbox').where({ id, state: 'unknown' });
  const changed =
    resolution.outcome === 'resend'
      ? await row.update({ state: 'queued', next_attempt_ms: resolution.nowMs })
      : await row.update({
          state: 'sent',
          sent_at: db.raw('coalesce(handover_at, ?)', [new Date(resolution.nowMs).toISOString()]),
          message_id: resolution.messageId,
        });
  return changed === 1;
}

export async function retryNow(db: Queryable, id: string, nowMs: number): Promise<boolean> {
  return (
    (await db('mail_outbox').where({ id }).whereIn('state', ['queued', 'failed']).update({ state: 'queued', next_attempt_ms: nowMs })) === 1
  );
}

export function findMail(db: Queryable, id: string): Promise<MailRow | undefined> {
  return db<MailRow>('mail_outbox').where({ id }).first();
}

async function countIn(db: Queryable, states: readonly MailState[]): Promise<number> {
  const row = (await db('mail_outbox').whereIn('state', states).count<{ n: number }[]>({ n: '*' }).first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

export const outboxDepth = (db: Queryable) => countIn(db, ['queued', 'sending', 'committing']);
export const unknownMailCount = (db: Queryable) => countIn(db, ['unknown']);
