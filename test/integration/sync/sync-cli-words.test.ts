// `npm run sync` as an operator meets it when nothing goes to plan: a pass that cannot reach
// central ends in the owner's commands' one worded line, and --status promises no time left for
// a first sync nobody is running. No central is needed: a port nobody listens on is the outage.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli-bundle';
import { freePort } from '../../support/net';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

describe('sync on the command line, worded', () => {
  let dir: TempDir;
  let dataDir: string;
  let url: string;
  let port: number;
  beforeEach(async () => {
    dir = await makeTempDir('webdesk-sync-words-');
    dataDir = join(dir.path, 'data');
    port = await freePort();
    url = `postgres://kiosk_words:s3cret-pass@127.0.0.1:${port}/webdesk`;
  });
  afterEach(() => dir.remove());

  const run = async (...args: string[]) => {
    const cli = await runCli(['sync', ...args], { WEBDESK_DATA_DIR: dataDir, WEBDESK_CENTRAL_URL: url, WEBDESK_KIOSK_ID: 'kiosk-words', WEBDESK_LOG_LEVEL: 'silent' });
    return { code: (await cli.exited).code, lines: cli.output().trimEnd().split('\n') };
  };

  it('ends a pass that cannot reach central in one worded line, not the driver\'s "connect ECONNREFUSED" and a status dump', async () => {
    const result = await run();
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      `sync: 中央データベースを使えません / cannot use the central database at 127.0.0.1:${port}: connection refused (is PostgreSQL running and listening there?); what this pass had committed stays, and the next sync goes on from there`,
    ]);
  }, 120_000);
});
