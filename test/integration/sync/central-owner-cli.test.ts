// The schema owner's commands (central-migrate, central-prune, central-rotate-key,
// audit-verify --central) when central cannot be used: one line naming where and why, no
// driver stack, no knex advice, no password; exit 1.
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
