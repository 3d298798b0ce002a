import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { maskLogText, maskLogValue } from './log-mask';
import { defaultRotation, pruneRotated, rotateIfDue, type RotationPolicy } from './log-rotation';

export type Logger = pino.Logger;

const timers = new WeakMap<Logger, NodeJS.Timeout>();
const openings = new WeakMap<Logger, Promise<Error | undefined>>();

/** main.log failing to take lines (a full disk, a folder made read-only): since when, why, how many lines were dropped. */
export interface LogFileTrouble {
  since: number;
  errno: string;
  dropped: number;
}
/** The same, kept while the logger runs: `since` is null while lines are written. */
type TroubleState = Omit<LogFileTrouble, 'since'> & { since: number | null };
const troubles = new WeakMap<Logger, TroubleState>();

/**
 * Lines waiting for a main.log that cannot take them. SonicBoom keeps every unwritten line and
 * rewrites the whole backlog at each new line, so a disk full for a day grew the process by
 * every line logged and made each log call slower; past this, lines are dropped and counted.
 */
export const LOG_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * While main.log refuses lines, its backlog is tried again this often by itself. SonicBoom
 * retries only when the next line comes, so on a quiet counter `log-unwritable` stayed on
 * /health long after the disk had room (and a monitor kept alerting); one try of ≤ 4 MB every
 * 10 s costs nothing, and the timer runs only while the log is failing.
 */
export const LOG_RETRY_MS = 10_000;

/**
 * Structured logs in DATA_DIR/logs (pino). Paths that could carry a secret or personal data
 * are redacted by name, as a second line of defence: services log ids, never values. A third
 * line: every string that is logged, message or field, is scrubbed of e-mail addresses, URL
 * credentials, reset links and JSA-IDs (log-mask.ts). main.log is rotated by size and age
 * at start and once a minute, and old files are deleted (log-rotation.ts).
 */
export function createLogger(options: { dataDir?: string; level?: string; console?: boolean; rotation?: RotationPolicy; retryMs?: number }): Logger {
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
  let opening: Promise<Error | undefined> | undefined;
  let trouble: TroubleState | undefined;
  const rotation = options.rotation ?? defaultRotation;
  if (options.dataDir) {
    dir = join(options.dataDir, 'logs');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    rotateIfDue(dir, rotation, Date.now());
    pruneRotated(dir, rotation, Date.now());
    const path = join(dir, 'main.log');
    file = pino.destination({ dest: path, mkdir: true, sync: false, mode: 0o600, maxLength: LOG_BACKLOG_BYTES });
    // A full or read-only disk must not take the counter down with it: the call still gets its
    // answer (the console stream, when on, still shows warnings), and /health says
    // `log-unwritable` until a line is written again: the next line, or the backlog tried
    // again by itself (LOG_RETRY_MS).
    let open = false;
    const failing: TroubleState = { since: null, errno: '', dropped: 0 };
    trouble = failing;
    const retryMs = options.retryMs ?? LOG_RETRY_MS;
    let retry: NodeJS.Timeout | undefined;
    const backlog = file;
    // An error before the file opened is start-up's (loggerOpened, below).
    file.on('error', (error: NodeJS.ErrnoException) => {
      if (!open) return;
      failing.since ??= Date.now();
      failing.errno = error.code ?? 'unknown';
      // An empty write adds no line: it starts SonicBoom's write of the backlog it kept. A try
      // that fails again comes back here for the next one; unref: never what keeps a process up.
      retry ??= setTimeout(() => {
        retry = undefined;
        try {
          backlog.write('');
        } catch {
          // Closed since (the app stopped): nothing is waiting for it any more.
        }
      }, retryMs).unref();
    });
    file.on('write', () => {
      failing.since = null;
    });
    file.on('drop', () => {
      failing.dropped += 1;
    });
    const dest = file;
    // pino flushes this file synchronously from its exit hook. A start-up that fails while the
    // file is still opening, or could not open it, would then print SonicBoom's "sonic boom is
    // not ready yet" and a stack after the one line that says what is wrong; with no file
    // there is nothing to flush.
    const flushSync = dest.flushSync.bind(dest);
    dest.flushSync = () => {
      if (open) flushSync();
    };
    opening = new Promise((resolve) => {
      dest.once('ready', () => {
        open = true;
        resolve(undefined);
      });
      dest.once('error', (error: NodeJS.ErrnoException) => {
        if (open) return;
        const code = error.code ?? 'unknown error';
        const todo = code === 'EACCES' || code === 'EPERM' ? "; give the counter's user write access to it" : '';
        resolve(new Error(`log file ${path} cannot be opened (${code})${todo} (nothing was changed)`, { cause: error }));
      });
    });
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
  if (opening) openings.set(logger, opening);
  if (trouble) troubles.set(logger, trouble);
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

/**
 * Once the log file is open: undefined, or why it could not be opened, in words naming it.
 * Start-up waits for this: what it logs before then would be lost when it fails and the
 * process exits at once, and a file that cannot be opened is said in one line.
 */
export function loggerOpened(logger: Logger): Promise<Error | undefined> {
  return openings.get(logger) ?? Promise.resolve(undefined);
}

/** While main.log cannot take lines: since when, the OS's code, and how many lines were dropped. */
export function logFileTrouble(logger: Logger): LogFileTrouble | null {
  const t = troubles.get(logger);
  return t?.since == null ? null : { since: t.since, errno: t.errno, dropped: t.dropped };
}

/** Stops the rotation timer and flushes what is buffered. */
export function closeLogger(logger: Logger): void {
  const timer = timers.get(logger);
  if (timer) clearInterval(timer);
  timers.delete(logger);
  logger.flush();
}
