// Proves the machine can run the central-database tests: a throwaway PostgreSQL starts,
// answers over TCP on loopback, and stops (DESIGN §8).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/postgres';

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

describe('test PostgreSQL server', () => {
  it('accepts a connection on loopback and answers a query', async () => {
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const result = await client.query<{ one: number; encoding: string }>("select 1 as one, pg_encoding_to_char(encoding) as encoding from pg_database where datname = 'postgres'");
      expect(result.rows).toEqual([{ one: 1, encoding: 'UTF8' }]);
    } finally {
      await client.end();
    }
  });

  it('is gone after stop()', async () => {
    await server.stop();
    const client = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2_000 });
    await expect(client.connect()).rejects.toThrow(/ECONNREFUSED/);
  });
});
