// `npm run sync` as an operator meets it when nothing goes to plan: a pass that cannot reach
// central ends in the owner's commands' one worded line, and --status promises no time left for
// a first sync nobody is running. No central is needed: a port nobody listens on is the outage.
import { mkdir } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimPidFile, releasePidFile } from '../../../src-main/app/app-pid';
import { storeFile } from '../../../src-main/app/data-dir';
import { openDatabase } from '../../../src-main/store/database';
import { migrateLocal } from '../../../src-main/store/migrations';
import { writeSyncState, type SyncStateRow } from '../../../src-main/store/sync-state-repo';
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

  /** A store whose first sync stopped part-way (Ctrl-C, a power cut) after measuring its rate. */
  const storeWithFirstSync = async (state: Partial<SyncStateRow>) => {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const db = openDatabase(storeFile(dataDir));
    try {
      await migrateLocal(db);
      await writeSyncState(db, { client_id: '0190a000-0000-7000-8000-0000000000aa', first_sync: 'paging', first_sync_table: 'accounts', first_sync_rows: 4000, first_sync_total: 10000, first_sync_rate: 150, first_sync_started_at: '2026-12-01T09:00:00.000Z', ...state });
    } finally {
      await db.destroy();
    }
  };

  it('ends a pass that cannot reach central in one worded line, not the driver\'s "connect ECONNREFUSED" and a status dump', async () => {
    const result = await run();
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      `sync: 中央データベースを使えません / cannot use the central database at 127.0.0.1:${port}: connection refused (is PostgreSQL running and listening there?); what this pass had committed stays, and the next sync goes on from there`,
    ]);
  }, 120_000);

  it('ends a pass stopped by Ctrl-C in one line saying what stays, not silently', async () => {
    // A central that takes the connection and never answers: the pass is surely under way.
    const held: Socket[] = [];
    let connected!: () => void;
    const connection = new Promise<void>((resolve) => (connected = resolve));
    const silent: Server = createServer((socket) => {
      held.push(socket);
      connected();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    url = `postgres://kiosk_words:s3cret-pass@127.0.0.1:${(silent.address() as { port: number }).port}/webdesk`;
    try {
      const cli = await runCli(['sync'], { WEBDESK_DATA_DIR: dataDir, WEBDESK_CENTRAL_URL: url, WEBDESK_KIOSK_ID: 'kiosk-words', WEBDESK_LOG_LEVEL: 'silent' });
      await connection;
      cli.child.kill('SIGINT');
      expect((await cli.exited).code, cli.output()).toBe(130);
      expect(cli.output().trimEnd().split('\n')).toEqual(['sync: 中断しました / interrupted (Ctrl-C) before it finished; what it had committed stays; npm run sync goes on from there']);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 120_000);

  it('--status promises no time left for a first sync nobody runs, and says how it goes on', async () => {
    await storeWithFirstSync({});
    const paused = await run('--status');
    expect(paused.code).toBe(0);
    expect(paused.lines).toContain('first sync: 4000/10000 rows (accounts), 150 rows/s; paused: nobody syncs it now (npm run sync, or the counter app once started, goes on from here)');
    expect(paused.lines.join('\n')).not.toMatch(/s left/);
  }, 120_000);

  it('--status promises no time left while the counter app that runs the first sync is offline', async () => {
    await storeWithFirstSync({ first_sync: 'indexing', first_sync_copied_at: '2026-12-01T09:01:00.000Z', first_sync_rows: 10000, first_sync_index_total: 8000, first_sync_indexed: 2000, first_sync_index_rate: 100, offline_since: '2026-12-01T09:02:00.000Z', last_error: 'connect ECONNREFUSED', last_error_code: 'ECONNREFUSED' });
    // The counter app is this test's process: app.pid names it.
    claimPidFile(dataDir);
    try {
      const offline = await run('--status');
      expect(offline.code).toBe(0);
      expect(offline.lines).toContain(
        'first sync: 10000 rows copied at 2026-12-01T09:01:00.000Z (150 rows/s); search keys 2000/8000, 100 accounts/s; waiting for central (the counter app goes on from here once central answers)',
      );
      expect(offline.lines.join('\n')).not.toMatch(/s left/);
    } finally {
      releasePidFile(dataDir);
    }
  }, 120_000);
});
