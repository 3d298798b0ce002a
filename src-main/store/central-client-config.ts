import knex, { type Knex } from 'knex';
import type pg from 'pg';

/**
 * Connection settings for central. TLS with a certificate check whenever central is not on
 * this host (DESIGN §7), unless the URL says otherwise with sslmode=…; loopback stays plain.
 */
export function centralClientConfig(url: string, purpose: string, kioskId: string): pg.ClientConfig {
  const parsed = new URL(url);
  const loopback = ['localhost', '127.0.0.1', '::1', '[::1]'].includes(parsed.hostname) || parsed.hostname.startsWith('/');
  const explicitSsl = parsed.searchParams.has('sslmode') || parsed.searchParams.has('ssl');
  return {
    connectionString: url,
    ...(loopback || explicitSsl ? {} : { ssl: { rejectUnauthorized: true } }),
    application_name: `webdesk-${purpose}-${kioskId}`.slice(0, 63),
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
    // A dead peer must not stall a push forever; the engine retries with backoff.
    query_timeout: 60_000,
  };
}

/**
 * A knex on central for the operator's commands (central-migrate, central-prune,
 * central-rotate-key, audit-verify --central), with the same settings as the counters'
 * connections: TLS with a certificate check off this host, a connect timeout, a name in
 * pg_stat_activity. knex's own console lines (a stack per failed connection attempt, "the
 * pool is probably full" for a server that does not answer) stay out of the operator's
 * terminal: the command says what went wrong in one line (`centralFailureText`).
 */
export function centralKnex(url: string, purpose: string, overrides: Partial<pg.ClientConfig> = {}): Knex {
  const quiet = () => undefined;
  return knex({
    client: 'pg',
    connection: { ...centralClientConfig(url, purpose, 'operator'), ...overrides } as Knex.PgConnectionConfig,
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 15_000,
    log: { warn: quiet, error: quiet, deprecate: quiet, debug: quiet },
  });
}

/**
 * Why central could not be used, in one line for an operator: where (host and port from the
 * URL, never its password) and what the server or the network said.
 */
export function centralFailureText(url: string, error: unknown): string {
  let where = 'WEBDESK_CENTRAL_URL';
  try {
    const parsed = new URL(url);
    where = `${parsed.hostname}:${parsed.port || '5432'}`;
  } catch {
    // A URL that does not parse was refused by the configuration already; keep the generic name.
  }
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const reason =
    e?.name === 'KnexTimeoutError'
      ? 'no answer within 15 s'
      : code === 'ECONNREFUSED'
        ? 'connection refused (is PostgreSQL running and listening there?)'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'host not found'
          : code === '28P01' || code === '28000'
            ? 'the role or its password was refused'
            : code === '3D000'
              ? 'no such database'
              : typeof e?.message === 'string'
                ? e.message.split('\n')[0]!.slice(0, 200)
                : String(error);
  return `中央データベースを使えません / cannot use the central database at ${where}: ${reason}${code && /^[0-9A-Z]{5}$/.test(code) ? ` (${code})` : ''}`;
}
