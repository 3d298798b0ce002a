import type { Queryable } from './database';

export type MailState = 'queued' | 'sending' | 'sent' | 'failed';

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

/** Oldest first, so mail leaves in the order it was asked for. */
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

/**
 * After a crash, mails left in `sending` go back to the queue. The SMTP peer may have taken
 * one already; the Message-ID is derived from the outbox id, so a duplicate is recognisable.
 */
export async function requeueInterrupted(db: Queryable): Promise<number> {
  return db('mail_outbox').where({ state: 'sending' }).update({ state: 'queued' });
}

export async function retryNow(db: Queryable, id: string, nowMs: number): Promise<boolean> {
  return (
    (await db('mail_outbox').where({ id }).whereIn('state', ['queued', 'failed']).update({ state: 'queued', next_attempt_ms: nowMs })) === 1
  );
}

export function findMail(db: Queryable, id: string): Promise<MailRow | undefined> {
  return db<MailRow>('mail_outbox').where({ id }).first();
}

export async function outboxDepth(db: Queryable): Promise<number> {
  const row = (await db('mail_outbox').whereIn('state', ['queued', 'sending']).count<{ n: number }[]>({ n: '*' }).first()) as
    | { n: number }
    | undefined;
  return Number(row?.n ?? 0);
}
