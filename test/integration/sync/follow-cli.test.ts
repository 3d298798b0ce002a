// `npm run sync -- --follow` as an operator watches it through an outage: one line when the
// counter goes offline (since when, and why as a code and the driver's words), one when it is
// back; Ctrl+C ends it cleanly.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli-bundle';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { startCentral, type Central } from '../support/sync-central';

describe('sync --follow', () => {
  let central: Central;
  let proxy: TcpProxy;
  let dir: TempDir;
  beforeAll(async () => {
    central = await startCentral();
    proxy = await startTcpProxy(central.server.port);
    dir = await makeTempDir('webdesk-follow-');
  });
  afterAll(async () => {
    await proxy?.close();
    await central?.stop();
    await dir?.remove();
  });

  it('says when the counter goes offline and why, and when it is back', async () => {
    const url = proxy.via(await central.kioskUrl('kiosk_follow'));
    const run = await runCli(['sync', '--follow'], { WEBDESK_DATA_DIR: join(dir.path, 'data'), WEBDESK_CENTRAL_URL: url, WEBDESK_KIOSK_ID: 'kiosk-follow', WEBDESK_LOG_LEVEL: 'silent' });
    try {
      await run.line(/^sync: online$/);
      proxy.cut();
      const offline = await run.line(/^sync: offline since /);
      expect(offline).toMatch(/^sync: offline since \d{4}-\d\d-\d\dT[\d:.]+Z \((ECONNREFUSED|ECONNRESET): .+\)$/);
      proxy.restore();
      await waitFor(async () => (run.output().split('\n').filter((l) => l === 'sync: online').length === 2 ? true : undefined), { what: 'online again', timeoutMs: 60_000 });
    } finally {
      run.child.kill('SIGINT');
    }
    expect((await run.exited).code).toBe(0);
  }, 120_000);
});
