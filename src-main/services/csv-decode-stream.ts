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
 * Valid UTF-8 is UTF-8. Otherwise the reading that leaves fewer bytes unreadable: a UTF-8 file
 * with one stray byte (a Latin-1 é) stays UTF-8, its broken row refused by the import, instead
 * of the whole file being read as Shift_JIS and imported as mojibake.
 */
function sniffEncoding(sample: Buffer): CsvEncoding {
  if (looksLikeUtf8(sample)) return 'utf-8';
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
  /** Called once when the encoding is known (at the end for an all-ASCII file: utf-8). */
  onEncoding?: (encoding: CsvEncoding) => void;

  constructor() {
    super({ readableObjectMode: false, decodeStrings: true, encoding: 'utf8' });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.decoder) {
      const text = this.decoder.write(chunk);
      if (text) this.push(text);
      done();
      return;
    }
    if (!this.started) {
      // The BOM may come split over the first chunks (an upload can arrive a few bytes at a time).
      this.head = this.head ? Buffer.concat([this.head, chunk]) : chunk;
      if (this.head.length < 3 && [0xef, 0xbb].slice(0, this.head.length).every((b, i) => this.head![i] === b)) {
        done();
        return;
      }
      this.started = true;
      chunk = this.head;
      this.head = null;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        this.decide('utf-8');
        const text = this.decoder!.write(chunk.subarray(3));
        if (text) this.push(text);
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
    if (this.head) {
      // A file of one or two bytes.
      this.push(this.head.toString('latin1'));
      this.head = null;
    }
    if (!this.decoder) this.flushHeld();
    const rest = this.decoder!.end();
    if (rest) this.push(rest);
    done();
  }

  private flushHeld(): void {
    const held = Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    this.decide(sniffEncoding(held.subarray(0, SNIFF_BYTES)));
    const text = this.decoder!.write(held);
    if (text) this.push(text);
  }

  private decide(encoding: CsvEncoding): void {
    this.encoding = encoding;
    // The BOM was dropped above; a second one inside the file is text.
    this.decoder = iconv.getDecoder(encoding === 'utf-8' ? 'utf8' : 'cp932', { stripBOM: false });
    this.onEncoding?.(encoding);
  }
}
