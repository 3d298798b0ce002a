import { v7 as uuidv7 } from 'uuid';
import type { Locale } from '../../contract/fields';
import type { Db, Queryable } from '../../store/database';
import { claimMails, dueMails, enqueueMail, markMailRetry, markMailSent, requeueInterrupted, type MailRow } from '../../store/mail-outbox-repo';
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

export interface MailWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Wakes the worker now, instead of at its next tick (called after a commit that queued mail). */
  kick(): void;
  /** One pass over due mail; returns how many were sent. */
  drainOnce(): Promise<number>;
}

export function createMailWorker(deps: {
  db: Db;
  box: SecretBox;
  transport: MailTransport;
  from: string;
  clock: Clock;
  logger: Logger;
  pollMs?: number;
}): MailWorker {
  const { db, box, transport, clock, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = true;

  /** Sends one mail this pass has claimed (`sending`). */
  async function sendOne(row: MailRow): Promise<boolean> {
    const messageId = `<${row.id}@jsa-webdesk.local>`;
    try {
      const rendered = renderStoredMail(row, box, true);
      await transport.send({ from: deps.from, to: row.to_address, messageId, ...rendered });
      await markMailSent(db, row.id, messageId, iso(clock.nowMs()));
      logger.info({ mailId: row.id, template: row.template }, 'mail sent');
      return true;
    } catch (error) {
      const attempt = row.attempts + 1;
      const failed = attempt >= MAX_MAIL_ATTEMPTS;
      const message = error instanceof Error ? error.message : String(error);
      await markMailRetry(db, row.id, message, clock.nowMs() + backoffMs(attempt), failed);
      logger.warn({ mailId: row.id, attempt, failed, err: message }, 'mail delivery failed');
      return false;
    }
  }

  async function pass(): Promise<number> {
    let sent = 0;
    // Passes never overlap, so a mail still `sending` now was left by a pass that failed half-way
    // (the store refused a write): back to the queue, instead of waiting for a restart.
    await requeueInterrupted(db);
    for (;;) {
      const due = await dueMails(db, clock.nowMs(), 20);
      if (due.length === 0) return sent;
      let progressed = false;
      const claimed = await claimMails(db, due.map((row) => row.id));
      for (const row of due) {
        if (claimed.has(row.id) && (await sendOne(row))) {
          sent += 1;
          progressed = true;
        }
      }
      // Everything due failed: leave the rest for its backoff instead of spinning.
      if (!progressed) return sent;
    }
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
      .catch((error: unknown) => logger.error({ err: error instanceof Error ? error.message : String(error) }, 'mail worker pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, deps.pollMs ?? 2_000);
      });
  }

  return {
    async start() {
      stopped = false;
      await requeueInterrupted(db);
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
    drainOnce,
  };
}
