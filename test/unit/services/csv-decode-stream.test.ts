import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvDecodeStream, looksLikeUtf8 } from '../../../src-main/services/csv-decode-stream';

/** Decodes `bytes` fed in chunks of `size`, as a file stream would. */
async function decode(bytes: Buffer, size: number): Promise<{ text: string; encoding: string | null }> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const decoder = new CsvDecodeStream();
  let text = '';
  for await (const part of Readable.from(chunks).pipe(decoder)) text += String(part);
  return { text, encoding: decoder.encoding };
}

describe('CsvDecodeStream', () => {
  const japanese = 'jsa_id,contact_name\n12345678901,髙橋 ① 株式会社サンプル\n';

  it.each([1, 2, 3, 7, 4096])('reads UTF-8 cut into %i-byte chunks, a character split across chunks included', async (size) => {
    expect(await decode(Buffer.from(japanese), size)).toEqual({ text: japanese, encoding: 'utf-8' });
  });

  it.each([1, 5, 4096])('drops a UTF-8 BOM and decides at once (%i-byte chunks)', async (size) => {
    expect(await decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(japanese)]), size)).toEqual({ text: japanese, encoding: 'utf-8' });
  });

  it.each([1, 3, 4096])('reads Shift_JIS (CP932) cut into %i-byte chunks', async (size) => {
    expect(await decode(iconv.encode(japanese, 'cp932'), size)).toEqual({ text: japanese, encoding: 'shift_jis' });
  });

  it('decides at the first non-ASCII byte, however far into the file it comes', async () => {
    const ascii = `${'12345678901,user@example.jp\n'.repeat(2_000)}`;
    const text = `${ascii}12345678902,山田 太郎\n`;
    expect(await decode(iconv.encode(text, 'cp932'), 1000)).toEqual({ text, encoding: 'shift_jis' });
    expect(await decode(Buffer.from(text), 1000)).toEqual({ text, encoding: 'utf-8' });
  });

  it.each([1, 3, 4096])('in a Shift_JIS file, passes a line of Japanese written in UTF-8 on as U+FFFD, not as the kanji CP932 reads in it (%i-byte chunks)', async (size) => {
    // Most lines Shift_JIS, so the file is read as Shift_JIS.
    const sjis = `jsa_id,contact_name\r\n${'12345678901,髙橋 ① 株式会社サンプル\r\n'.repeat(5)}`;
    const bytes = Buffer.concat([iconv.encode(sjis, 'cp932'), Buffer.from('12345678902,山本 美咲\r\n12345678903,"営業\n東京"\r'), iconv.encode('12345678904,ﾅｶ\r\n', 'cp932')]);
    // Read as CP932, 山本 美咲 is 螻ア譛ャ 鄒主調: every byte valid, nothing to tell it was wrong.
    // ﾅｶ in Shift_JIS is valid UTF-8 too (Ŷ), but not Japanese: it stays ﾅｶ.
    expect(await decode(bytes, size)).toEqual({ text: `${sjis}12345678902,\uFFFD \uFFFD\r\n12345678903,"\uFFFD\n\uFFFD"\r12345678904,ﾅｶ\r\n`, encoding: 'shift_jis' });
  });

  it('passes a Shift_JIS line longer than it checks on as it comes, and checks the lines after it', async () => {
    const sjis = `jsa_id,contact_name\n12345678901,髙橋 ${'x'.repeat(300 * 1024)}髙橋\n12345678902,佐藤\n`;
    const bytes = Buffer.concat([iconv.encode(sjis, 'cp932'), Buffer.from('12345678903,山本\n')]);
    expect(await decode(bytes, 7_000)).toEqual({ text: `${sjis}12345678903,\uFFFD\n`, encoding: 'shift_jis' });
  });

  it.each([1, 4096])('says a UTF-16 file (BOM either way, or none) is UTF-16 and passes nothing of it on (%i-byte chunks)', async (size) => {
    const text = 'jsa_id,contact_name\r\n12345678901,髙橋\r\n';
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]), Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]), iconv.encode(text, 'utf-16le')]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      const decoder = new CsvDecodeStream();
      let read = '';
      for await (const part of Readable.from(chunks).pipe(decoder)) read += String(part);
      expect({ read, utf16: decoder.utf16 }).toEqual({ read: '', utf16: true });
    }
  });

  it('calls an all-ASCII file UTF-8', async () => {
    expect(await decode(Buffer.from('jsa_id,email\n'), 4)).toEqual({ text: 'jsa_id,email\n', encoding: 'utf-8' });
  });

  it('looksLikeUtf8 allows a sequence cut at the end of the window, and nothing else broken', () => {
    const bytes = Buffer.from('山田');
    expect(looksLikeUtf8(bytes.subarray(0, 4))).toBe(true);
    expect(looksLikeUtf8(iconv.encode('山田', 'cp932'))).toBe(false);
    expect(looksLikeUtf8(Buffer.from([0xc0, 0x80]))).toBe(false);
  });
});
