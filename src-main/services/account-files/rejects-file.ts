import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { IMPORT_COLUMNS, importReasonText } from '../../contract/import-messages';
import type { RejectedRow } from '../account-import';
import { csvCell } from '../../domain/spreadsheet-cell';

/** Rejected rows as Excel opens them: UTF-8 with BOM, CRLF, line number and reason first. */
export class RejectsFile {
  private constructor(private readonly out: WriteStream, private readonly locale: 'ja' | 'en') {}

  static async open(path: string, locale: 'ja' | 'en'): Promise<RejectsFile> {
    // 0600: the rows are personal data (the CLI's --rejects file and the staff screen's download).
    const out = createWriteStream(path, { mode: 0o600 });
    await once(out, 'open');
    const file = new RejectsFile(out, locale);
    await file.write(`\uFEFF${['line', 'reason', ...IMPORT_COLUMNS].map(csvCell).join(',')}\r\n`);
    return file;
  }

  async add(row: RejectedRow): Promise<void> {
    await this.write(`${[row.line, importReasonText(this.locale, row.issues), ...row.values].map(csvCell).join(',')}\r\n`);
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'close');
  }

  private async write(text: string): Promise<void> {
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}

