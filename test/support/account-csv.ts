// Account CSV files as offices send them, written to disk in chunks (a million rows never sit
// in memory): UTF-8, UTF-8 with BOM or Shift_JIS, LF or CRLF, addresses with a line break in
// quotes, and a broken JSA-ID every so often. Used by the import tests and bench/.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import iconv from 'iconv-lite';

export const CSV_HEADER = 'jsa_id,email,contact_name,company,department,address,phone';

export interface AccountCsvOptions {
  rows: number;
  encoding?: 'utf-8' | 'utf-8-bom' | 'shift_jis';
  eol?: '\n' | '\r\n';
  /** Every Nth data row has a 4-digit JSA-ID. */
  badEvery?: number;
  /** Every Nth data row's address is two lines in quotes. */
  quotedNewlineEvery?: number;
  /** JSA-IDs are `${prefix}` + the row number padded to 11 digits. */
  prefix?: string;
  /** Added to every contact name: a second file that changes every row. */
  nameSuffix?: string;
}

const family = ['佐藤', '鈴木', '髙橋', '田中', '伊藤', '渡辺', '山本', '中村'];
const given = ['一郎', '花子', '健太', '美咲', '大輔', '陽子'];

export function accountCsvRow(n: number, options: AccountCsvOptions): string {
  const prefix = options.prefix ?? '8';
  const jsaId = options.badEvery && n % options.badEvery === 0 ? '1234' : `${prefix}${String(n).padStart(11 - prefix.length, '0')}`;
  const address = options.quotedNewlineEvery && n % options.quotedNewlineEvery === 0 ? `"東京都千代田区${n % 9}丁目${options.eol ?? '\n'}第${n % 7}ビル"` : `東京都港区芝${n % 5}丁目${n % 30}番`;
  return [
    jsaId,
    `imp${n}@example.jp`,
    `${family[n % family.length]} ${given[n % given.length]}${options.nameSuffix ?? ''}`,
    `株式会社インポート${n % 97}`,
    n % 3 === 0 ? '品質保証部' : '総務部',
    address,
    `03-${String(1000 + (n % 9000))}-${String(n % 10000).padStart(4, '0')}`,
  ].join(',');
}

/** Writes the file; returns the first line of every bad row (the header is line 1). */
export async function writeAccountCsv(path: string, options: AccountCsvOptions): Promise<{ badLines: number[]; bytes: number }> {
  const eol = options.eol ?? '\n';
  const out = createWriteStream(path);
  const encode = (text: string) => (options.encoding === 'shift_jis' ? iconv.encode(text, 'cp932') : Buffer.from(text, 'utf8'));
  let bytes = 0;
  const write = async (text: string) => {
    const chunk = encode(text);
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  if (options.encoding === 'utf-8-bom') await write('\uFEFF');
  await write(`${CSV_HEADER}${eol}`);
  const badLines: number[] = [];
  let line = 2;
  let buffer = '';
  for (let n = 1; n <= options.rows; n += 1) {
    if (options.badEvery && n % options.badEvery === 0) badLines.push(line);
    buffer += `${accountCsvRow(n, options)}${eol}`;
    line += options.quotedNewlineEvery && n % options.quotedNewlineEvery === 0 ? 2 : 1;
    if (buffer.length > 64 * 1024) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(buffer);
  out.end();
  await once(out, 'close');
  return { badLines, bytes };
}
