import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { maskLogText, maskLogValue } from './log-mask';
import { defaultRotation, pruneRotated, rotateIfDue, type RotationPolicy } from './log-rotation';

export type Logger = pino.Logger;

const timers = new WeakMap<Logger, NodeJS.Timeout>();

/**
 * Structured logs in DATA_DIR/logs (pino). Paths that could carry a secret or personal data
 * are redacted by name, as a second line of defence: services log ids, never values. A third
 * line: every string that is logged, message or field, is scrubbed of e-mail addresses, URL
 * credentials, reset links and JSA-IDs (log-mask.ts). main.log is rotated by size and age
 * at start and once a minute, and old files are deleted (log-rotation.ts).
 */
export function createLogger(options: { dataDir?: string; level?: string; console?: boolean; rotation?: RotationPolicy }): Logger {
  const level = options.level ?? 'info';
  const redact = {
    paths: [
      'password', 'confirm', 'code', 'token', 'grant', 'email', 'to', 'secret', 'smtpUrl', 'centralUrl', 'smtpPassword', 'centralPassword',
      '*.password', '*.code', '*.token', '*.grant', '*.email', '*.secret', '*.smtpPassword', '*.centralPassword',
    ],
    censor: '[redacted]',
  };
  const streams: pino.StreamEntry[] = [];
  let file: ReturnType<typeof pino.destination> | undefined;
  let dir: string | undefined;
  const rotation = options.rotation ?? defaultRotation;
  if (options.dataDir) {
    dir = join(options.dataDir, 'logs');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    rotateIfDue(dir, rotation, Date.now());
    pruneRotated(dir, rotation, Date.now());
    file = pino.destination({ dest: join(dir, 'main.log'), mkdir: true, sync: false, mode: 0o600 });
    streams.push({ level: level as pino.Level, stream: file });
  }
  if (options.console) streams.push({ level: 'warn', stream: process.stderr });
  if (streams.length === 0) return pino({ level: 'silent' });
  const logger = pino(
    {
      level,
      redact,
      base: { pid: process.pid },
      formatters: { log: (object) => maskLogValue(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskLogText(a) : a)) as typeof args;
          method.apply(this, masked);
        },
      },
    },
    pino.multistream(streams),
  );
  if (file && dir) {
    const logDir = dir;
    const dest = file;
    const timer = setInterval(() => {
      try {
        if (rotateIfDue(logDir, rotation, Date.now())) {
          dest.reopen();
          pruneRotated(logDir, rotation, Date.now());
        }
      } catch {
        // A failed rotation must not stop the app; the next tick tries again.
      }
    }, 60_000);
    timer.unref();
    timers.set(logger, timer);
  }
  return logger;
}

/** Stops the rotation timer and flushes what is buffered. */
export function closeLogger(logger: Logger): void {
  const timer = timers.get(logger);
  if (timer) clearInterval(timer);
  timers.delete(logger);
  logger.flush();
}
