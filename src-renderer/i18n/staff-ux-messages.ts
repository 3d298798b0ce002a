import type { Messages } from './message-shape';

/**
 * Staff tools in the counter's language (issue 16): the grouped side navigation, refusals in
 * staff wording, the audit log in words, empty states that say what to do. A namespace of its
 * own (`staffUx`) so ja.ts/en.ts change by one line each. Codes (audit actions, mail kinds,
 * actor kinds) are not here: they are in the one label table, src-main/contract/code-labels.ts.
 */
export const staffUxJa = {
  nav: {
    label: 'スタッフツールのメニュー',
    menu: 'メニュー',
    groups: { reception: '受付', manage: '管理', configure: '設定' },
  },
  session: '{{duration}}操作がないと自動的にログアウトします。',
  // Between two items on one line, and a label before its value: the language's punctuation.
  separator: ' ／ ',
  labelled: '{{label}}：{{value}}',
  aside: '（{{text}}）',
  sessionLost: 'ログインの有効期限が切れました。保存されていない変更は反映されていません。もう一度ログインしてください。',
  idle: {
    title: 'まもなくログインの有効期限が切れます',
    body: 'しばらく操作がありません。あと {{seconds}} 秒でログインの有効期限が切れ、保存していない変更は反映されなくなります。「続ける」を押すと、ログインしたまま続けられます。',
    continue: '続ける',
  },
  errors: {
    RESET_LOCKED: 'このアカウントは、コードの間違いが続いたため、パスワード再設定を停止しています。お客様の本人確認を済ませてから、下の「パスワード再設定の停止を解除」で解除し（責任者以上）、もう一度送信してください。',
    LOGIN_LOCKED: 'ログインの失敗が続いたため、このユーザーはロックされています。管理者に「ロック解除」を依頼してください。',
    PASSWORD_CHANGE_REQUIRED: 'パスワードの変更が必要です。新しいパスワードを設定してから、もう一度お試しください。',
    NOT_FOUND: '見つかりませんでした。ほかの画面で削除されたか、変更された可能性があります。一覧に戻って、もう一度探してください。',
    INTERNAL: '問題が発生しました。もう一度お試しください。続くときは、管理者に「診断情報」を確認してもらってください。',
    UNKNOWN_CALL: '問題が発生しました。画面を再読み込みしてから、もう一度お試しください。',
    BAD_ORIGIN: '問題が発生しました。画面を再読み込みしてから、もう一度お試しください。',
    BAD_REQUEST: '問題が発生しました。画面を再読み込みしてから、もう一度お試しください。',
  },
  forbidden: {
    role: 'この操作は{{role}}が行います。{{role}}に依頼してください。',
    unknown: 'この操作を行う権限がありません。責任者に確認してください。',
  },
  needsRole: '{{action}}は{{role}}が行います。必要なときは{{role}}に依頼してください。',
  roleAtLeast: {
    agent: '窓口担当',
    supervisor: '責任者',
    admin: '管理者',
  },
  search: {
    slashHint: '「/」キーで、どの画面からでもこの検索欄に移れます。',
    start: 'JSA-ID、メールアドレス、氏名、会社名、電話番号のどれかを入力して「検索」を押してください。',
    empty: '該当するアカウントはありません。入力を短くする（姓だけ、電話番号の下 4 桁など）か、「検索する項目」を「すべて」にしてもう一度検索してください。',
  },
  empty: {
    inquiries: 'この状態の依頼はありません。「状態」を切り替えると、ほかの依頼を表示します。',
    outbox: 'この状態のメールはありません。「状態」を「すべて」にすると、送信済みのメールも表示します。',
    audit: '条件に合う記録はありません。絞り込みの条件を減らすか、期間を広げてから「絞り込む」を押してください。',
    requests: 'パスワード再設定の依頼はまだありません。お客様の代わりに送るときは、上の「再設定メールを送る」を使います。',
    history: 'このアカウントの記録はまだありません。',
    users: 'スタッフはまだいません。上の欄に入力して「追加する」を押してください。',
    backups: 'バックアップはまだありません。毎日自動で作成されます。すぐに必要なときは、管理者が「今すぐバックアップ」で作成します。',
  },
  audit: {
    lead: '誰が、いつ、何をしたかの記録です。記録は書き換えられず、ハッシュの連鎖で改ざんを確かめられます。',
    filters: '絞り込み',
    actor: '実行者',
    actorAll: 'すべての実行者',
    actorOthers: 'スタッフ以外',
    actorName: '実行者の氏名・ユーザー名',
    actorNameHint: '一部でも構いません（例：佐藤、sato）。',
    action: '操作',
    actionAll: 'すべての操作',
    subjectHint: 'JSA-ID（11 桁）など',
    disabled: '（無効）',
    pathSeparator: '・',
    listSeparator: '、',
    detailLabel: '{{label}}：',
    unknownStaff: '不明なスタッフ（{{id}}）',
    noDetail: '—',
    yes: 'はい',
    no: 'いいえ',
    actions: 'ログの操作',
  },
  outbox: {
    retryNeedsRole: 'メールの再送信は責任者が行います。',
  },
  account: {
    unlockNeedsRole: '停止の解除は責任者が行います。お客様の本人確認を済ませ、責任者に依頼してください。',
  },
  inquiries: {
    headingWithReference: '本人確認の依頼：{{reference}}',
    overrideNeedsRole: 'ご住所または会社名が異なるため、承認には責任者による例外承認が必要です。責任者に依頼するか、理由を選んでお断りしてください。',
  },
} as const;

export const staffUxEn: Messages<typeof staffUxJa> = {
  nav: {
    label: 'Staff tools menu',
    menu: 'Menu',
    groups: { reception: 'Counter', manage: 'Monitoring', configure: 'Configuration' },
  },
  session: 'You are logged out after {{duration}} without activity.',
  separator: ' / ',
  labelled: '{{label}}: {{value}}',
  aside: ' ({{text}})',
  sessionLost: 'Your login has expired. Changes that were not saved have not been applied. Please log in again.',
  idle: {
    title: 'Your login is about to expire',
    body: 'There has been no activity for a while. In {{seconds}} seconds your login expires and changes you have not saved will not be applied. Press “Continue” to stay logged in.',
    continue: 'Continue',
  },
  errors: {
    RESET_LOCKED: 'Password reset for this account is paused after repeated wrong codes. Check the customer’s identity, lift it with “Unlock password reset” below (supervisor or above), then send again.',
    LOGIN_LOCKED: 'This user is locked after repeated failed logins. Ask an admin to unlock it.',
    PASSWORD_CHANGE_REQUIRED: 'You need to change your password. Set a new one, then try again.',
    NOT_FOUND: 'Not found: it may have been removed or changed on another screen. Go back to the list and look for it again.',
    INTERNAL: 'Something went wrong. Please try again; if it goes on, ask an admin to check “Diagnostics”.',
    UNKNOWN_CALL: 'Something went wrong. Reload the screen and try again.',
    BAD_ORIGIN: 'Something went wrong. Reload the screen and try again.',
    BAD_REQUEST: 'Something went wrong. Reload the screen and try again.',
  },
  forbidden: {
    role: 'This is done by a {{role}}. Please ask a {{role}}.',
    unknown: 'You may not do this. Please check with a supervisor.',
  },
  needsRole: '{{action}} is done by a {{role}}. Ask a {{role}} when it is needed.',
  roleAtLeast: {
    agent: 'counter agent',
    supervisor: 'supervisor',
    admin: 'administrator',
  },
  search: {
    slashHint: 'Press “/” on any screen to come back to this search field.',
    start: 'Enter a JSA-ID, e-mail address, name, company or phone number and press “Search”.',
    empty: 'No account matches. Shorten the search (family name only, the last 4 digits of the phone) or set “Search in” to “All”, then search again.',
  },
  empty: {
    inquiries: 'No requests in this state. Change “Status” to see the others.',
    outbox: 'No mail in this state. Set “State” to “All” to see sent mail too.',
    audit: 'No entries match. Remove a filter or widen the dates, then press “Filter”.',
    requests: 'No password reset requests yet. To send one for the customer, use “Send reset mail” above.',
    history: 'No entries for this account yet.',
    users: 'No staff users yet. Fill in the fields above and press “Add”.',
    backups: 'No backups yet. One is taken every day; when one is needed now, an administrator uses “Back up now”.',
  },
  audit: {
    lead: 'Who did what, and when. Entries cannot be changed; the hash chain shows whether anyone tampered with them.',
    filters: 'Filters',
    actor: 'Done by',
    actorAll: 'Everyone',
    actorOthers: 'Not staff',
    actorName: 'Name or user name of who did it',
    actorNameHint: 'Part of it is enough (e.g. Sato, sato).',
    action: 'Action',
    actionAll: 'All actions',
    subjectHint: 'A JSA-ID (11 digits), for example',
    disabled: ' (disabled)',
    pathSeparator: ' / ',
    listSeparator: ', ',
    detailLabel: '{{label}}:',
    unknownStaff: 'Unknown staff user ({{id}})',
    noDetail: '—',
    yes: 'yes',
    no: 'no',
    actions: 'Log tools',
  },
  outbox: {
    retryNeedsRole: 'Retrying a mail is done by a supervisor.',
  },
  account: {
    unlockNeedsRole: 'Lifting a lock is done by a supervisor. Check the customer’s identity, then ask a supervisor.',
  },
  inquiries: {
    headingWithReference: 'Identity checks: {{reference}}',
    overrideNeedsRole: 'The address or company differs, so approving needs a supervisor’s override. Ask a supervisor, or choose a reason and refuse.',
  },
};
