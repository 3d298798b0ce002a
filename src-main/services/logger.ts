import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs in DATA_DIR/logs (pino). Paths that could carry a secret or personal data
 * are redacted by name, as a second line of defence: services log ids, never values.
 */
export function createLogger(options: { dataDir?: string; level?: string; console?: boolean }): Logger {
  const level = options.level ?? 'info';
  const redact = {
    paths: ['password', 'confirm', 'code', 'token', 'grant', 'email', 'to', '*.password', '*.code', '*.token', '*.grant', '*.email'],
    censor: '[redacted]',
  };
  const streams: pino.StreamEntry[] = [];
  if (options.dataDir) {
    const dir = join(options.dataDir, 'logs');
    mkdirSync(dir, { recursive: true });
    const file = pino.destination({ dest: join(dir, 'main.log'), mkdir: true, sync: false });
    // A full or read-only disk must not take the counter down with it: a log line is lost, the
    // call still gets its answer (the console stream, when on, still shows warnings).
    file.on('error', () => undefined);
    streams.push({ level: level as pino.Level, stream: file });
  }
  if (options.console) streams.push({ level: 'warn', stream: process.stderr });
  if (streams.length === 0) return pino({ level: 'silent' });
  return pino({ level, redact, base: { pid: process.pid } }, pino.multistream(streams));
}
