import pg from 'pg';

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

export async function connectCentral(url: string, purpose: string, kioskId: string, overrides: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
  const client = new pg.Client({ ...centralClientConfig(url, purpose, kioskId), ...overrides });
  // An 'error' event with no listener would crash the process; the engine watches `end`.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** PostgreSQL SQLSTATE of a failed query, when there is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
