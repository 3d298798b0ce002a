import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { IMPORT_COLUMNS, importReasonText } from '../../contract/import-messages';
import type { RejectedRow } from '../account-import';
import { csvCell } from '../../domain/spreadsheet-cell';

/** Rejected rows as Excel opens them: UTF-8 with BOM, CRLF, line number and reason first. */
export class RejectsFile {
  private written = 0;
  private leftOut = 0;

  private constructor(
    private readonly out: WriteStream,
    private readonly locale: 'ja' | 'en',
    private readonly maxRows: number,
  ) {}

  /**
   * A new file, mode 0600 (the rows are personal data): an existing file at `path` is replaced,
   * not written into, so it cannot keep wider permissions. `maxRows`: rows after that many are
   * counted, and a last line says how many were left out.
   */
  static async open(path: string, locale: 'ja' | 'en', options: { maxRows?: number } = {}): Promise<RejectsFile> {
    await rm(path, { force: true });
    const out = createWriteStream(path, { mode: 0o600, flags: 'wx' });
    await once(out, 'open');
    const file = new RejectsFile(out, locale, options.maxRows ?? Infinity);
    await file.write(`\uFEFF${['line', 'reason', ...IMPORT_COLUMNS].map(csvCell).join(',')}\r\n`);
    return file;
  }

  async add(row: RejectedRow): Promise<void> {
    if (this.written >= this.maxRows) {
      this.leftOut += 1;
      return;
    }
    this.written += 1;
    await this.write(`${[row.line, importReasonText(this.locale, row.issues), ...row.values].map(csvCell).join(',')}\r\n`);
  }

  async close(): Promise<void> {
    if (this.leftOut > 0) {
      const count = this.leftOut.toLocaleString('en-US');
      const note = this.locale === 'ja' ? `ほかに ${count} 行が取り込めませんでした（このファイルには最初の ${this.maxRows.toLocaleString('en-US')} 行だけを書いています）。` : `${count} more rows were refused (this file holds the first ${this.maxRows.toLocaleString('en-US')}).`;
      await this.write(`${['', note].map(csvCell).join(',')}\r\n`);
    }
    this.out.end();
    await once(this.out, 'close');
  }

  private async write(text: string): Promise<void> {
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}
