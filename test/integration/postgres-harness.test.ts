// Proves the machine can run the central-database tests: a throwaway PostgreSQL starts,
// answers over TCP on loopback, and stops (DESIGN §8).
import { createServer, type AddressInfo } from 'node:net';
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

  it('serves on a port of its own when the ports it tries first are taken, and never reports another server as its own', async () => {
    // The race of a port chosen, let go and bound later, forced: another program listens on the
    // first port tried, and the running test server (claimed) is on the second.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    const second = await startPostgres([], { ports: [taken, server.port, ...Array.from({ length: 20 }, (_, i) => 29_000 + i)] });
    try {
      expect([taken, server.port]).not.toContain(second.port);
      const dataDir = async (url: string): Promise<string> => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
        } finally {
          await client.end();
        }
      };
      expect(await dataDir(second.url)).not.toBe(await dataDir(server.url));
    } finally {
      await second.stop();
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('is gone after stop()', async () => {
    await server.stop();
    const client = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2_000 });
    await expect(client.connect()).rejects.toThrow(/ECONNREFUSED/);
  });
});
