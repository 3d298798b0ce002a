import type { Logger } from '../services/logger';

/**
 * The last line behind every stream's own error handler (issue 13 §4): an error from a file
 * or socket stream that nobody listened for is logged and the counter keeps serving; one
 * unreadable asset or a dropped connection must not take every customer's screen down.
 * Anything else is a bug whose state we cannot trust: logged, then the process exits 1 so
 * the supervisor (systemd, Task Scheduler, the Electron shell) starts it afresh.
 */
export function isStreamError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string') return false;
  // libuv errno codes from a system call (open, read, write…) or Node's stream state codes.
  return (/^E[A-Z0-9]+$/.test(code) && typeof syscall === 'string') || code.startsWith('ERR_STREAM_');
}

export function processGuard(logger: Pick<Logger, 'error' | 'fatal'>, exit: (code: number) => void): (error: unknown) => void {
  return (error) => {
    const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
    if (isStreamError(error)) {
      logger.error({ errno: code, syscall }, 'unexpected stream error; still serving');
      return;
    }
    logger.fatal({ type: error instanceof Error ? error.name : typeof error, errno: typeof code === 'string' ? code : undefined }, 'uncaught exception; exiting');
    process.stderr.write(`webdesk: uncaught ${error instanceof Error ? error.name : 'exception'}${typeof code === 'string' ? ` (${code})` : ''}; exiting\n`);
    exit(1);
  };
}

export function installProcessGuard(logger: Pick<Logger, 'error' | 'fatal'>): void {
  process.on('uncaughtException', processGuard(logger, (code) => process.exit(code)));
}
