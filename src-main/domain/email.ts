import { hasHiddenCharacters, nfkc } from './text-normalize';

export const EMAIL_MAX_LENGTH = 254;

/**
 * The form we compare and index: NFKC (an IME's full-width ＠ and letters), trimmed, lower
 * case. Mailbox local parts are case-sensitive in theory, but no Japanese provider treats
 * them so, and a customer who types "Tanaka@" must still find their account.
 */
export function normalizeEmail(input: string): string {
  return nfkc(input).trim().toLowerCase();
}

/** The RFC 5322 atext set and dots in the local part; LDH labels and a letter TLD in the domain. */
const deliverable = /^([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64})@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63})$/;

export type EmailProblem = 'format' | 'notAscii';

/**
 * The one rule for an address we store or send to, wherever it comes from (the forms, the
 * reset lookup, the account import): a plain dot-atom, which every mail library reads back as
 * exactly this address. Anything looser was read differently by nodemailer: `x;a@evil.com`
 * went to a@evil.com, `a(comment)@evil.com` to a@evil.com, `<a@evil.com>` to a@evil.com, and
 * an encoded word in the local part went into To as is. No IDN or SMTPUTF8: a domain in
 * Japanese is written in its ASCII form (xn--…), as the counter's relay needs it.
 */
export function emailProblem(normalized: string): EmailProblem | undefined {
  if (normalized.length > EMAIL_MAX_LENGTH) return 'format';
  // A mark nobody sees or bytes the page could not read (U+FFFD) are no address at all; a
  // Japanese domain or local part is one, in a form the relay cannot take.
  if (hasHiddenCharacters(normalized) || normalized.includes('\uFFFD')) return 'format';
  if (/[^\p{ASCII}]/u.test(normalized)) return 'notAscii';
  const match = deliverable.exec(normalized);
  if (!match) return 'format';
  const [, local, domain] = match;
  if (local!.startsWith('.') || local!.endsWith('.') || local!.includes('..')) return 'format';
  // `=?utf-8?b?…?=` is atext, but a mail reader decodes it as an encoded word.
  if (/=\?.*\?=/.test(local!)) return 'format';
  if (domain!.split('.').some((label) => label.length > 63 || label.startsWith('-') || label.endsWith('-'))) return 'format';
  return undefined;
}

export function isDeliverableEmail(normalized: string): boolean {
  return emailProblem(normalized) === undefined;
}

/** t•••••@example.co.jp: enough for the owner to recognise, too little to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  const local = email.slice(0, at);
  return `${local[0] ?? ''}${'•'.repeat(Math.max(3, local.length - 1))}${email.slice(at)}`;
}
