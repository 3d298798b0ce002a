// main.log on a full disk (issue 7 §6, ops probe): the counter answers, /health and 診断情報 say
// the log is not being written, and the lines waiting for it stay bounded. /dev/full answers
// every write with ENOSPC, as a full disk does, without filling one.
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { LOG_BACKLOG_BYTES, logFileTrouble } from '../../../src-main/services/logger';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { kiosk } from '../support/test-app';
import { startOpsApp } from './ops-support';

describe.skipIf(!existsSync('/dev/full'))('main.log on a full disk', () => {
  let dir: TempDir;
  let app: App;
  beforeEach(async () => {
    dir = await makeTempDir();
    mkdirSync(join(dir.path, 'logs'), { recursive: true, mode: 0o700 });
    symlinkSync('/dev/full', join(dir.path, 'logs', 'main.log'));
    app = await startOpsApp({ dataDir: dir.path, logLevel: 'info' });
  });
  afterEach(async () => {
    await app.close();
    rmSync(join(dir.path, 'logs', 'main.log'), { force: true });
    await dir.remove();
  });

  it('says log-unwritable on /health, keeps answering, and drops lines past a bounded backlog', async () => {
    await kiosk(app).ok('reset.request', { jsaId: '12345678901', email: 'tanaka@example.co.jp' });
    const health = await waitFor(async () => {
      const h = await app.health();
      return h.problems.includes('log-unwritable') ? h : undefined;
    }, { what: 'log-unwritable on /health' });
    expect(health.status).toBe('degraded');
    expect(logFileTrouble(app.logger)).toMatchObject({ errno: 'ENOSPC' });
    // More than the backlog holds: the rest is dropped and counted, not kept in memory.
    const line = 'log line '.repeat(1_000);
    for (let i = 0; i < (LOG_BACKLOG_BYTES / 9_000) * 1.5; i += 1) app.logger.info({ probe: i }, line);
    expect(logFileTrouble(app.logger)!.dropped).toBeGreaterThan(0);
    expect(await kiosk(app).ok('reset.request', { jsaId: '23456789012', email: 'shared@example.co.jp' })).toMatchObject({ status: 'accepted' });
  });
});
