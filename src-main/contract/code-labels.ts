import type { AuditAction } from './audit-actions';
import type { MailKind } from './mail-kinds';
import { settingLabels } from './setting-labels';

/**
 * The one table that turns the log's and the outbox's codes into words, for the staff
 * screens and the audit CSV alike. Typed by the code lists, so a new action or mail kind
 * without a label does not compile (and test/unit/contract/code-labels.test.ts says which).
 */
export interface Label {
  ja: string;
  en: string;
}
export type LabelLocale = keyof Label;

export const auditActionLabels: Record<AuditAction, Label> = {
  'accounts.imported': { ja: 'アカウントの一括取り込み', en: 'Accounts imported' },
  'accounts.import-started': { ja: 'アカウントの一括取り込み（書き込み開始）', en: 'Account import began writing' },
  'sync.value-replaced': { ja: '同期：中央に保存できない文字を置き換え', en: 'Sync replaced characters central cannot store' },
  'sync.changes-expired': { ja: '同期：中央の記録より古い変更を適用せず競合へ', en: 'Sync held back changes older than central remembers, as conflicts' },
  'sync.identity-taken-over': { ja: '同期：この PC を窓口の同期元に指定（別の PC からの送信を停止）', en: 'Sync identity taken over by this PC (another PC’s pushes refused)' },
  'sync.conflict-resolved': { ja: '同期の競合の解決', en: 'Sync conflict resolved' },
  'sync.pull-refused': { ja: '同期：中央のデータをこの端末に取り込めず', en: 'Sync could not take central data into this counter' },
  'account.contact-changed': { ja: '担当者とメールアドレスの変更（前任者退職）', en: 'Contact and e-mail changed (predecessor left)' },
  'app.exit-kiosk': { ja: '全画面表示の終了', en: 'Left kiosk full screen' },
  'audit.exported': { ja: '監査ログの書き出し', en: 'Audit log exported' },
  'audit.purged': { ja: '古い監査ログの削除', en: 'Old audit entries purged' },
  'audit.gap_accepted': { ja: '監査ログの欠落の承認', en: 'Audit log gap accepted' },
  'demo-data.added': { ja: 'デモ用アカウントの追加', en: 'Demo accounts added' },
  'inquiry.submitted': { ja: 'お問合せの受付', en: 'Inquiry received' },
  'inquiry.approved': { ja: 'お問合せの承認', en: 'Inquiry approved' },
  'inquiry.refused': { ja: 'お問合せのお断り', en: 'Inquiry refused' },
  'inquiry.override': { ja: '責任者による例外承認', en: 'Supervisor override' },
  'login.succeeded': { ja: 'お客様のログイン', en: 'Customer logged in' },
  'login.password-wrong': { ja: 'ログインのパスワード誤り', en: 'Wrong login password' },
  'login.locked': { ja: 'ログインの停止', en: 'Login locked' },
  'login.unlocked': { ja: 'ログインの停止を解除', en: 'Login unlocked' },
  'mail.retried': { ja: 'メールの再送信', en: 'Mail retried' },
  'mail.unknown-resent': { ja: '送信結果不明のメールを再送信', en: 'Mail with unknown outcome sent again' },
  'mail.unknown-delivered': { ja: '送信結果不明のメールを受信済みに', en: 'Mail with unknown outcome marked received' },
  'mail.withdrawn': { ja: 'コードが使えないメールの送信中止', en: 'Mail not sent: its code can no longer be used' },
  'mypage.contact-name-changed': { ja: '担当者名の変更（マイページ）', en: 'Contact name changed (My page)' },
  'mypage.email-change-requested': { ja: 'メールアドレス変更の申込み', en: 'E-mail change requested' },
  'mypage.email-code-wrong': { ja: 'メールアドレス変更コードの誤り', en: 'Wrong e-mail change code' },
  'mypage.email-change-voided': { ja: 'メールアドレス変更の無効化', en: 'E-mail change voided' },
  'mypage.email-changed': { ja: 'メールアドレスの変更', en: 'E-mail changed' },
  'mypage.email-change-cancelled': { ja: 'メールアドレス変更の取消し', en: 'E-mail change cancelled' },
  'mypage.password-changed': { ja: 'パスワードの変更（マイページ）', en: 'Password changed (My page)' },
  'mypage.password-wrong': { ja: '現在のパスワードの誤り（マイページ）', en: 'Wrong current password (My page)' },
  'ops.setup.saved': { ja: '初期設定の保存', en: 'Setup saved' },
  'ops.test-mail': { ja: 'テストメールの送信', en: 'Test mail sent' },
  'ops.backup-taken': { ja: '今すぐバックアップ', en: 'Backup taken now' },
  'ops.support-bundle-exported': { ja: 'サポート用データの書き出し', en: 'Support data exported' },
  'reset.requested': { ja: 'パスワード再設定の依頼', en: 'Password reset requested' },
  'reset.refused-locked': { ja: '停止中のため再設定をお断り', en: 'Reset refused (paused)' },
  'reset.several-ids': { ja: '複数の JSA-ID に登録のアドレス', en: 'Address on several JSA-IDs' },
  'reset.no-match': { ja: '一致する登録なし', en: 'No matching registration' },
  'reset.code-wrong': { ja: '変更権限コードの誤り', en: 'Wrong reset code' },
  'reset.code-unmatched': { ja: '変更権限コードの誤り（受け付け中の依頼なし）', en: 'Wrong reset code (no open request)' },
  'reset.locked': { ja: 'パスワード再設定の停止', en: 'Password reset paused' },
  'reset.voided': { ja: '変更権限コードの無効化', en: 'Reset code voided' },
  'reset.code-verified': { ja: '変更権限コードの確認', en: 'Reset code verified' },
  'reset.completed': { ja: '新しいパスワードの登録', en: 'New password registered' },
  'reset.resent': { ja: '再設定メールの再送信', en: 'Reset mail sent again' },
  'reset.cancelled': { ja: '再設定の取消し', en: 'Reset cancelled' },
  'reset.unlocked': { ja: 'パスワード再設定の停止を解除', en: 'Password reset unpaused' },
  'retention.purged': { ja: '保存期間を過ぎたデータの削除', en: 'Data past retention purged' },
  'settings.changed': { ja: '設定の変更', en: 'Setting changed' },
  'staff.created': { ja: 'スタッフの追加', en: 'Staff user added' },
  'staff.updated': { ja: 'スタッフの変更', en: 'Staff user changed' },
  'staff.login': { ja: 'スタッフのログイン', en: 'Staff logged in' },
  'staff.login-failed': { ja: 'スタッフのログイン失敗', en: 'Staff login failed' },
  'staff.locked': { ja: 'スタッフのログイン停止', en: 'Staff login locked' },
  'staff.logout': { ja: 'スタッフのログアウト', en: 'Staff logged out' },
  'staff.password-changed': { ja: 'スタッフのパスワード変更', en: 'Staff password changed' },
  'staff.password-reset': { ja: 'スタッフの仮パスワード発行', en: 'Staff one-time password issued' },
  'staff.identity-revealed': { ja: 'JSA-ID とメールアドレスの表示（本人確認書類あり）', en: 'JSA-ID and e-mail shown (identity document seen)' },
  'demo-data.removed': { ja: 'デモ用アカウントの削除', en: 'Demo accounts removed' },
  'login.unknown-id': { ja: '登録のない JSA-ID でのログイン失敗', en: 'Login with a JSA-ID on no account' },
  'staff.password-wrong': { ja: 'スタッフのパスワード変更で現在のパスワード誤り', en: 'Wrong current password on a staff password change' },
  'staff.sessions-ended': { ja: 'スタッフのログインの終了（管理者）', en: 'Staff logins ended (admin)' },
  'staff.one-time-password-expired': { ja: '期限切れのワンタイムパスワードでのログイン', en: 'Login with an expired one-time password' },
  'accounts.exported': { ja: 'アカウントの書き出し（個人情報を含む）', en: 'Accounts exported (personal data)' },
  'accounts.import-rejects-exported': { ja: '取り込めなかった行の書き出し（個人情報を含む）', en: 'Rejected import rows downloaded (personal data)' },
  'accounts.import-failed': { ja: 'アカウントの取り込みの中断（エラー）', en: 'Account import broke off (error)' },
};

export const mailKindLabels: Record<MailKind, Label> = {
  'reset-code': { ja: '変更権限コード', en: 'Reset code' },
  'reset-code-support': { ja: 'サポートメール（JSA-ID と変更権限コード）', en: 'Support mail (JSA-ID and reset code)' },
  'reset-several-ids': { ja: '複数の JSA-ID のご案内', en: 'Several JSA-IDs notice' },
  'reset-locked': { ja: '再設定の一時停止のお知らせ', en: 'Reset paused notice' },
  'password-changed': { ja: 'パスワード変更のお知らせ', en: 'Password changed notice' },
  'login-locked': { ja: 'ログイン停止のお知らせ', en: 'Login locked notice' },
  'email-change-code': { ja: 'メールアドレス変更コード', en: 'E-mail change code' },
  'email-change-requested': { ja: 'メールアドレス変更の申込みのお知らせ', en: 'E-mail change requested notice' },
  'email-change-completed': { ja: 'メールアドレス変更完了のお知らせ', en: 'E-mail change completed notice' },
  'inquiry-received': { ja: 'お問合せ受付のお知らせ', en: 'Inquiry received notice' },
  'inquiry-jsa-id': { ja: 'JSA-ID のお知らせ（登録アドレス宛）', en: 'Your JSA-ID (to the registered address)' },
  'inquiry-approved': { ja: 'お問合せ承認のお知らせ', en: 'Inquiry approved notice' },
  'inquiry-refused': { ja: 'お問合せをお受けできないお知らせ', en: 'Inquiry refused notice' },
  'contact-changed-old': { ja: '担当者変更のお知らせ（旧アドレス宛）', en: 'Contact changed (to the old address)' },
  'contact-changed-new': { ja: '担当者変更完了のお知らせ（新アドレス宛）', en: 'Contact changed (to the new address)' },
};

/** Who did it, when it was not a staff user (a staff user is shown as 氏名（ユーザー名）). */
export const actorKinds = ['staff', 'customer', 'kiosk', 'system', 'cli'] as const;
export type ActorKind = (typeof actorKinds)[number];
export const actorKindLabels: Record<ActorKind, Label> = {
  staff: { ja: 'スタッフ', en: 'Staff' },
  customer: { ja: 'お客様（ログイン中）', en: 'Customer (logged in)' },
  kiosk: { ja: 'キオスク（お客様）', en: 'Kiosk (customer)' },
  system: { ja: 'システム', en: 'System' },
  cli: { ja: 'コマンドライン（運用者）', en: 'Command line (operator)' },
};

/**
 * The audit detail's keys, shown as labelled fields. A key missing here is shown as it is
 * stored (a detail written by a newer counter), never hidden. A setting's key (in a
 * `settings.changed` detail) has the words of 設定's field.
 */
export const auditDetailLabels: Record<string, Label> = {
  ...settingLabels,
  ended: { ja: '終了したログイン数', en: 'Logins ended' },
  all: { ja: 'すべてのログイン', en: 'All logins' },
  requestId: { ja: '依頼番号', en: 'Request' },
  mailId: { ja: 'メール番号', en: 'Mail' },
  changeId: { ja: '変更番号', en: 'Change' },
  inquiryId: { ja: 'お問合せ番号', en: 'Inquiry' },
  inquiry: { ja: '受付番号', en: 'Reference' },
  kind: { ja: '種類', en: 'Kind' },
  channel: { ja: '受付方法', en: 'Channel' },
  kioskId: { ja: '窓口', en: 'Counter' },
  failures: { ja: '失敗回数', en: 'Failures' },
  failuresToday: { ja: '本日の失敗回数', en: 'Failures today' },
  attempts: { ja: '試行回数', en: 'Attempts' },
  lifted: { ja: '解除した件数', en: 'Lifted' },
  requestsVoided: { ja: '無効にした再設定依頼', en: 'Reset requests voided' },
  reason: { ja: '理由', en: 'Reason' },
  reasonTemplate: { ja: '理由', en: 'Reason' },
  refuseBecause: { ja: '不一致の項目', en: 'Differs in' },
  verdict: { ja: '照合結果', en: 'Match' },
  document: { ja: '確認した書類', en: 'Document seen' },
  note: { ja: 'メモ', en: 'Note' },
  username: { ja: 'ユーザー名', en: 'User name' },
  role: { ja: '役割', en: 'Role' },
  disabled: { ja: '無効', en: 'Disabled' },
  unlocked: { ja: 'ロック解除', en: 'Unlocked' },
  firstStart: { ja: '初回起動', en: 'First start' },
  mustChangePassword: { ja: 'パスワード変更が必要', en: 'Must change password' },
  from: { ja: '変更前', en: 'Before' },
  to: { ja: '変更後', en: 'After' },
  email: { ja: 'メールアドレス', en: 'E-mail' },
  field: { ja: '項目', en: 'Field' },
  rows: { ja: '件数', en: 'Rows' },
  filter: { ja: '絞り込み', en: 'Filter' },
  changed: { ja: '変更した項目', en: 'Changed' },
  inserted: { ja: '追加', en: 'Added' },
  updated: { ja: '更新', en: 'Updated' },
  rejected: { ja: '取り込めなかった行', en: 'Rejected rows' },
  accounts: { ja: 'アカウント数', en: 'Accounts' },
  template: { ja: 'メールの種類', en: 'Mail' },
  handoverAt: { ja: '送信サーバーへの引き渡し', en: 'Handed over' },
  by: { ja: '理由', en: 'By' },
  purged: { ja: '削除件数', en: 'Purged' },
  retentionDays: { ja: '保存期間（日）', en: 'Retention (days)' },
  auditRetentionDays: { ja: '監査ログの保存期間（日）', en: 'Audit retention (days)' },
  done: { ja: '完了', en: 'Done' },
  // audit.gap_accepted (an admin accepted a cut counter log)
  acceptance: { ja: '承認番号', en: 'Acceptance' },
  clientId: { ja: '窓口のクライアント ID', en: 'Counter client id' },
  fromSeq: { ja: '欠落の最初の番号', en: 'First missing entry' },
  toSeq: { ja: '欠落の最後の番号', en: 'Last missing entry' },
  acceptedAt: { ja: '承認日時（中央）', en: 'Accepted at (central)' },
  // Account import and export (issue 18 §4).
  file: { ja: 'ファイル名', en: 'File' },
  target: { ja: '取り込み先', en: 'Into' },
  sha256: { ja: 'ファイルの SHA-256', en: 'File SHA-256' },
  encoding: { ja: '文字コード', en: 'Encoding' },
  unchanged: { ja: '変更なし', en: 'Unchanged' },
  stopped: { ja: '途中で停止', en: 'Stopped early' },
  dryRun: { ja: '確認のみ', en: 'Dry run' },
  bytes: { ja: 'バイト数', en: 'Bytes' },
  // ops.backup-taken: older copies removed past backupKeep.
  pruned: { ja: '削除した古いバックアップ', en: 'Older backups removed' },
  // sync.value-replaced: the columns (as in the import file's header) whose value now holds U+FFFD.
  fields: { ja: '置き換えた項目', en: 'Replaced in' },
  // sync.changes-expired: how many of the push's changes central held back (同期's conflict list names each).
  changes: { ja: '競合とした変更の数', en: 'Changes held as conflicts' },
  // sync.conflict-resolved: which conflict, and whether the kiosk's value replaced central's.
  conflict: { ja: '競合番号', en: 'Conflict' },
  kioskValueApplied: { ja: '端末の値を適用', en: 'Kiosk value applied' },
  // retention.purged: what the purge removed (services/ops/retention.ts PurgeReport).
  at: { ja: '実行日時', en: 'At' },
  resetRequests: { ja: '削除した再設定依頼', en: 'Reset requests deleted' },
  attemptRecords: { ja: '削除した試行記録', en: 'Attempt records deleted' },
  mailSecrets: { ja: '消したコードとリンク', en: 'Codes and links deleted' },
  mail: { ja: '削除したメール', en: 'Mails deleted' },
  maildropFiles: { ja: '削除したメールファイル', en: 'Mail files deleted' },
  auditEntries: { ja: '削除した監査ログ', en: 'Audit entries deleted' },
  // 「今すぐ削除」 let through under clock-implausible: the admin said the clock is right.
  clockOverride: { ja: '時計を確かめて実行', en: 'Run with clock confirmed' },
  // login.locked and staff.login-failed / staff.locked for a name or JSA-ID with nothing behind it.
  account: { ja: '登録のあるアカウント', en: 'Registered account' },
  knownUser: { ja: '登録のあるユーザー', en: 'Registered user' },
  // inquiry.approved over a 'refuse' verdict (its reason is in inquiry.override).
  override: { ja: '不一致のまま承認', en: 'Approved despite mismatch' },
  // ops.test-mail: whether the relay took the mail, else its code (as 初期設定 shows it).
  ok: { ja: '送信できた', en: 'Sent' },
  error: { ja: 'エラーコード', en: 'Error code' },
  // audit.exported: this counter's log or every counter's (fleet).
  scope: { ja: '範囲', en: 'Scope' },
  // sync.pull-refused: why the local store refused central's row (syncRefusalLabels).
  refusal: { ja: '理由', en: 'Reason' },
};

/**
 * The `reason` codes the counter itself writes (login.unlocked, demo-data.removed); a reason a
 * person typed (a lock lifted, an override) is not in it and is shown as typed.
 */
export const auditReasonLabels: Record<string, Label> = {
  'password-registered': { ja: 'パスワードを登録したため', en: 'A password was registered' },
  import: { ja: 'アカウントの取り込み', en: 'Account import' },
  sync: { ja: '中央との同期', en: 'Sync with central' },
  admin: { ja: '管理者の操作', en: "An administrator's action" },
  // accounts.import-failed: the run stopped because of the admin who started it (importEndReasons).
  'starter-disabled': { ja: '開始した管理者が無効になったため', en: 'The admin who started it was disabled' },
  'starter-not-admin': { ja: '開始したユーザーが管理者でなくなったため', en: 'The user who started it is no longer an admin' },
  'starter-logged-out': { ja: '開始した管理者のログインが終了したため', en: 'The login of the admin who started it ended' },
  'mail-code-closed': { ja: 'コードが取り消し・使用済み・期限切れ・新しい依頼への置き換えで使えなくなったため', en: 'The code was cancelled, used, expired or replaced by a newer request' },
};

/** Why this counter's store refused a row central sent (sync.pull-refused); SQLite's own sentence stays in main.log. */
export const syncRefusals = ['jsa-id-taken', 'duplicate', 'missing-reference', 'missing-value', 'invalid-value', 'store-unwritable', 'other'] as const;
export type SyncRefusal = (typeof syncRefusals)[number];

export const syncRefusalLabels: Record<SyncRefusal, Label> = {
  'jsa-id-taken': { ja: 'この端末でまだ中央に送っていない別のアカウントが、同じ JSA-ID を使っています', en: 'Another account on this counter, not yet sent to central, has the same JSA-ID' },
  duplicate: { ja: 'この端末の別のデータと重複しています', en: 'It duplicates other data on this counter' },
  'missing-reference': { ja: '関連するデータがこの端末にありません', en: 'Data it refers to is not on this counter' },
  'missing-value': { ja: '必要な値が空です', en: 'A required value is empty' },
  'invalid-value': { ja: 'この端末では受け付けられない値があります', en: 'It holds a value this counter does not accept' },
  'store-unwritable': { ja: 'この端末のデータに書き込めませんでした（ディスクの空き容量などを確認してください）', en: "This counter's data could not be written (check the free disk space, for example)" },
  other: { ja: 'この端末のデータベースが受け付けませんでした（詳細は main.log にあります）', en: "This counter's database did not accept it (details are in main.log)" },
};

/** An entry's subject in words where it is a code: a setting's key; anything else as stored. */
export const auditSubjectLabel = (action: string, subject: string, locale: LabelLocale): string =>
  action === 'settings.changed' ? codeLabel(settingLabels, subject, locale) : subject;

/** 氏名（ユーザー名） in Japanese, `Name (username)` in English: an English screen has no full-width brackets of ours. */
export const nameWithCode = (name: string, code: string, locale: LabelLocale): string => (locale === 'en' ? `${name} (${code})` : `${name}（${code}）`);

export const codeLabel = (table: Record<string, Label>, code: string, locale: LabelLocale): string => table[code]?.[locale] ?? code;
