/**
 * Why 「テストメール送信」 failed, as the setup screen words it: nodemailer's or the network's
 * code (services/ops/probes.ts `probeError`, the socket's own code where nodemailer wraps it)
 * and the server's reply code, sorted into what the administrator has to fix on that screen.
 * The code itself is shown beside the words, for support.
 */
export const mailFailureKinds = ['refused', 'host', 'unreachable', 'noGreeting', 'auth', 'authRequired', 'tls', 'rejected', 'other'] as const;
export type MailFailureKind = (typeof mailFailureKinds)[number];

export function mailFailureKind(code: string | null | undefined, responseCode?: number, noGreeting?: boolean): MailFailureKind {
  // Connected, then no 220: a relay that waits for TLS first (smtp:// to 465), or no SMTP at that port.
  if (noGreeting === true) return 'noGreeting';
  if (code === 'EAUTH' || responseCode === 535 || responseCode === 534) return 'auth';
  // 530: the relay wants a login and none was given (a URL without a user name, or no password).
  if (responseCode === 530) return 'authRequired';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EDNS') return 'host';
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'unreachable';
  // OpenSSL's codes as Node names them (ERR_SSL_WRONG_VERSION_NUMBER: smtps:// to a plain port), certificates, STARTTLS.
  if (code && /SSL|TLS|CERT|SIGNATURE|ISSUER|HOSTNAME_MISMATCH/.test(code)) return 'tls';
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return 'rejected';
  return 'other';
}
