import type { Messages } from './message-shape';

/**
 * The fleet's audit trail at central (issue 14 item 6): the 「全窓口」 scope of 監査ログ and the
 * audit streams on 同期の状態. Kept apart from ja.ts/en.ts; spread into `staff` as `auditFleet`.
 */
export const auditFleetJa = {
  scope: '表示範囲',
  scopeLocal: 'この窓口',
  scopeFleet: '全窓口',
  tableCaption: '監査ログ（全窓口）',
  scopeFleetOff: '中央データベースに接続できないため、「全窓口」は表示できません。この窓口の記録だけを表示しています。',
  fleetLead: '中央データベースに届いた、すべての窓口の監査ログです。各窓口の記録は、その窓口から届いた順に保管されています。',
  kiosk: '窓口',
  kioskAll: 'すべての窓口',
  exported: '全窓口の {{rows}} 件を {{file}} として書き出しました。',
  truncated: '件数が多いため、古いものから {{rows}} 件だけを書き出しました。期間を絞ってください。',
  streams: {
    heading: '監査ログの送信状況',
    lead: '各窓口の監査ログが、中央データベースのどこまで届いているかを示します。「記録の欠落」「受け付けられない記録」は、窓口の記録が削除・変更された疑いがあります。管理者に連絡してください。',
    none: 'まだどの窓口からも監査ログが届いていません。',
    unavailable: '中央データベースに接続できないため、送信状況を表示できません。',
    kiosk: '窓口',
    thisCounter: '{{kiosk}}（この窓口）',
    held: '中央に届いた記録',
    heldValue: '{{seq}} 番まで（{{rows}} 件）',
    local: '窓口の記録',
    localValue: '{{seq}} 番まで',
    localUnknown: '不明',
    lastEntry: '最新の記録の日時',
    received: '中央が受け取った日時',
    state: '状態',
    states: {
      complete: 'すべて届いています',
      behind: '送信待ちあり',
      cut: '記録の欠落（窓口の記録が中央より短い）',
      refused: '受け付けられない記録あり',
    },
  },
};

export const auditFleetEn: Messages<typeof auditFleetJa> = {
  scope: 'Scope',
  scopeLocal: 'This counter',
  scopeFleet: 'All counters',
  tableCaption: 'Audit log (all counters)',
  scopeFleetOff: 'The central database cannot be reached, so "All counters" is not available. Showing this counter’s entries only.',
  fleetLead: 'The audit log of every counter as it reached the central database. Each counter’s entries are kept in the order they arrived from it.',
  kiosk: 'Counter',
  kioskAll: 'All counters',
  exported: 'Exported {{rows}} entries of all counters as {{file}}.',
  truncated: 'There were too many entries: only the oldest {{rows}} were exported. Narrow the dates.',
  streams: {
    heading: 'Audit log delivery',
    lead: 'How far each counter’s audit log has reached the central database. "Entries missing" or "Entries refused" mean the counter’s log may have been deleted from or changed: tell an administrator.',
    none: 'No counter has sent audit entries yet.',
    unavailable: 'The central database cannot be reached, so delivery cannot be shown.',
    kiosk: 'Counter',
    thisCounter: '{{kiosk}} (this counter)',
    held: 'At central',
    heldValue: 'up to no. {{seq}} ({{rows}} entries)',
    local: 'At the counter',
    localValue: 'up to no. {{seq}}',
    localUnknown: 'unknown',
    lastEntry: 'Newest entry',
    received: 'Received by central',
    state: 'State',
    states: {
      complete: 'All delivered',
      behind: 'Waiting to be sent',
      cut: 'Entries missing (the counter’s log is shorter than central’s)',
      refused: 'Entries refused',
    },
  },
};
