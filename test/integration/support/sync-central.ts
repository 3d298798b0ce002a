// Central PostgreSQL for sync tests: the real server from postgres.ts, migrated, with one
// login role per kiosk in the `webdesk_kiosk` group (what docs/operations-sync.md sets up).
import pg from 'pg';
import { migrateCentral } from '../../../src-main/store/central-migrations';
import { startPostgres, type PostgresServer } from '../../support/postgres';

export interface Central {
  server: PostgresServer;
  /** Superuser URL (operator). */
  url: string;
  /** A kiosk's URL, logging in as its own role (created on first use). */
  kioskUrl(role: string, port?: number): Promise<string>;
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  client(): Promise<pg.Client>;
  stop(): Promise<void>;
}

export async function startCentral(): Promise<Central> {
  const server = await startPostgres();
  await migrateCentral(server.url);
  const admin = new pg.Client({ connectionString: server.url });
  // A test may stop the server under it (server.halt); the session's end is not an error then.
  admin.on('error', () => undefined);
  await admin.connect();
  const roles = new Set<string>();
  return {
    server,
    url: server.url,
    async kioskUrl(role, port) {
      if (!roles.has(role)) {
        await admin.query(`CREATE ROLE ${role} LOGIN IN ROLE webdesk_kiosk`);
        roles.add(role);
      }
      return `postgres://${role}@127.0.0.1:${port ?? server.port}/postgres`;
    },
    async query(sql, params) {
      return (await admin.query(sql, params)).rows;
    },
    async client() {
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      return c;
    },
    async stop() {
      await admin.end().catch(() => undefined);
      await server.stop();
    },
  };
}

/**
 * `n` synthetic accounts straight into central, by SQL. With `quiet` the change-log triggers
 * are skipped (session_replication_role = replica): for bulk data that kiosks get by first sync.
 */
export async function seedCentralAccounts(central: Central, n: number, options: { quiet?: boolean; prefix?: string } = {}): Promise<void> {
  const c = await central.client();
  try {
    if (options.quiet) await c.query(`SET session_replication_role = replica`);
    const prefix = options.prefix ?? '8';
    await c.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, department, address, phone, password_hash, version, created_at, updated_at)
       SELECT '0190a000-0000-7000-8' || $2 || '00-' || lpad(to_hex(g), 12, '0'),
              $2 || lpad(g::text, 10, '0'), 'user' || g || '@example.jp', 'user' || g || '@example.jp',
              '佐藤 ' || g, '株式会社サンプル' || (g % 97), '総務部', '東京都千代田区' || (g % 9 + 1) || '丁目', '03-0000-' || lpad((g % 10000)::text, 4, '0'),
              NULL, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
         FROM generate_series(1, $1::int) g`,
      [n, prefix],
    );
  } finally {
    await c.end();
  }
}
