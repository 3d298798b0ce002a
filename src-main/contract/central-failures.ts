/**
 * Why central could not be used, as the staff screens word it: a driver's or the network's
 * code (services/ops/probes.ts `probeError`) sorted into what a clerk or an administrator can
 * act on. The code itself is shown beside the words, for support.
 */
export const centralFailureKinds = ['refused', 'host', 'unreachable', 'lost', 'auth', 'tls', 'database', 'read-only', 'permission', 'schema', 'code-key', 'identity', 'clock', 'other'] as const;
export type CentralFailureKind = (typeof centralFailureKinds)[number];

export function centralFailureKind(code: string | null | undefined): CentralFailureKind {
  if (!code) return 'other';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host';
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'unreachable';
  if (code === 'ECONNRESET' || code === 'EPIPE' || /^(08|57P)/.test(code)) return 'lost';
  if (/^28/.test(code)) return 'auth';
  // OpenSSL's verification codes, as Node names them (UNABLE_TO_VERIFY_LEAF_SIGNATURE, …).
  if (/CERT|TLS|SSL|SIGNATURE|ISSUER|HOSTNAME_MISMATCH/.test(code)) return 'tls';
  if (code === '3D000') return 'database';
  // Central answers but will not take a write (a standby, a database set read-only): the outbox waits.
  if (code === '25006') return 'read-only';
  // The role is not in webdesk_kiosk, or the store's client id was registered by another role (a copied store).
  if (code === '42501') return 'permission';
  // A function, table or column the counter calls is missing: central is at another migration than this counter.
  if (code === '42883' || code === '42P01' || code === '42703') return 'schema';
  if (code === 'CODE_KEY_MISMATCH') return 'code-key';
  // Another installation (a copy of this store on a second PC or folder) pushes under this counter's identity (central 0017).
  if (code === 'WD002') return 'identity';
  // This counter's clock is far behind central's: its changes wait (sync-engine PUSH_CLOCK_BEHIND_MS).
  if (code === 'CLOCK_BEHIND') return 'clock';
  return 'other';
}

/**
 * A counter refused as another installation (WD002), with the way out, in the two languages:
 * 診断情報 and /health name it so (ops-messages.ts spreads these), and `npm run sync -- --status`
 * says the same sentence where no screen is in between.
 */
export const otherInstallationProblem = {
  ja: '中央データベースがこの PC からの送信を受け付けていません（別の PC がこの窓口として同期しています）。この PC を使い続ける場合は、管理者が「同期の状態」の「この端末で同期を引き継ぐ」を押してください',
  en: 'The central database refuses this PC’s changes (another PC syncs as this counter). If this PC is the one that stays, an administrator presses “Take over sync on this PC” on Sync status',
} as const;
