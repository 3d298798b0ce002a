import { v7 as uuidv7 } from 'uuid';
import type { Locale } from '../../contract/fields';
import { isDeliverableEmail } from '../../domain/email';
import { appendAudit } from '../../store/audit-repo';
import type { Db, Queryable } from '../../store/database';
import {
  claimMails,
  dueMails,
  enqueueMail,
  markHandover,
  markMailRetry,
  markMailSent,
  markMailUnknown,
  markMailWithdrawn,
  releaseClaimed,
  settleInterrupted,
  type MailRow,
} from '../../store/mail-outbox-repo';
import type { Clock } from '../clock';
import { iso } from '../clock';
import type { SecretBox } from '../secret-box';
import type { Logger } from '../logger';
import { maskedSecrets, renderMail, type MailParams, type MailSecrets, type MailTemplate, type RenderedMail } from './mail-templates';
import type { MailTransport } from './mail-transport';

export interface QueuedMail {
  template: MailTemplate;
  locale: Locale;
  to: string;
  params: MailParams;
  secrets?: MailSecrets;
  relatedId?: string;
}

/** Writes a mail into the outbox inside the caller's transaction; the worker delivers it. */
export async function queueMail(db: Queryable, box: SecretBox, mail: QueuedMail, nowMs: number): Promise<string> {
  const id = uuidv7();
  await enqueueMail(
    db,
    {
      id,
      template: mail.template,
      locale: mail.locale,
      to_address: mail.to,
      params_json: JSON.stringify(mail.params),
      secret_params: mail.secrets ? box.encrypt(JSON.stringify(mail.secrets)) : null,
      related_id: mail.relatedId ?? null,
    },
    nowMs,
  );
  return id;
}

export function renderStoredMail(row: MailRow, box: SecretBox, reveal: boolean): RenderedMail {
  const secrets: MailSecrets = reveal && row.secret_params ? (JSON.parse(box.decrypt(row.secret_params)) as MailSecrets) : maskedSecrets;
  return renderMail(row.template as MailTemplate, row.locale as Locale, JSON.parse(row.params_json) as MailParams, row.secret_params ? secrets : {});
}

/** 5 s, 10 s, 20 s … capped at 15 min; after 12 tries the mail is marked failed for staff. */
export const MAX_MAIL_ATTEMPTS = 12;
export const backoffMs = (attempt: number) => Math.min(15 * 60_000, 5_000 * 2 ** Math.max(0, attempt - 1));

/** The Message-ID of an outbox mail: the same on every attempt, so a receiver can tell a resend. */
export const messageIdFor = (mailId: string) => `<${mailId}@jsa-webdesk.local>`;

export interface MailWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Wakes the worker now, instead of at its next tick (called after a commit that queued mail). */
  kick(): void;
  /** Staff asked for a mail to go now: forget the peer's backoff, then kick. */
  retryNow(): void;
  /** One pass over due mail; returns how many were sent. */
  drainOnce(): Promise<number>;
}

/**
 * What an attempt tells about the peer. `refused`: the peer answered this mail with an error
 * (4xx/5xx to MAIL, RCPT or the end of data): this mail waits out its own backoff and the rest
 * go on. `peer-down`: no answer (connection refused, dropped, timed out, 421, our store failed
 * mid-message): the whole queue waits, so nothing newer leaves before the older mail.
 * `withdrawn`: a code mail whose code died while it waited; it leaves the queue unsent.
 */
type Attempt = 'sent' | 'refused' | 'peer-down' | 'withdrawn';

function refusedByPeer(error: unknown): boolean {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return typeof responseCode === 'number' && responseCode !== 421 && (code === 'EENVELOPE' || code === 'EMESSAGE');
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createMailWorker(deps: {
  db: Db;
  box: SecretBox;
  transport: MailTransport;
  from: string;
  clock: Clock;
  logger: Logger;
  /** Whether a code mail's code can still be used (services/mail-code-open.ts). */
  codeStillOpen(db: Queryable, row: MailRow, nowMs: number): Promise<boolean>;
  pollMs?: number;
}): MailWorker {
  const { db, box, transport, clock, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = true;
  // The peer's backoff, not a mail's: while it runs no mail leaves, so order of age survives
  // an outage. Kept in memory: after a restart the oldest mail is simply tried at once.
  let peerFailures = 0;
  let peerHeldUntilMs = 0;

  async function settle(): Promise<void> {
    const { unknown } = await settleInterrupted(db);
    if (unknown > 0) logger.warn({ mails: unknown }, 'mail delivery outcome unknown: staff must check with the customer (outbox 送信結果不明)');
  }

  /** Sends one claimed mail; `handover` is the commit its terminator waits for. */
  async function attempt(row: MailRow, handover: () => Promise<void>): Promise<Attempt> {
    let handedOver = false;
    // Stored before the one address rule (domain/email.ts): nodemailer would read
    // `x;a@evil.com` as a@evil.com. Never tried, failed at once for staff to see.
    if (!isDeliverableEmail(row.to_address)) {
      await markMailRetry(db, row.id, 'not an address mail can be sent to (stored before the address rule)', clock.nowMs(), true);
      logger.warn({ mailId: row.id }, 'mail not sent: the stored address breaks the address rule');
      return 'refused';
    }
    // A retry after the peer refused the first try (or an outage) came after the request was
    // cancelled, used or replaced: the customer got a code that could only fail, beside the
    // newer one. Staff's 今すぐ再送 refuses such a mail for the same reason (mail-code-closed).
    if (!(await deps.codeStillOpen(db, row, clock.nowMs()))) {
      await db.transaction(async (tx) => {
        await markMailWithdrawn(tx, row.id);
        await appendAudit(tx, { actor: 'system', action: 'mail.withdrawn', subject: null, detail: { mailId: row.id, reason: 'mail-code-closed' } }, iso(clock.nowMs()));
      });
      logger.info({ mailId: row.id, template: row.template }, 'mail not sent: its code can no longer be used');
      return 'withdrawn';
    }
    let rendered: ReturnType<typeof renderStoredMail>;
    try {
      rendered = renderStoredMail(row, box, true);
    } catch (error) {
      await recordRetry(row, messageOf(error), 'refused');
      return 'refused';
    }
    try {
      await transport.send(
        { from: deps.from, to: row.to_address, messageId: messageIdFor(row.id), ...rendered },
        {
          beforeTerminator: async () => {
            await handover();
            handedOver = true;
          },
        },
      );
      peerFailures = 0;
      return 'sent';
    } catch (error) {
      const answered = typeof (error as { responseCode?: unknown } | undefined)?.responseCode === 'number';
      const kind: Attempt = refusedByPeer(error) ? 'refused' : 'peer-down';
      if (kind === 'refused') peerFailures = 0; // it answered: the peer is up
      if (handedOver && !answered) {
        // The terminator may have reached the peer; only its answer was lost. Sending again
        // could deliver it twice, so staff decide (送信結果不明).
        await markMailUnknown(db, row.id, messageOf(error));
        holdQueue();
        logger.warn({ mailId: row.id, err: messageOf(error) }, 'mail delivery outcome unknown');
      } else {
        await recordRetry(row, messageOf(error), kind);
      }
      return kind;
    }
  }

  function holdQueue(): void {
    peerFailures += 1;
    peerHeldUntilMs = clock.nowMs() + backoffMs(peerFailures);
  }

  async function recordRetry(row: MailRow, message: string, kind: Attempt): Promise<void> {
    const tries = row.attempts + 1;
    const failed = tries >= MAX_MAIL_ATTEMPTS;
    // A mail held back with the peer keeps its place (due now); one the peer refused waits alone.
    await markMailRetry(db, row.id, message, kind === 'refused' ? clock.nowMs() + backoffMs(tries) : clock.nowMs(), failed);
    if (kind === 'peer-down') holdQueue();
    logger.warn({ mailId: row.id, attempt: tries, failed, kind, err: message }, 'mail delivery failed');
  }

  async function pass(): Promise<number> {
    let sent = 0;
    // Passes never overlap, so a mail still `sending` or `committing` now was left by a pass
    // that failed half-way (the store refused a write): settle it now, not at the next restart.
    await settle();
    if (clock.nowMs() < peerHeldUntilMs) return 0;
    // A mail that got its 250 is marked sent in the same commit as the next mail's handover:
    // one fsync per mail instead of two (synchronous=FULL; the 200 mails/s goal). Until then
    // it stays `committing`, so a kill in between makes it `unknown`, never a duplicate.
    let delivered: MailRow | undefined;
    const markSent = async (q: Queryable, row: MailRow) => {
      await markMailSent(q, row.id, messageIdFor(row.id), iso(clock.nowMs()));
    };
    const counted = (row: MailRow) => {
      delivered = undefined;
      sent += 1;
      logger.info({ mailId: row.id, template: row.template }, 'mail sent');
    };
    async function flushDelivered(): Promise<void> {
      const row = delivered;
      if (!row) return;
      try {
        await markSent(db, row);
        counted(row);
      } catch (error) {
        // Left `committing`: the next pass makes it `unknown`, which is what it is to us.
        delivered = undefined;
        logger.error({ mailId: row.id, err: messageOf(error) }, 'mail sent but not recorded');
      }
    }
    const handoverOf = (row: MailRow) => async () => {
      const previous = delivered;
      await markHandover(db, row.id, iso(clock.nowMs()), previous && { id: previous.id, messageId: messageIdFor(previous.id) });
      if (previous) counted(previous);
    };
    async function deliver(): Promise<void> {
      for (;;) {
        const due = await dueMails(db, clock.nowMs(), 20);
        if (due.length === 0) return;
        const claimed = await claimMails(db, due.map((row) => row.id));
        const batch = due.filter((row) => claimed.has(row.id));
        let progressed = false;
        for (const [i, row] of batch.entries()) {
          const outcome = await attempt(row, handoverOf(row));
          if (outcome === 'sent') {
            progressed = true;
            // Normally a no-op: the handover commit took the previous mail, unless the transport
            // has no terminator to wait for (maildrop) or that commit failed.
            await flushDelivered();
            delivered = row;
          } else if (outcome === 'withdrawn') {
            progressed = true; // out of the queue for good: what is due after it goes on
          } else if (outcome === 'peer-down') {
            await releaseClaimed(db, batch.slice(i + 1).map((r) => r.id));
            return;
          }
        }
        // Everything due was refused: leave the rest for its backoff instead of spinning.
        if (!progressed) return;
      }
    }
    try {
      await deliver();
    } finally {
      await flushDelivered();
    }
    return sent;
  }

  function drainOnce(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await pass();
      } while (again);
      return total;
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  function tick() {
    drainOnce()
      .catch((error: unknown) => logger.error({ err: messageOf(error) }, 'mail worker pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, deps.pollMs ?? 2_000);
      });
  }

  return {
    async start() {
      stopped = false;
      await settle();
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
      transport.close();
    },
    kick() {
      if (!stopped) void drainOnce().catch(() => undefined);
    },
    retryNow() {
      peerHeldUntilMs = 0;
      if (!stopped) void drainOnce().catch(() => undefined);
    },
    drainOnce,
  };
}
