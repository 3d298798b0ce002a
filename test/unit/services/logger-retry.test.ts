// main.log on a disk that fills and then has room again: `log-unwritable` clears by itself,
// without waiting for the next line (a quiet counter may log nothing for hours).
import fs from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { closeLogger, createLogger, logFileTrouble, loggerOpened } from '../../../src-main/services/logger';
import { waitFor } from '../../support/wait';

describe('main.log after the disk has room again', () => {
  let dir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('clears log-unwritable and writes the lines it kept, with no new line logged', async () => {
    dir = await mkdtemp(join(tmpdir(), 'webdesk-log-retry-'));
    const logger = createLogger({ dataDir: dir, retryMs: 50 });
    expect(await loggerOpened(logger)).toBeUndefined();
    // Every write refused as a full disk refuses it (SonicBoom writes with fs.write).
    const full = vi.spyOn(fs, 'write').mockImplementation(((...args: unknown[]) => {
      const done = args[args.length - 1] as (error: NodeJS.ErrnoException) => void;
      process.nextTick(done, Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    }) as typeof fs.write);
    logger.warn({ probe: 'kept' }, 'written while the disk was full');
    await waitFor(() => logFileTrouble(logger) ?? undefined, { what: 'log-unwritable' });
    full.mockRestore();
    await waitFor(() => (logFileTrouble(logger) === null ? true : undefined), { what: 'log-unwritable to clear by itself' });
    expect(await readFile(join(dir, 'logs', 'main.log'), 'utf8')).toContain('written while the disk was full');
    closeLogger(logger);
  });
});
