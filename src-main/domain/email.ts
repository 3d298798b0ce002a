import { nfkc } from './text-normalize';

export const EMAIL_MAX_LENGTH = 254;

/**
 * The form we compare and index: NFKC (an IME's full-width ＠ and letters), trimmed, lower
 * case. Mailbox local parts are case-sensitive in theory, but no Japanese provider treats
 * them so, and a customer who types "Tanaka@" must still find their account.
 */
export function normalizeEmail(input: string): string {
  return nfkc(input).trim().toLowerCase();
}

/** A deliberately plain check (one @, a dot in the domain, no spaces); the mail is the proof. */
export function isPlausibleEmail(normalized: string): boolean {
  if (normalized.length === 0 || normalized.length > EMAIL_MAX_LENGTH) return false;
  return /^[^\s@]+@[^\s@]+\.[^\s@.]+$/.test(normalized) && !normalized.includes('..');
}

/** t•••••@example.co.jp: enough for the owner to recognise, too little to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  const local = email.slice(0, at);
  return `${local[0] ?? ''}${'•'.repeat(Math.max(3, local.length - 1))}${email.slice(at)}`;
}
