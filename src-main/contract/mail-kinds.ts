/**
 * Every mail the counter sends (the outbox's `template`). The templates render exactly these,
 * and the label table in `code-labels.ts` names each one for staff.
 */
export const mailKinds = [
  'reset-code',
  'reset-code-support',
  'reset-several-ids',
  'reset-locked',
  'password-changed',
  // マイページ and the kiosk forms (services/mail/contact-mail-texts.ts).
  'login-locked',
  'email-change-code',
  'email-change-requested',
  'email-change-completed',
  'inquiry-received',
  // Staff decisions on the kiosk forms' inquiries (JSA-ID 不明, 前任者退職).
  'inquiry-jsa-id',
  'inquiry-approved',
  'inquiry-refused',
  'contact-changed-old',
  'contact-changed-new',
] as const;
export type MailKind = (typeof mailKinds)[number];
