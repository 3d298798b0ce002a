import { isAscii, isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf-8' | 'shift_jis';

/** How many bytes from the first non-ASCII byte decide the encoding. */
const SNIFF_BYTES = 4096;

/**
 * True when `bytes` is valid UTF-8, a sequence cut off at the end allowed (the window ends
 * wherever the chunk ended).
 */
export function looksLikeUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return false;
    for (let k = 1; k < len; k += 1) {
      if (i + k >= bytes.length) return true;
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return false;
    }
    i += len;
  }
  return true;
}

const replacements = (text: string) => text.split('\uFFFD').length - 1;

/**
 * The longest line held back to be checked in a Shift_JIS file (below). A good row is under
 * 4,000 characters; a longer line is passed on as it comes, and CsvTextGuard stops the import
 * at one past a million characters.
 */
const LINE_CHECK_BYTES = 256 * 1024;
const nonAsciiRuns = /[^\p{ASCII}]+/gu;
/** Where the first line of `bytes` ends (LF or CR; -1: it does not end in them). */
function firstBreak(bytes: Buffer): number {
  const lf = bytes.indexOf(0x0a);
  const cr = bytes.indexOf(0x0d);
  return lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
}

/** Kana, kanji and full-width forms: what Japanese text read as UTF-8 holds. */
const japaneseText = /[\u3000-\u9FFF\uFF00-\uFFEF]/;

/**
 * A line of a Shift_JIS file that is Japanese written in UTF-8. Shift_JIS text is seldom valid
 * UTF-8 at all, and where a short run is (half-width kana pairs read as Latin letters), it
 * does not read as Japanese: random two-character names from all of CP932 pass both tests 0.9 %
 * of the time, names from common kanji never (decisions.md).
 */
function utf8JapaneseLine(bytes: Buffer): boolean {
  return !isAscii(bytes) && isUtf8(bytes) && japaneseText.test(bytes.toString('utf8'));
}

/**
 * Valid UTF-8 is UTF-8. Otherwise the reading most lines are valid in, and at a tie the reading
 * that leaves fewer bytes unreadable: a UTF-8 file
 * with one stray byte (a Latin-1 é) stays UTF-8, its broken row refused by the import, instead
 * of the whole file being read as Shift_JIS and imported as mojibake.
 */
function sniffEncoding(sample: Buffer): CsvEncoding {
  if (looksLikeUtf8(sample)) return 'utf-8';
  // Line by line first: a UTF-8 file with one row saved in Shift_JIS near its top has more
  // bytes CP932 reads than UTF-8 does (CP932 reads most UTF-8 as some kanji), and was read as
  // Shift_JIS, every UTF-8 row refused for the one that was not.
  let utf8Lines = 0;
  let otherLines = 0;
  for (let start = 0; start < sample.length; ) {
    const rest = sample.subarray(start);
    const end = firstBreak(rest);
    const line = end < 0 ? rest : rest.subarray(0, end);
    if (!isAscii(line)) {
      if (end < 0 ? looksLikeUtf8(line) : isUtf8(line)) utf8Lines += 1;
      else otherLines += 1;
    }
    start += end < 0 ? rest.length : end + 1;
  }
  if (utf8Lines !== otherLines) return utf8Lines > otherLines ? 'utf-8' : 'shift_jis';
  // The sample may end inside a character: decoders that are not ended hold those bytes back.
  const asUtf8 = iconv.getDecoder('utf8').write(sample);
  const asShiftJis = iconv.getDecoder('cp932').write(sample);
  return replacements(asUtf8) < replacements(asShiftJis) ? 'utf-8' : 'shift_jis';
}

/**
 * Bytes in, text out: UTF-8 (with or without BOM) or Shift_JIS (CP932, as Excel in Japan
 * saves CSV), decided without holding the file. ASCII reads the same in both, so text goes
 * through as it comes until the first byte above 0x7F; the next few KiB from there decide,
 * UTF-8 if they are valid UTF-8. A UTF-8 BOM decides at once (and is dropped).
 */
export class CsvDecodeStream extends Transform {
  encoding: CsvEncoding | null = null;
  private decoder: { write(b: Buffer): string; end(): string | undefined } | null = null;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private started = false;
  private head: Buffer | null = null;
  /** In a Shift_JIS file: the current line's bytes, held until its end shows what it is. */
  private line: Buffer[] = [];
  private lineBytes = 0;
  private lineUnchecked = false;
  /**
   * The file is UTF-16 (Excel's 「Unicode テキスト」): nothing of it is passed on, the import
   * names it instead. Read as either of ours it was a header of NULs and mojibake, refused as
   * lacking every column although the columns were there.
   */
  utf16 = false;
  /** Called once when the encoding is known (at the end for an all-ASCII file: utf-8). */
  onEncoding?: (encoding: CsvEncoding) => void;

  constructor() {
    super({ readableObjectMode: false, decodeStrings: true, encoding: 'utf8' });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.utf16) {
      done();
      return;
    }
    if (this.decoder) {
      this.decodeBytes(chunk);
      done();
      return;
    }
    if (!this.started) {
      // The BOM may come split over the first chunks (an upload can arrive a few bytes at a time).
      this.head = this.head ? Buffer.concat([this.head, chunk]) : chunk;
      // Two bytes at least: they tell UTF-16 (below).
      if (this.head.length < 2 || (this.head.length < 3 && this.head[0] === 0xef && this.head[1] === 0xbb)) {
        done();
        return;
      }
      this.started = true;
      chunk = this.head;
      this.head = null;
      // A BOM (FF FE, FE FF) or a NUL in the first two bytes: no CSV of ours begins with either.
      if (chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff) || chunk[0] === 0 || chunk[1] === 0)) {
        this.utf16 = true;
        done();
        return;
      }
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        this.decide('utf-8');
        this.decodeBytes(chunk.subarray(3));
        done();
        return;
      }
    }
    if (this.heldBytes === 0) {
      const firstHigh = chunk.findIndex((b) => b >= 0x80);
      if (firstHigh < 0) {
        this.push(chunk.toString('latin1'));
        done();
        return;
      }
      if (firstHigh > 0) this.push(chunk.subarray(0, firstHigh).toString('latin1'));
      chunk = chunk.subarray(firstHigh);
    }
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes >= SNIFF_BYTES) this.flushHeld();
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.utf16) {
      done();
      return;
    }
    if (this.head) {
      // A file of one or two bytes.
      this.push(this.head.toString('latin1'));
      this.head = null;
    }
    if (!this.decoder) this.flushHeld();
    if (this.lineBytes > 0) this.endLine();
    const rest = this.decoder!.end();
    if (rest) this.push(rest);
    done();
  }

  private flushHeld(): void {
    const held = Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    this.decide(sniffEncoding(held.subarray(0, SNIFF_BYTES)));
    this.decodeBytes(held);
  }

  /**
   * A UTF-8 file's bytes go straight to the decoder: Shift_JIS bytes in it are not UTF-8 and
   * come out as U+FFFD, which the import refuses. The other way round they do not: CP932 reads
   * most UTF-8 Japanese as other, valid kanji (山本 美咲 → 螻ア譛ャ 鄒主調), and rows pasted in
   * UTF-8 into a Shift_JIS file were stored so. So in a Shift_JIS file each line is held to its
   * end (0x0A and 0x0D are never part of a Shift_JIS character), and a line of Japanese in UTF-8
   * has its non-ASCII text passed on as U+FFFD, for the import to refuse the row as written in
   * another encoding (its line named; the message says to save the whole file again).
   */
  private decodeBytes(bytes: Buffer): void {
    if (this.encoding !== 'shift_jis') {
      const text = this.decoder!.write(bytes);
      if (text) this.push(text);
      return;
    }
    let data = bytes;
    let text = '';
    const first = firstBreak(bytes);
    if (this.lineUnchecked) {
      if (first < 0) {
        this.pushText(this.decoder!.write(bytes));
        return;
      }
      text = this.decoder!.write(bytes.subarray(0, first + 1));
      data = bytes.subarray(first + 1);
      this.lineUnchecked = false;
    } else if (this.lineBytes > 0) {
      // A line still without its end is only added to (an upload may come a few bytes at a time).
      if (first < 0) {
        this.holdLine(bytes);
        return;
      }
      data = Buffer.concat([...this.line, bytes]);
      this.line = [];
      this.lineBytes = 0;
    }
    // Lines that are what they should be are decoded together, from `from`; only a line of
    // UTF-8 breaks the run.
    let from = 0;
    let start = 0;
    let lf = data.indexOf(0x0a);
    let cr = data.indexOf(0x0d);
    for (;;) {
      if (lf >= 0 && lf < start) lf = data.indexOf(0x0a, start);
      if (cr >= 0 && cr < start) cr = data.indexOf(0x0d, start);
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (end < 0) break;
      const line = data.subarray(start, end);
      if (utf8JapaneseLine(line)) {
        // The decoder holds nothing between lines: each run it reads ends in an ASCII break.
        text += this.decoder!.write(data.subarray(from, start)) + line.toString('utf8').replace(nonAsciiRuns, '\uFFFD');
        from = end;
      }
      start = end + 1;
    }
    text += this.decoder!.write(data.subarray(from, start));
    this.pushText(text);
    if (start < data.length) this.holdLine(Buffer.from(data.subarray(start)));
  }

  private holdLine(part: Buffer): void {
    this.line.push(part);
    this.lineBytes += part.length;
    if (this.lineBytes <= LINE_CHECK_BYTES) return;
    const held = Buffer.concat(this.line);
    this.line = [];
    this.lineBytes = 0;
    this.lineUnchecked = true;
    this.pushText(this.decoder!.write(held));
  }

  /** The file's last line, when it has no line break after it. */
  private endLine(): void {
    const bytes = Buffer.concat(this.line);
    this.line = [];
    this.lineBytes = 0;
    this.pushText(utf8JapaneseLine(bytes) ? bytes.toString('utf8').replace(nonAsciiRuns, '\uFFFD') : this.decoder!.write(bytes));
  }

  private pushText(text: string): void {
    if (text) this.push(text);
  }

  private decide(encoding: CsvEncoding): void {
    this.encoding = encoding;
    // The BOM was dropped above; a second one inside the file is text.
    this.decoder = iconv.getDecoder(encoding === 'utf-8' ? 'utf8' : 'cp932', { stripBOM: false });
    this.onEncoding?.(encoding);
  }
}
