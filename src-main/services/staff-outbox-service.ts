import { AppError } from '../contract/errors';
import { forStaff } from '../domain/staff-masking';
import { maskLogText } from './log-mask';
import type { Db } from '../store/database';
import { findMail, resolveUnknown as resolveUnknownMail, retryNow, type MailRow, type MailState } from '../store/mail-outbox-repo';
import { appendAudit } from '../store/audit-repo';
import { iso, type Clock } from './clock';
import { messageIdFor, renderStoredMail } from './mail/mail-outbox';
import { codeTemplates, type MailTemplate } from './mail/mail-templates';
import { codeStillOpen } from './mail-code-open';
import type { SecretBox } from './secret-box';

export const mailSummary = (row: MailRow) => ({
  mailId: row.id,
  template: row.template,
  locale: row.locale,
  maskedTo: forStaff('email', row.to_address),
  state: row.state,
  attempts: row.attempts,
  // The peer's own words, which often name the recipient (「550 <addr>: Recipient address
  // rejected」): scrubbed as a log line is, so an agent sees no more than maskedTo.
  lastError: row.last_error === null ? null : maskLogText(row.last_error),
  createdAt: row.created_at,
  sentAt: row.sent_at,
  handoverAt: row.handover_at,
  // A code or link with a lifetime: sent again late, it arrives expired.
  carriesCode: row.secret_params !== null,
});

const codeClosed = () => new AppError('CONFLICT', { params: { reason: 'mail-code-closed' } });

/**
 * The outbox as staff see it: state, attempts and the last error of every mail, and each
 * mail rendered exactly as delivered except that the code and link stay sealed
 * (renderStoredMail with reveal=false) and a JSA-ID in the body is masked.
 */
export function createStaffOutboxService(deps: { db: Db; box: SecretBox; clock: Clock; kick(): void }) {
  const { db, box } = deps;

  async function list(input: { state?: MailState; page: number; pageSize: number }) {
    const base = () => (input.state ? db<MailRow>('mail_outbox').where({ state: input.state }) : db<MailRow>('mail_outbox'));
    const count = (await base().count<{ n: number }[]>({ n: '*' }).first()) as { n: number } | undefined;
    const rows = (await base().orderBy('id', 'desc').limit(input.pageSize).offset((input.page - 1) * input.pageSize)) as MailRow[];
    return { total: Number(count?.n ?? 0), page: input.page, pageSize: input.pageSize, items: rows.map(mailSummary) };
  }

  async function get(mailId: string) {
    const row = await findMail(db, mailId);
    if (!row) throw new AppError('NOT_FOUND');
    const params = JSON.parse(row.params_json) as Record<string, unknown>;
    if (typeof params.jsaId === 'string') params.jsaId = forStaff('jsaId', params.jsaId);
    const rendered = renderStoredMail({ ...row, params_json: JSON.stringify(params) }, box, false);
    return { mail: mailSummary(row), subject: rendered.subject, text: rendered.text };
  }

  async function retry(actor: string, mailId: string) {
    const nowMs = deps.clock.nowMs();
    const queued = await db.transaction(async (tx) => {
      const row = await findMail(tx, mailId);
      if (!row) throw new AppError('NOT_FOUND');
      // Sent again without its code and link it would read 「コード: 」 and a blank line.
      if (codeTemplates.has(row.template as MailTemplate) && row.secret_params === null) throw new AppError('CONFLICT', { params: { reason: 'mail-code-gone' } });
      if (!(await codeStillOpen(tx, row, nowMs))) throw codeClosed();
      // Already due (another desk's press a moment ago): queued as asked, but nothing to record;
      // 20 presses at once wrote 20 entries for one retry. The worker is still nudged below.
      if (row.state === 'queued' && row.next_attempt_ms <= nowMs) return true;
      // false: sent, being sent or of unknown delivery meanwhile (resolveUnknown is for those).
      const ok = await retryNow(tx, mailId, nowMs);
      if (ok) await appendAudit(tx, { actor, action: 'mail.retried', subject: null, detail: { mailId } }, iso(nowMs));
      return ok;
    });
    if (queued) deps.kick();
    return { queued };
  }

  /** Only for `unknown` mail: the clerk's answer from the customer, in the same commit as its audit entry. */
  async function resolveUnknown(actor: string, input: { mailId: string; outcome: 'resend' | 'delivered' }) {
    const nowMs = deps.clock.nowMs();
    const resolved = await db.transaction(async (tx) => {
      const row = await findMail(tx, input.mailId);
      if (!row) throw new AppError('NOT_FOUND');
      if (input.outcome === 'resend' && !(await codeStillOpen(tx, row, nowMs))) throw codeClosed();
      const ok =
        input.outcome === 'resend'
          ? await resolveUnknownMail(tx, input.mailId, { outcome: 'resend', nowMs })
          : await resolveUnknownMail(tx, input.mailId, { outcome: 'delivered', nowMs, messageId: messageIdFor(input.mailId) });
      if (ok) {
        const action = input.outcome === 'resend' ? 'mail.unknown-resent' : 'mail.unknown-delivered';
        await appendAudit(tx, { actor, action, subject: null, detail: { mailId: input.mailId, template: row.template, handoverAt: row.handover_at } }, iso(nowMs));
      }
      return ok;
    });
    if (resolved && input.outcome === 'resend') deps.kick();
    return { resolved };
  }

  return { list, get, retry, resolveUnknown };
}

export type StaffOutboxService = ReturnType<typeof createStaffOutboxService>;
