import { isDeliverableEmail } from './email';
import { hasHiddenCharacters } from './text-normalize';

export type MailFromProblem = 'controlCharacters' | 'format';

const named = /^([^<>]*)<([^<>]*)>$/;

/**
 * The sender of every mail (setup's 差出人, WEBDESK_MAIL_FROM): `名前 <address>` or the
 * address alone, the address under the one address rule (email.ts). A header holds one line:
 * a CR LF in the name started new headers ("JSA\r\nBcc: spy@evil.com\r\n <webdesk@…>" put a
 * Bcc into every mail), so line breaks and tabs are refused here although text fields keep
 * them, and so is every character nobody sees.
 */
export function mailFromProblem(value: string): MailFromProblem | undefined {
  if (/[\t\n\r\u2028\u2029]/.test(value) || hasHiddenCharacters(value)) return 'controlCharacters';
  const trimmed = value.trim();
  const address = named.exec(trimmed)?.[2]?.trim() ?? trimmed;
  return isDeliverableEmail(address) ? undefined : 'format';
}
