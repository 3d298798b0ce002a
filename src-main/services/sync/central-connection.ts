import pg from 'pg';
import { centralClientConfig } from '../../store/central-client-config';

export { centralClientConfig };

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

/**
 * The installation's name as a session setting from the connection's start (central 0017
 * reads `webdesk.instance` where a push records itself). Hex only, so it needs no quoting.
 */
export function instanceSetting(instance: string | null | undefined): Partial<pg.ClientConfig> {
  return instance && /^[0-9a-f]{1,64}$/.test(instance) ? { options: `-c webdesk.instance=${instance}` } : {};
}

/** PostgreSQL SQLSTATE of a failed query, when there is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
