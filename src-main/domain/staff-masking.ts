import { maskEmail } from './email';
import { JSA_ID_LENGTH, maskJsaId } from './jsa-id';

/**
 * The one masking rule per kind of value on every staff screen (lookup, account detail,
 * 本人確認の依頼, メール送信状況, 監査ログ, 同期の状態). A value is shown through `forStaff`,
 * never through its own masking call, so one screen cannot show an address in full beside
 * the same address masked (issue 16 §4).
 *
 * - masked: JSA-IDs (last four digits) and e-mail addresses (first letter and domain). They
 *   are the keys of a reset; `staff.accounts.revealIdentity` shows them after the clerk names
 *   the identity document seen, and that is audited.
 * - hidden: codes, links, passwords and tokens never reach a staff screen.
 * - shown: what a clerk compares with the customer's documents (name, company, department,
 *   address, phone, postal code).
 */
export const staffMaskingRules = {
  jsaId: 'masked',
  email: 'masked',
  secret: 'hidden',
  name: 'shown',
  company: 'shown',
  department: 'shown',
  address: 'shown',
  phone: 'shown',
  postalCode: 'shown',
} as const;
export type StaffValueKind = keyof typeof staffMaskingRules;

export const HIDDEN_FOR_STAFF = '（非表示）';

export function forStaff(kind: StaffValueKind, value: string): string {
  if (value === '') return '';
  switch (staffMaskingRules[kind]) {
    case 'hidden':
      return HIDDEN_FOR_STAFF;
    case 'masked':
      return kind === 'jsaId' ? maskJsaId(value) : maskEmail(value);
    case 'shown':
      return value;
  }
}

/**
 * A free value whose kind is known only by its shape (an audit subject, a detail field):
 * a whole JSA-ID or an address is masked, anything else is left as it is.
 */
export function forStaffByShape(value: string): string {
  if (new RegExp(`^[0-9]{${JSA_ID_LENGTH}}$`).test(value)) return forStaff('jsaId', value);
  if (/^[^\s@]+@[^\s@]+$/.test(value)) return forStaff('email', value);
  return value;
}

/**
 * Free text that may quote values (a database message, a limit bucket such as
 * `inquiry:email:<address>`): each whole JSA-ID or address in it is masked.
 */
export function forStaffInText(text: string): string {
  return text
    .replace(new RegExp(`(?<![0-9])[0-9]{${JSA_ID_LENGTH}}(?![0-9])`, 'g'), (id) => forStaff('jsaId', id))
    .replace(/[^\s@:=(),"'<>]+@[^\s@:=(),"'<>]+/g, (address) => forStaff('email', address));
}
