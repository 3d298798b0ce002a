// `npm run sync -- --follow` as an operator watches it through an outage: one line when the
// counter goes offline (since when, and why as a code and the driver's words), one when it is
// back; Ctrl+C ends it cleanly.
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherInstallationProblem } from '../../../src-main/contract/central-failures';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { runCli } from '../../support/cli-bundle';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';

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

  it('words a refusal as another installation as --status does, in Japanese and English, not as central’s raw WD002', async () => {
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at)
       VALUES ('0190a000-0000-7000-8000-00000000f001', '77777777777', 'follow@example.co.jp', 'follow@example.co.jp', '追 一', '株式会社追', 1, $1, $1)`,
      ['2026-01-01T00:00:00.000Z'],
    );
    const url = await central.kioskUrl('kiosk_copied');
    const [firstDir, copyDir] = [join(dir.path, 'first'), join(dir.path, 'copy')];
    const env = { WEBDESK_CENTRAL_URL: url, WEBDESK_KIOSK_ID: 'kiosk-copied', WEBDESK_LOG_LEVEL: 'silent' };
    // A counter, then a copy of its folder (a restore on a second PC) with a change of its own waiting.
    const first = await startKiosk({ dataDir: firstDir, kioskId: 'kiosk-copied', centralUrl: url });
    try {
      await waitOnline(first);
      await waitPushed(first);
    } finally {
      await first.close();
    }
    await cp(firstDir, copyDir, { recursive: true });
    const copy = await startKiosk({ dataDir: copyDir, kioskId: 'kiosk-copied', centralUrl: url, startSync: false });
    try {
      const account = await findAccountByJsaId(copy.db, '77777777777');
      await updateAccount(copy.db, account!.id, { department: '複製の部署' }, '2026-01-05T00:00:00.000Z');
    } finally {
      await copy.close();
    }

    const run = await runCli(['sync', '--follow'], { ...env, WEBDESK_DATA_DIR: copyDir });
    try {
      const offline = await run.line(/^sync: offline since /);
      expect(offline).toMatch(/^sync: offline since \S+ \(WD002\)$/);
      await run.line(/^sync: 中央データベースが/);
    } finally {
      run.child.kill('SIGINT');
    }
    expect((await run.exited).code).toBe(0);
    const worded = `sync: ${otherInstallationProblem.ja} / ${otherInstallationProblem.en} (here: npm run sync -- --take-over)`;
    expect(run.output().split('\n')).toContain(worded);
    expect(run.output()).not.toMatch(/pushes from another installation/);

    const status = await runCli(['sync', '--status'], { ...env, WEBDESK_DATA_DIR: copyDir });
    expect((await status.exited).code).toBe(0);
    expect(status.output().split('\n')).toContain(worded.slice('sync: '.length));
  }, 120_000);

  it('--status says whether a counter app syncs this data folder, not the state of its own engine that never ran', async () => {
    const url = await central.kioskUrl('kiosk_status');
    const dataDir = join(dir.path, 'status');
    const env = { WEBDESK_DATA_DIR: dataDir, WEBDESK_CENTRAL_URL: url, WEBDESK_KIOSK_ID: 'kiosk-status', WEBDESK_LOG_LEVEL: 'silent' };
    const firstLine = async () => {
      const run = await runCli(['sync', '--status'], env);
      expect((await run.exited).code).toBe(0);
      return run.output().split('\n')[0];
    };
    const app = await startKiosk({ dataDir, kioskId: 'kiosk-status', centralUrl: url });
    try {
      await waitOnline(app);
      // The app here is this test's process: app.pid names it.
      expect(await firstLine()).toMatch(new RegExp(`^kiosk kiosk-status \\(client [0-9a-f-]{36}\\): synced by the counter app \\(pid ${process.pid}\\)$`));
    } finally {
      await app.close();
    }
    expect(await firstLine()).toMatch(/^kiosk kiosk-status \(client [0-9a-f-]{36}\): not syncing now \(no counter app runs on this data folder\)$/);
  }, 120_000);
});
