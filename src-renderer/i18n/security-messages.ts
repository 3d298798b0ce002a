import type { Messages } from './message-shape';

/**
 * Issue 13 (sessions and demo data) on the staff screens: a staff user's logins on
 * スタッフ管理 (ASVS 5.0 V7.4.5) and the demo accounts notice on the dashboard, 初期設定 and
 * 診断情報 (V6.3.2). Kept apart from ja.ts/en.ts as ops-messages.ts is; `staffSecurityJa` is
 * spread into `staff`, `demoProblemJa` into `staff.diagnostics.problemCodes`. The absolute
 * login lifetimes' words on 設定 are the settings' own (contract/setting-labels.ts).
 */
export const staffSecurityJa = {
  userSessions: {
    show: 'ログイン状況',
    showFor: '{{name}} のログイン状況',
    heading: '{{name}} のログイン状況',
    lead: 'このユーザーがいまログインしている画面です。終了すると、その画面では次の操作からログインし直しが必要になります。操作は監査ログに記録されます。',
    caption: '{{name}} のログイン',
    loggedInAt: 'ログイン開始',
    lastSeenAt: '最後の操作',
    thisScreen: 'この画面',
    none: 'いまログインしている画面はありません。',
    end: 'このログインを終了',
    endAll: 'すべてのログインを終了',
    confirmTitle: 'ログインを終了しますか',
    confirmOne: '{{name}} のこのログインを終了します。',
    confirmAll: '{{name}} のすべてのログインを終了します。',
    ended: '{{count}} 件のログインを終了しました。',
    endedNone: 'ログインはすでに終了していたため、何も終了しませんでした（ほかの管理者の操作、ログアウトまたは時間切れ）。いまの状況を表示し直しました。',
    close: '閉じる',
  },
  demo: {
    title: 'デモデータが残っています',
    body: 'お試し用のアカウントが {{count}} 件あります。そのうち 1 件は README に載っているパスワードでログインできます。本番の運用を始める前に削除してください（最初のアカウント取り込みや中央データベースとの同期でも削除されます）。',
    remove: 'デモデータを削除',
    confirmTitle: 'デモデータを削除しますか',
    confirmBody: 'お試し用のアカウント {{count}} 件と、その依頼や履歴を削除します。元に戻すことはできません。',
    removed: 'デモデータ {{count}} 件を削除しました。',
    setupOnly: '管理者が「初期設定」から削除できます。',
  },
} as const;

export const demoProblemJa = {
  'demo-accounts': 'デモデータ（公開されたパスワードのアカウント）が残っています',
} as const;

export const staffSecurityEn: Messages<typeof staffSecurityJa> = {
  userSessions: {
    show: 'Logins',
    showFor: 'Logins of {{name}}',
    heading: 'Logins of {{name}}',
    lead: 'The screens where this user is logged in now. Ending a login means that screen asks for the login again at its next step. Recorded in the audit log.',
    caption: 'Logins of {{name}}',
    loggedInAt: 'Logged in',
    lastSeenAt: 'Last used',
    thisScreen: 'this screen',
    none: 'No screen is logged in as this user now.',
    end: 'End this login',
    endAll: 'End all logins',
    confirmTitle: 'End the login?',
    confirmOne: 'This login of {{name}} will end.',
    confirmAll: 'Every login of {{name}} will end.',
    ended: '{{count}} login(s) ended.',
    endedNone: 'Nothing was ended: the login had already ended (another admin, a logout or the idle time). The current logins are shown now.',
    close: 'Close',
  },
  demo: {
    title: 'Demo data is still here',
    body: 'There are {{count}} demo accounts; one of them logs in with the password printed in the README. Remove them before real use (the first account import or sync with the central database removes them too).',
    remove: 'Remove demo data',
    confirmTitle: 'Remove the demo data?',
    confirmBody: 'The {{count}} demo accounts and their requests and history will be deleted. This cannot be undone.',
    removed: '{{count}} demo accounts removed.',
    setupOnly: 'An admin can remove them on Initial setup.',
  },
};

export const demoProblemEn: Messages<typeof demoProblemJa> = {
  'demo-accounts': 'Demo data (accounts with a published password) is still in the store',
};
