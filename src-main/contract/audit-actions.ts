/**
 * Every action the audit log records. `appendAudit` takes only these (a new one is a compile
 * error until it is listed here), so the label table in `code-labels.ts`, typed by this list,
 * cannot miss one: staff never read a raw code such as `reset.requested`.
 */
export const auditActions = [
  'accounts.imported',
  'accounts.import-started',
  'account.contact-changed',
  'app.exit-kiosk',
  'audit.exported',
  'audit.purged',
  'audit.gap_accepted',
  'demo-data.added',
  'inquiry.submitted',
  'inquiry.approved',
  'inquiry.refused',
  'inquiry.override',
  'login.succeeded',
  'login.password-wrong',
  'login.locked',
  'login.unlocked',
  'mail.retried',
  'mail.unknown-resent',
  'mail.unknown-delivered',
  'mypage.contact-name-changed',
  'mypage.email-change-requested',
  'mypage.email-code-wrong',
  'mypage.email-change-voided',
  'mypage.email-changed',
  'mypage.email-change-cancelled',
  'mypage.password-changed',
  'mypage.password-wrong',
  'ops.setup.saved',
  'ops.test-mail',
  'reset.requested',
  'reset.refused-locked',
  'reset.several-ids',
  'reset.no-match',
  'reset.code-wrong',
  'reset.locked',
  'reset.voided',
  'reset.code-verified',
  'reset.completed',
  'reset.resent',
  'reset.cancelled',
  'reset.unlocked',
  'retention.purged',
  'settings.changed',
  'staff.created',
  'staff.updated',
  'staff.login',
  'staff.login-failed',
  'staff.locked',
  'staff.logout',
  'staff.password-changed',
  'staff.password-reset',
  'staff.identity-revealed',
  'demo-data.removed',
  'login.unknown-id',
  'staff.password-wrong',
  'staff.sessions-ended',
  // A right one-time password typed after its 72 hours (staff-auth-service.ts)
  'staff.one-time-password-expired',
  // 「アカウントの取り込み」 / 「アカウントの書き出し」 (issue 18 §4)
  'accounts.exported',
  'accounts.import-rejects-exported',
  'accounts.import-failed',
  // 診断情報: a copy of the store made by hand (and the old copies it removed), the support data taken away
  'ops.backup-taken',
  'ops.support-bundle-exported',
  'sync.value-replaced',
  // Changes older than central's memory of applied ones, sent by a store restored from an old backup (central 0016)
  'sync.changes-expired',
  // An administrator's take-over of this counter's sync identity from another installation (central 0017)
  'sync.identity-taken-over',
  'sync.conflict-resolved',
  'sync.pull-refused',
] as const;
export type AuditAction = (typeof auditActions)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}
