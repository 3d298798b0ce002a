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
    streams.push({ level: level as pino.Level, stream: pino.destination({ dest: join(dir, 'main.log'), mkdir: true, sync: false }) });
  }
  if (options.console) streams.push({ level: 'warn', stream: process.stderr });
  if (streams.length === 0) return pino({ level: 'silent' });
  return pino({ level, redact, base: { pid: process.pid } }, pino.multistream(streams));
}
