// Issue 13 §4: the process-level guard behind every stream's own error handler. A stream or
// socket error nobody listened for is logged and the process keeps serving; any other
// uncaught exception is logged and ends the process with 1 (the supervisor restarts it).
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { isStreamError, processGuard } from '../../../src-main/app/process-guard';

const logger = () => ({ error: vi.fn(), fatal: vi.fn() });

describe('processGuard', () => {
  it('logs a real unhandled read-stream error (ENOENT from open) and keeps the process', async () => {
    const stream = createReadStream('/nonexistent/webdesk/asset.js');
    const [error] = (await once(stream, 'error').catch((e: unknown) => [e])) as [unknown];
    expect(isStreamError(error)).toBe(true);
    const log = logger();
    const exit = vi.fn();
    processGuard(log, exit)(error);
    expect(exit).not.toHaveBeenCalled();
    expect(log.error).toHaveBeenCalledWith({ errno: 'ENOENT', syscall: 'open' }, 'unexpected stream error; still serving');
  });

  it('treats a stream state error (ERR_STREAM_PREMATURE_CLOSE) the same way', () => {
    const error = Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
    const exit = vi.fn();
    processGuard(logger(), exit)(error);
    expect(exit).not.toHaveBeenCalled();
  });

  it('ends the process with 1 for anything else, logging only its type and code', () => {
    const log = logger();
    const exit = vi.fn();
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      processGuard(log, exit)(new TypeError('田中 cannot be read'));
    } finally {
      write.mockRestore();
    }
    expect(exit).toHaveBeenCalledWith(1);
    expect(log.fatal).toHaveBeenCalledWith({ type: 'TypeError', errno: undefined }, 'uncaught exception; exiting');
    expect(JSON.stringify(write.mock.calls)).not.toContain('田中');
  });
});
