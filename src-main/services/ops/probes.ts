import nodemailer from 'nodemailer';
import pg from 'pg';
import { centralClientConfig } from '../../store/central-client-config';

export interface ProbeError {
  code: string;
  responseCode?: number;
  noGreeting?: true;
}

/**
 * A driver's error as a stable code only. Messages can carry host names, user names or
 * (for some drivers) parts of the URL, so they never leave this function.
 */
export function probeError(error: unknown): ProbeError {
  const e = error as { code?: unknown; originalCode?: unknown; responseCode?: unknown; message?: unknown; timeoutType?: unknown };
  const stable = (value: unknown) => (typeof value === 'string' && /^[A-Z0-9_]{2,40}$/.test(value) ? value : undefined);
  // nodemailer wraps the socket's failure as ESOCKET or EDNS and keeps its code (ECONNREFUSED,
  // ENOTFOUND, ERR_SSL_WRONG_VERSION_NUMBER) in originalCode: that one says what to fix.
  let code = stable(e?.originalCode) ?? stable(e?.code);
  if (!code && typeof e?.message === 'string' && /timeout|timed out/i.test(e.message)) code = 'ETIMEDOUT';
  // node-postgres says a session broke in words only.
  if (!code && typeof e?.message === 'string' && /Connection terminated|not queryable|connection error/i.test(e.message)) code = 'ECONNRESET';
  return {
    code: code ?? 'UNKNOWN',
    ...(typeof e?.responseCode === 'number' ? { responseCode: e.responseCode } : {}),
    // nodemailer's own mark: the connection stood, the relay said nothing (it waits for TLS first).
    ...(e?.timeoutType === 'GREETING_TIMEOUT' ? { noGreeting: true as const } : {}),
  };
}

const PROBE_TIMEOUT_MS = 8_000;

/** 「テストメール送信」: one mail, straight through SMTP (not the outbox: this is not a customer's mail). */
export async function sendTestMail(options: { smtpUrl: string; from: string; to: string; kioskId: string; nowIso: string; timeoutMs?: number }) {
  const started = performance.now();
  // Every wait bounded: a relay that greets and then says nothing held the probe for minutes.
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  // The idle socket's limit is twice the greeting's: both start at connect, and a relay that
  // never greets must be named by the greeting timer (noGreeting), not by whichever of two
  // equal timers a busy machine happens to run first (then it read as 'unreachable').
  const transporter = nodemailer.createTransport({ url: options.smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: 2 * timeoutMs });
  try {
    const info = (await transporter.sendMail({
      from: options.from,
      to: options.to,
      subject: 'JSA Webdesk テストメール / test mail',
      text:
        `JSA Webdesk カウンター (${options.kioskId}) からのテストメールです。\n` +
        `This is a test mail from the JSA Webdesk counter ${options.kioskId}.\n${options.nowIso}\n`,
      textEncoding: 'base64',
    })) as { messageId?: string };
    return { ok: true, ms: Math.round(performance.now() - started), ...(info.messageId ? { messageId: info.messageId } : {}) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: probeError(error) };
  } finally {
    transporter.close();
  }
}

/**
 * 「接続テスト」 of the central database: connect, read the server version, whether the
 * connection is encrypted, and the newest central migration (knex_migrations) if the
 * database has been migrated.
 */
export async function testCentralDatabase(centralUrl: string) {
  const started = performance.now();
  // The counters' own settings: the password typed on 初期設定 goes to a central off this host
  // only over TLS with a certificate check, as it will when the counter syncs.
  const client = new pg.Client({ ...centralClientConfig(centralUrl, 'probe', 'setup'), connectionTimeoutMillis: PROBE_TIMEOUT_MS, statement_timeout: PROBE_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? 'unknown';
    const ssl = await client
      .query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')
      .then((r) => r.rows[0]?.ssl ?? false)
      .catch(() => undefined);
    // central-migrations.ts keeps its own table (knex_migrations_central); knex_migrations is
    // what a central migrated by plain knex would have.
    const table =
      (await client.query<{ t: string | null }>("SELECT coalesce(to_regclass('knex_migrations_central'), to_regclass('knex_migrations'))::text AS t")).rows[0]?.t ?? null;
    const schemaVersion = table
      ? ((await client.query<{ name: string }>(`SELECT name FROM ${table === 'knex_migrations_central' ? 'knex_migrations_central' : 'knex_migrations'} ORDER BY id DESC LIMIT 1`)).rows[0]?.name ?? null)
      : null;
    return { ok: true, ms: Math.round(performance.now() - started), serverVersion: version, schemaVersion, ...(ssl === undefined ? {} : { tls: ssl }) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: probeError(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}
