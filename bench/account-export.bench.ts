import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { IMPORT_COLUMNS } from '../src-main/contract/import-messages';
import { accountsCsvStream, findShiftJisUnwritable } from '../src-main/services/account-files/account-export';
import { importAccounts } from '../src-main/services/account-import';
import { systemClock } from '../src-main/services/clock';
import { openDatabase, type Db } from '../src-main/store/database';
import { migrateLocal } from '../src-main/store/migrations';
import { writeAccountCsv } from '../test/support/account-csv';
import type { BenchRow } from './stats';

/**
 * The baseline: the same accounts read from the same store as plainly as SQLite allows from
 * Node (rowid pages of 10,000, no demo filter, no ordering by JSA-ID) and written as UTF-8
 * lines joined by commas: no quoting, no encoding check.
 */
async function plainDump(db: Db, file: string): Promise<number> {
  const started = performance.now();
  const out = createWriteStream(file);
  let after = 0;
  for (;;) {
    const page = (await db.raw(`SELECT rowid AS r, ${IMPORT_COLUMNS.join(', ')} FROM accounts WHERE rowid > ? ORDER BY rowid LIMIT 10000`, [after])) as Array<Record<string, string | number>>;
    if (page.length === 0) break;
    let text = '';
    for (const row of page) text += `${IMPORT_COLUMNS.map((c) => row[c]).join(',')}\n`;
    if (!out.write(text)) await once(out, 'drain');
    after = Number(page[page.length - 1]!.r);
  }
  out.end();
  await once(out, 'close');
  return (performance.now() - started) / 1000;
}

/** What 「アカウントの書き出し」 does: the Shift_JIS check first for Shift_JIS, then the stream. */
async function exportFile(db: Db, file: string, encoding: 'utf-8' | 'shift_jis'): Promise<number> {
  const started = performance.now();
  if (encoding === 'shift_jis') {
    const unwritable = await findShiftJisUnwritable(db);
    if (unwritable.accounts > 0) throw new Error('bench data holds characters Shift_JIS cannot write');
  }
  await pipeline(accountsCsvStream(db, encoding), createWriteStream(file));
  return (performance.now() - started) / 1000;
}

/**
 * Account export (issue 18 §4): rows per second of 「アカウントの書き出し」 in UTF-8 (BOM) and
 * Shift_JIS, beside a plain dump of the same accounts from the same store in the same run.
 */
export async function benchAccountExport(options: { rows: number; log: (line: string) => void }): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'webdesk-export-bench-'));
  const db = openDatabase(join(dir, 'store.sqlite3'));
  try {
    await migrateLocal(db);
    const csv = join(dir, 'accounts.csv');
    await writeAccountCsv(csv, { rows: options.rows, quotedNewlineEvery: 50 });
    await importAccounts(db, systemClock, createReadStream(csv), { actor: 'bench', totalBytes: statSync(csv).size });
    const plainSeconds = await plainDump(db, join(dir, 'plain.csv'));
    const plainRate = options.rows / plainSeconds;
    options.log(`plain dump of ${options.rows} accounts: ${plainSeconds.toFixed(1)} s = ${Math.round(plainRate)} rows/s`);
    const rows: BenchRow[] = [];
    for (const encoding of ['utf-8', 'shift_jis'] as const) {
      const seconds = await exportFile(db, join(dir, `export-${encoding}.csv`), encoding);
      const rate = options.rows / seconds;
      options.log(`accounts export (${encoding}): ${seconds.toFixed(1)} s = ${Math.round(rate)} rows/s (${(rate / plainRate).toFixed(2)} × plain dump)`);
      rows.push({ bench: `account export of ${options.rows.toLocaleString('en-US')} rows, ${encoding}`, metric: 'rows/s (baseline: plain dump of the same accounts)', value: rate, unit: 'rows/s', baseline: plainRate, ratio: rate / plainRate });
    }
    return rows;
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
