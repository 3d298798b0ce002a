import type { Messages } from './message-shape';

/**
 * Accepting a cut counter log on 同期の状態 (issue 14, audit trail at central). Kept apart
 * from ja.ts/en.ts; spread into `staff` as `auditGap`.
 */
export const auditGapJa = {
  stateAccepted: '記録の欠落（承認済み）',
  acceptedHeading: '承認済みの欠落',
  acceptedItem: '{{kiosk}}：{{range}} — {{by}} が {{time}} に承認（{{at}} で、データベースのログイン {{role}}）。理由：{{reason}}',
  range: '{{from}}〜{{to}} 番',
  formHeading: '{{kiosk}} の記録の欠落を承認する',
  formLead:
    '中央データベースには {{kiosk}} の記録が {{held}} 番まで届いていますが、窓口の記録はその一部が削除されています。調べた結果、説明がつく場合（例：端末の故障による復元）だけ、理由を記録して承認してください。承認した欠落は記録に残り、以後の確認では「承認済み」と表示されます。承認の後に新たな欠落が生じた場合は、再び表示されます。',
  reason: '承認の理由（調べた内容）',
  reasonHint: '500 文字まで。だれが何を調べたかを書いてください。',
  accept: '欠落を承認する',
  confirmTitle: '{{kiosk}} の記録の欠落を承認しますか？',
  confirmBody: '承認は取り消せません。承認した管理者、日時、理由が中央データベースに記録されます。',
  confirm: '承認する',
  accepted: '{{kiosk}} の {{range}}の欠落を承認しました。',
  notAcceptable: '{{kiosk}} の記録は削除ではなく書き換えられているため、承認できません。窓口を新しいデータフォルダで参加させてください。',
};

export const auditGapEn: Messages<typeof auditGapJa> = {
  stateAccepted: 'Entries missing (accepted)',
  acceptedHeading: 'Accepted gaps',
  acceptedItem: '{{kiosk}}: {{range}} — accepted by {{by}} at {{time}} (at {{at}}, database login {{role}}). Reason: {{reason}}',
  range: 'nos. {{from}}–{{to}}',
  formHeading: 'Accept the missing entries of {{kiosk}}',
  formLead:
    'Central holds the entries of {{kiosk}} up to no. {{held}}, but some of them were removed from the counter’s own log. Accept this only when your investigation explains it (for example, a restore after a hardware failure), and record why. An accepted gap stays in the record and is shown as accepted by every later check; a new gap after it is shown again.',
  reason: 'Reason for accepting (what you investigated)',
  reasonHint: 'Up to 500 characters. Say who checked what.',
  accept: 'Accept missing entries',
  confirmTitle: 'Accept the missing entries of {{kiosk}}?',
  confirmBody: 'This cannot be undone. The administrator, time and reason are recorded in the central database.',
  confirm: 'Accept',
  accepted: 'Accepted the missing {{range}} of {{kiosk}}.',
  notAcceptable: 'The log of {{kiosk}} was rewritten, not only shortened, so this cannot be accepted. Have the counter join again with a new data folder.',
};
