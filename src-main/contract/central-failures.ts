/**
 * Why central could not be used, as the staff screens word it: a driver's or the network's
 * code (services/ops/probes.ts `probeError`) sorted into what a clerk or an administrator can
 * act on. The code itself is shown beside the words, for support.
 */
export const centralFailureKinds = ['refused', 'host', 'unreachable', 'lost', 'auth', 'tls', 'database', 'code-key', 'other'] as const;
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
  if (code === 'CODE_KEY_MISMATCH') return 'code-key';
  return 'other';
}
