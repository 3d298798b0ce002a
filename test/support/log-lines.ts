// main.log is written asynchronously (pino's SonicBoom, sync: false): a line logged while a call
// was answered can reach the file after the answer, later still on a busy machine. `flush()`
// does not wait for it (through pino.multistream, and with SonicBoom's zero minLength, it writes
// nothing). Wait for the line itself; check what must be absent once a line logged beside it is there.
import { readFile } from 'node:fs/promises';
import { waitFor } from './wait';

/** The last line of `file` that matches, and the whole text read with it (bounded wait). */
export function waitForLogLine(file: string, match: (line: string) => boolean, what: string): Promise<{ line: string; text: string }> {
  return waitFor(
    async () => {
      const text = await readFile(file, 'utf8').catch(() => '');
      const line = text.split('\n').findLast(match);
      return line === undefined ? undefined : { line, text };
    },
    { what: `${what} in main.log` },
  );
}
