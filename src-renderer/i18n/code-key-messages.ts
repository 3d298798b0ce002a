import type { Messages } from './message-shape';

/**
 * The code key on 同期の状態 (issue 14, DESIGN §7): which key this counter makes codes with, the
 * earlier ones it still checks, and a mismatch in plain words. Key ids only; a key is never
 * shown. Kept apart from ja.ts/en.ts (spread into `staff` as `codeKey`) to keep merges small.
 */
export const codeKeyJa = {
  heading: '変更権限コードの鍵',
  lead: '変更権限コードとリンクは、運用全体で共通の鍵で守られています。鍵は中央データベースから自動で受け取ります（手で写す必要はありません）。',
  state: '状態',
  states: {
    standalone: 'この端末の鍵（単独運用）',
    awaiting: '中央データベースから鍵をまだ受け取っていません',
    deployment: '中央データベースの鍵を使用中',
    mismatch: '鍵が一致しません',
  },
  awaitingLead: 'いま発行されるコードは、この端末でだけ使えます。中央データベースにつながると、自動で共通の鍵に切り替わります。',
  current: '使用中の鍵',
  previous: '以前の鍵（有効期限内のコードのために保持）',
  retiredLocal: 'この端末が単独運用だったときの鍵（その時に発行した手続きのためだけに保持）',
  receivedAt: '受け取った日時',
  none: 'なし',
  mismatchLead: 'お客様には「このお手続きは係員にお声がけください」と表示しています。',
  mismatchKinds: {
    'explicit-secret':
      'この端末に設定された WEBDESK_SECRET（鍵 {{keyId}}）は、運用の鍵ではありません。この端末は同期していません。WEBDESK_SECRET の設定を外すか（鍵は中央から自動で届きます）、中央で採用してください（npm run central:rotate-key）。',
    'unknown-key':
      '中央データベースにある手続きが、この端末の持たない鍵 {{keyId}} で作られています。その手続きのお客様には係員の対応が必要です。',
  },
} as const;

export const codeKeyEn: Messages<typeof codeKeyJa> = {
  heading: 'Code key',
  lead: 'Authorization codes and links are protected by one key shared across the deployment. This counter receives it from the central database by itself (nobody copies it by hand).',
  state: 'State',
  states: {
    standalone: "this counter's own key (standalone)",
    awaiting: 'not yet received from the central database',
    deployment: "the central database's key in use",
    mismatch: 'keys do not match',
  },
  awaitingLead: 'Codes issued now work at this counter only. Once the central database is reached, the counter switches to the shared key by itself.',
  current: 'Key in use',
  previous: 'Earlier keys (kept for codes that have not expired)',
  retiredLocal: "This counter's key from when it ran standalone (kept only for requests it made then)",
  receivedAt: 'Received at',
  none: 'none',
  mismatchLead: 'Customers are told: "Please ask a member of staff to help you with this procedure."',
  mismatchKinds: {
    'explicit-secret':
      "WEBDESK_SECRET set on this counter (key {{keyId}}) is not the deployment's key. This counter does not sync. Unset WEBDESK_SECRET (the key then arrives from central by itself), or adopt it at central (npm run central:rotate-key).",
    'unknown-key': 'A request held at the central database was made with key {{keyId}}, which this counter does not hold. Its customer needs help from staff.',
  },
};
