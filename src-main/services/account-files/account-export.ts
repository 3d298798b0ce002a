import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import type { CsvFileEncoding } from '../../contract/account-file-calls';
import { IMPORT_COLUMNS, type ImportColumn } from '../../contract/import-messages';
import { csvCell } from '../../domain/spreadsheet-cell';
import { forStaff } from '../../domain/staff-masking';
import type { Queryable } from '../../store/database';

/** Rows per read: a page by JSA-ID, so a million accounts never sit in memory at once. */
const PAGE_ROWS = 2_000;
/** Unwritable characters named on the screen (the count covers them all). */
const UNWRITABLE_EXAMPLES = 20;

type ExportRow = Record<ImportColumn, string>;

/**
 * Every account but the demo ones (they belong to this counter's demo, and the first import
 * removes them anyway), in JSA-ID order, a page at a time (keyset paging: each page is one
 * short read, so customer calls on the counter go on between pages).
 */
export async function* accountPages(db: Queryable): AsyncGenerator<ExportRow[]> {
  let after = '';
  for (;;) {
    const page = (await db('accounts')
      .select(...IMPORT_COLUMNS)
      .where('jsa_id', '>', after)
      .whereNotIn('id', db('demo_accounts').select('account_id'))
      .orderBy('jsa_id')
      .limit(PAGE_ROWS)) as ExportRow[];
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.jsa_id;
  }
}

export async function countExportable(db: Queryable): Promise<number> {
  const row = (await db('accounts').whereNotIn('id', db('demo_accounts').select('account_id')).count<{ n: number }[]>({ n: '*' }).first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

const plainAscii = /^[ -~\t\r\n]*$/;

const roundTrips = (text: string) => plainAscii.test(text) || iconv.decode(iconv.encode(text, 'cp932'), 'cp932') === text;

/** The characters of `text` that Shift_JIS (CP932, as Excel writes it) cannot give back unchanged. */
export function shiftJisUnwritable(text: string): string[] {
  if (roundTrips(text)) return [];
  const found = new Set<string>();
  for (const ch of text) if (iconv.decode(iconv.encode(ch, 'cp932'), 'cp932') !== ch) found.add(ch);
  return [...found];
}

/** Accounts Shift_JIS cannot hold, counted, and the first few named (JSA-ID masked for staff). */
export async function findShiftJisUnwritable(db: Queryable) {
  let accounts = 0;
  const examples: Array<{ maskedJsaId: string; column: ImportColumn; characters: string[] }> = [];
  for await (const page of accountPages(db)) {
    // One round trip for the whole page; only a page that fails is looked at value by value.
    if (roundTrips(page.map((row) => IMPORT_COLUMNS.map((c) => row[c] ?? '').join('\n')).join('\n'))) continue;
    for (const row of page) {
      let bad = false;
      for (const column of IMPORT_COLUMNS) {
        const characters = shiftJisUnwritable(row[column] ?? '');
        if (characters.length === 0) continue;
        bad = true;
        if (examples.length < UNWRITABLE_EXAMPLES) examples.push({ maskedJsaId: forStaff('jsaId', row.jsa_id), column, characters });
      }
      if (bad) accounts += 1;
    }
  }
  return { accounts, examples };
}

export class UnwritableError extends Error {
  constructor() {
    super('an account holds a character Shift_JIS cannot write (it changed after the check)');
    this.name = 'UnwritableError';
  }
}

/**
 * The accounts as a CSV the import reads unchanged: its header, CRLF (Excel's), UTF-8 with BOM
 * or Shift_JIS. Streamed a page at a time with backpressure. A character Shift_JIS cannot hold
 * (checked first by the caller; here only if an account changed since) breaks the stream off
 * rather than writing '?'.
 */
export function accountsCsvStream(db: Queryable, encoding: CsvFileEncoding, onDone?: (rows: number) => void): Readable {
  const encode = (text: string) => {
    if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
    const bytes = iconv.encode(text, 'cp932');
    // One decode of the page's bytes tells whether any character became '?'.
    if (!plainAscii.test(text) && iconv.decode(bytes, 'cp932') !== text) throw new UnwritableError();
    return bytes;
  };
  async function* chunks() {
    yield encode(`${encoding === 'utf-8' ? '\uFEFF' : ''}${IMPORT_COLUMNS.join(',')}\r\n`);
    let rows = 0;
    for await (const page of accountPages(db)) {
      let text = '';
      for (const row of page) text += `${IMPORT_COLUMNS.map((c) => csvCell(row[c] ?? null)).join(',')}\r\n`;
      rows += page.length;
      yield encode(text);
    }
    onDone?.(rows);
  }
  return Readable.from(chunks(), { objectMode: false });
}
