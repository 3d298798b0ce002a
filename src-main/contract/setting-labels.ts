import type { Limits, PasswordPolicy, RuntimeSettings } from '../domain/runtime-settings';
import type { Label } from './code-labels';

export type SettingKey = keyof RuntimeSettings | keyof PasswordPolicy | keyof Limits;

/**
 * Each run-time setting in words: the labels of 設定's fields, and the words for a setting's key
 * where the audit log names it (a `settings.changed` entry's subject and detail). One table, so
 * a setting is called the same on both; typed by the settings, so a new one without words does
 * not compile. Nested keys (the policy's, the limits') are unique across the groups.
 */
export const settingLabels: Record<SettingKey, Label> = {
  passwordPolicy: { ja: 'パスワードポリシー', en: 'Password policy' },
  minLength: { ja: '最小文字数', en: 'Minimum length' },
  maxLength: { ja: '最大文字数', en: 'Maximum length' },
  requireLower: { ja: '英小文字を必須にする（ASVS の推奨外）', en: 'Require a lower-case letter (beyond ASVS)' },
  requireUpper: { ja: '英大文字を必須にする（ASVS の推奨外）', en: 'Require an upper-case letter (beyond ASVS)' },
  requireDigit: { ja: '数字を必須にする（ASVS の推奨外）', en: 'Require a digit (beyond ASVS)' },
  requireSymbol: { ja: '記号を必須にする（ASVS の推奨外）', en: 'Require a symbol (beyond ASVS)' },
  historyCount: { ja: '再利用を禁止する過去のパスワード数', en: 'Earlier passwords that may not be reused' },
  codeLifetimeMinutes: { ja: '変更権限コードの有効期間（分）', en: 'Authorization code lifetime (minutes)' },
  staffCodeLifetimeHours: { ja: 'スタッフ代行時のコードの有効期間（時間、最大 24）', en: 'Code lifetime when staff send it (hours, at most 24)' },
  idleTimeoutSeconds: { ja: '端末が最初の画面に戻るまでの時間（秒）', en: 'Kiosk returns to the first screen after (seconds)' },
  customerSessionMinutes: { ja: 'お客様ログインの有効時間（分）', en: 'Customer login lasts (minutes)' },
  staffSessionMinutes: { ja: 'スタッフログインの有効時間（分）', en: 'Staff login lasts (minutes)' },
  customerSessionMaxHours: { ja: 'お客様ログインの最長時間（時間、操作していても終了）', en: 'Customer login lasts at most (hours, even when active)' },
  staffSessionMaxHours: { ja: 'スタッフログインの最長時間（時間、操作していても終了）', en: 'Staff login lasts at most (hours, even when active)' },
  limits: { ja: '回数の上限', en: 'Limits' },
  perAccountPerHour: { ja: '1 アカウントあたりの依頼数（1 時間）', en: 'Requests per account per hour' },
  perEmailPerHour: { ja: '1 メールアドレスあたりの依頼数（1 時間）', en: 'Requests per e-mail address per hour' },
  perKioskPerHour: { ja: '1 端末あたりの依頼数（1 時間）', en: 'Requests per kiosk per hour' },
  resendCooldownSeconds: { ja: '再依頼までの待ち時間（秒）', en: 'Wait before another request (seconds)' },
  maxCodeAttempts: { ja: 'コードの誤入力で依頼を無効にする回数', en: 'Wrong codes that void a request' },
  maxFailuresPerDay: { ja: '1 日の誤入力で再設定を停止する回数', en: 'Wrong codes per day that lock the reset' },
  maxLoginFailures: { ja: 'ログイン失敗でロックする回数', en: 'Failed logins that lock the login' },
  supportEmail: { ja: 'お問合せ先メールアドレス', en: 'Support e-mail address' },
  // 注意1 and 受付完了 are the seed's own names for the error and the screen, kept in English too.
  uniformResponses: { ja: '注意1 のエラーを出さず、受付完了とメールで案内する', en: 'Instead of the 注意1 error, answer 受付完了 and explain by mail' },
  printerName: { ja: 'プリンター名', en: 'Printer name' },
  backupKeep: { ja: '残すバックアップの数', en: 'Backups kept' },
  retentionDays: { ja: '保存期間（日）', en: 'Retention (days)' },
  auditRetentionDays: { ja: '監査ログの保存期間（日）', en: 'Audit retention (days)' },
};
