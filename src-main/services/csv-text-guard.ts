import { Transform, type TransformCallback } from 'node:stream';

/** Characters handed to the CSV parser at a time: a few milliseconds of its work, however the file was read. */
const PIECE_CHARS = 16 * 1024;

/**
 * Text on its way from the decoder to the CSV parser. csv-parse turns a whole chunk into
 * records in one go, without returning to the event loop, and builds every record of a line
 * whatever it holds; so, from a hostile or broken file:
 * - chunks are cut into pieces of PIECE_CHARS (a 256 KiB chunk of one-character rows was
 *   131,000 records and their errors at once: the counter stopped answering for seconds);
 * - a line longer than `maxLineChars` ends the text before that line (250 MB of commas was an
 *   array of 250 million fields, and the process died): `tooLongLine` names it, and the rest
 *   of the file is read and dropped, so the parser ends with the rows before it.
 * Lines are counted as the import counts them: CRLF, CR and LF each end one.
 */
export class CsvTextGuard extends Transform {
  /** The physical line (1-based) that was too long, once one was. */
  tooLongLine: number | null = null;
  private lineChars = 0;
  private lineBreaks = 0;
  private lastWasCr = false;

  constructor(private readonly maxLineChars: number) {
    super({ decodeStrings: false, encoding: 'utf8' });
  }

  override _transform(chunk: string | Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.tooLongLine !== null) {
      done();
      return;
    }
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (!(c === 10 && this.lastWasCr)) this.lineBreaks += 1;
        this.lastWasCr = c === 13;
        this.lineChars = 0;
      } else {
        this.lastWasCr = false;
        this.lineChars += 1;
        if (this.lineChars > this.maxLineChars) {
          // The text up to this line's start goes on; the rest of the line and the file do not
          // (a start already passed on in an earlier chunk reaches the parser as a cut-off
          // record, which the import drops by its line).
          this.pushPieces(text.slice(0, Math.max(0, i - (this.lineChars - 1))));
          this.tooLongLine = this.lineBreaks + 1;
          done();
          return;
        }
      }
    }
    this.pushPieces(text);
    done();
  }

  private pushPieces(text: string): void {
    for (let at = 0; at < text.length; at += PIECE_CHARS) this.push(text.slice(at, at + PIECE_CHARS));
  }
}
