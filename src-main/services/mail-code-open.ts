import type { Queryable } from '../store/database';
import type { ContactChangeRow } from '../store/contact-changes-repo';
import type { MailRow } from '../store/mail-outbox-repo';
import type { ResetRequestRow } from '../store/reset-requests-repo';
import { codeTemplates, type MailTemplate } from './mail/mail-templates';
import { codeOutOfTime } from './reset-service';

/**
 * Whether the code a code mail carries can still be used: its reset request or e-mail change
 * is open and in time. A mail of any other kind has nothing to go stale. Sent after a 取消,
 * the customer's use or a newer request, the mail brings a code that can only fail (and beside
 * the newer request's mail, a second code the customer cannot tell from the right one).
 */
export async function codeStillOpen(db: Queryable, row: Pick<MailRow, 'template' | 'related_id'>, nowMs: number): Promise<boolean> {
  if (!codeTemplates.has(row.template as MailTemplate) || row.related_id === null) return true;
  if (row.template === 'email-change-code') {
    const change = (await db<ContactChangeRow>('contact_changes').where({ id: row.related_id }).first()) as ContactChangeRow | undefined;
    return change?.status === 'pending' && Date.parse(change.expires_at) > nowMs;
  }
  const request = (await db<ResetRequestRow>('reset_requests').where({ id: row.related_id }).first()) as ResetRequestRow | undefined;
  return request?.status === 'pending' && !codeOutOfTime(request, nowMs);
}
