// The schema owner's commands (central-migrate, central-prune, central-rotate-key,
// audit-verify --central) when central cannot be used: one line naming where and why, no
// driver stack, no knex advice, no password; exit 1. Asked for help, or given an option they do
// not have, they run nothing.
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrateCentral } from '../../../src-main/store/central-migrations';
import { runCli } from '../../support/cli-bundle';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

describe('owner commands against a central they cannot use', () => {
  let server: PostgresServer;
  let dir: TempDir;
  let closedPort: number;
  beforeAll(async () => {
    server = await startPostgres();
    dir = await makeTempDir('webdesk-owner-cli-');
    // A port with nobody listening: bind one, note it, close it.
    const probe: Server = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
  });
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  const run = async (args: string[], url: string) => {
    const cli = await runCli(args, { WEBDESK_DATA_DIR: join(dir.path, 'data'), WEBDESK_LOG_LEVEL: 'silent', WEBDESK_CENTRAL_URL: url });
    return { code: (await cli.exited).code, output: cli.output().trim() };
  };

  it('names the refused role, and a port nobody listens on, in one line each', async () => {
    const role = `postgres://nosuchrole:s3cret-pass@127.0.0.1:${server.port}/postgres`;
    for (const args of [['central-migrate'], ['central-prune'], ['central-rotate-key'], ['audit-verify', '--central']]) {
      const refused = await run(args, role);
      expect(refused.code, refused.output).toBe(1);
      expect(refused.output).toBe(`${args.join(' ')}: 中央データベースを使えません / cannot use the central database at 127.0.0.1:${server.port}: the role or its password was refused (28000)`);
    }
    const nobody = await run(['central-migrate'], `postgres://owner:s3cret-pass@127.0.0.1:${closedPort}/postgres`);
    expect(nobody).toEqual({ code: 1, output: `central-migrate: 中央データベースを使えません / cannot use the central database at 127.0.0.1:${closedPort}: connection refused (is PostgreSQL running and listening there?)` });
  }, 120_000);

  it('runs nothing when asked for --help or given an option it does not have: the key is not rotated, the log not pruned, no sync made', async () => {
    await migrateCentral(server.url);
    const currentKey = async () => {
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      try {
        return (await c.query<{ id: string }>(`SELECT id FROM code_keys WHERE superseded_at IS NULL`)).rows.map((r) => r.id);
      } finally {
        await c.end();
      }
    };
    const before = await currentKey();
    expect(before).toHaveLength(1);
    for (const args of [['central-rotate-key', '--help'], ['central-prune', '--help'], ['sync', '--help']]) {
      const asked = await run(args, server.url);
      expect(asked.code, asked.output).toBe(0);
      expect(asked.output).toMatch(/^usage: webdesk-cli <command>/);
    }
    for (const [args, option] of [
      [['central-rotate-key', '--dry-run'], '--dry-run'],
      [['central-prune', '--silent-days', '3', '--all'], '--all'],
      [['sync', '--stauts'], '--stauts'],
    ] as const) {
      const refused = await run([...args], server.url);
      expect(refused.code, refused.output).toBe(2);
      // The one refusal every command gives (cli-options.ts), before central is touched.
      expect(refused.output).toMatch(new RegExp(`^${args[0]}: ${option} というオプションはありません / unknown option ${option} \\(this command takes: `));
    }
    expect(await currentKey()).toEqual(before);
    // No sync ran: the data folder's store was never made by one.
    expect(await run(['sync', '--status'], server.url).then((r) => r.output)).toMatch(/first sync: not started/);
  }, 120_000);
});
