import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { parse, type CsvError, type InfoRecord, type Options } from 'csv-parse';
import { z } from 'zod';
import { emailField, jsaIdField, textField } from '../contract/fields';
import { contactLimits } from '../contract/contact-fields';
import { fieldIssuesFromZod } from '../contract/field-issues';
import { IMPORT_COLUMNS, type ImportColumn, type ImportIssue } from '../contract/import-messages';
import { nameProblem, normalizeAddress, normalizeFormText, textProblem } from '../domain/contact-normalize';
import { unguardFormula } from '../domain/spreadsheet-cell';
import { importBatch, planImportBatch, prepareImportBatch, type ImportedAccount, type PreparedBatch } from '../store/account-import-repo';
import { rebuildSetAsideSearchIndexes, searchRowsMade, setAsidePays, setAsideSearchIndexesRecorded } from '../store/account-search-fold';

export type { ImportedAccount };
import { appendAudit } from '../store/audit-repo';
import { removeDemoAccounts } from '../store/demo-accounts-repo';
import type { Db, Queryable } from '../store/database';
import { iso, type Clock } from './clock';
import { CsvDecodeStream, type CsvEncoding } from './csv-decode-stream';
import { CsvTextGuard } from './csv-text-guard';

export { IMPORT_COLUMNS };

// Folded as the kiosk forms fold the same fields (contact-fields.ts): runs of spaces, tabs,
// line breaks and the line and paragraph separators (U+2028/U+2029, which reached the mail
// greeting) become one space; digits' dashes in an address become ASCII.
// Refused as the forms refuse them (contact-fields.ts): `<` and `>` in any of these (markup),
// and a web or e-mail address in a person's name, which opens every mail's greeting.
const asForm = { required: false, fold: normalizeFormText, problem: textProblem };
const rowSchema = z.object({
  jsa_id: jsaIdField,
  email: emailField,
  contact_name: textField(contactLimits.name, { ...asForm, problem: (name: string) => textProblem(name) ?? nameProblem(name) }),
  company: textField(contactLimits.company, asForm),
  department: textField(contactLimits.department, asForm),
  address: textField(contactLimits.address, { ...asForm, fold: normalizeAddress }),
  phone: textField(contactLimits.phone, asForm),
});

/** A row the import refused: its first line in the file, its values as read, and why. */
export interface RejectedRow {
  line: number;
  /** As read, in IMPORT_COLUMNS order (the header's own names for a refused header). */
  values: string[];
  issues: ImportIssue[];
}

export interface ImportProgress {
  /** Data rows read so far (the header not counted). */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  bytes: number;
  totalBytes: number | null;
}

export interface ImportReport extends ImportProgress {
  encoding: CsvEncoding | null;
  dryRun: boolean;
  /** Demo accounts this import removed (the first real import ends the demo data). */
  demoRemoved: number;
  /** The header was unusable or the CSV broke: nothing (or nothing after that line) was read. */
  stopped: boolean;
  /** The first `problemsKept` rejected rows (all of them go to onReject). */
  problems: RejectedRow[];
  sha256: string;
  seconds: number;
}

export interface ImportOptions {
  actor: string;
  /** Validates and counts what would be added, updated or left, and writes nothing. */
  dryRun?: boolean;
  /** Rows per transaction: short enough that customer calls on a live counter keep their latency. */
  batchSize?: number;
  /**
   * A goal for each batch's write, in ms: the batch size follows it (up to `batchSize`, down
   * to MIN_BATCH_ROWS), so a busy machine or a store that waits on another writer gets
   * shorter transactions. Unset: every batch is `batchSize` rows.
   */
  batchMs?: number;
  totalBytes?: number;
  fileName?: string;
  problemsKept?: number;
  onProgress?: (progress: ImportProgress) => void;
  onReject?: (row: RejectedRow) => void | Promise<void>;
  onEncoding?: (encoding: CsvEncoding) => void;
  /**
   * A pause after each committed batch. Another process writing the same store (the running
   * counter beside a CLI import) waits in SQLite's busy handler, which retries at growing
   * intervals and only wins the lock inside such a gap; in-process callers queue fairly and
   * need none.
   */
  pauseBetweenBatchesMs?: number;
  /**
   * Asked before each batch is written; a throw ends the run there (the committed batches stay
   * whole) and is the run's failure. The staff screens' run stops so when its admin may no
   * longer import (import-jobs.ts).
   */
  beforeBatch?: () => Promise<void>;
  /** Where the checked rows go: the local store (default) or central (central-import.ts). */
  sink?: ImportSink;
  /**
   * Set the staff search's non-unique indexes aside while writing and rebuild them at the end
   * (recorded, so a killed import leaves them to the next import or start). Default: when the
   * rows still to come (estimated from the bytes read) are enough (`setAsidePays`: at least
   * SET_ASIDE_FROM_ROWS and half the accounts already searched); false never, true from the
   * first batch.
   */
  setAsideSearchIndexes?: boolean;
}

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Demo accounts the first written batch removed (the first real import ends the demo data). */
  demoRemoved?: number;
}

/** Receives the checked rows a batch at a time; counts may come per batch or at the end. */
export interface ImportSink {
  /**
   * Main-thread work on a batch (ids, search keys, the JSON sent) done while the batch
   * before it is still being written, so the store's thread does not wait for it.
   */
  ready?(rows: ImportedAccount[]): void;
  batch(rows: ImportedAccount[]): Promise<ImportCounts>;
  finish?(): Promise<ImportCounts>;
  /** After a failure: what the sink can put right without the rest of the file. */
  abandon?(): Promise<void>;
  /** What the audit entry names as the target. */
  target: string;
}

export interface LocalSinkOptions {
  /** Rows still to come, as far as the bytes read so far tell (null: not known). */
  rowsToCome?: () => number | null;
  setAsideSearchIndexes?: boolean;
  /** Runs after each index rebuilt (the CLI's gap for the counter's calls). */
  between?: () => Promise<void>;
  /** What the import knows of its file when it first changes an account (the 'import-started' entry). */
  describe?: () => { [key: string]: unknown };
}

/**
 * The local store: one short transaction per batch, one upsert, search keys folded alongside;
 * the search indexes set aside for a large file and rebuilt at its end.
 */
export function localImportSink(db: Db, clock: Clock, dryRun: boolean, actor: string, options: LocalSinkOptions = {}): ImportSink {
  let demoChecked = false;
  let startRecorded = false;
  let searched: number | undefined;
  let setAside = false;
  const wantsSetAside = async (tx: Queryable, rows: number) => {
    if (setAside || options.setAsideSearchIndexes === false) return false;
    if (options.setAsideSearchIndexes === true) return true;
    const toCome = options.rowsToCome?.() ?? null;
    if (toCome === null) return false;
    searched ??= await searchRowsMade(tx);
    return setAsidePays(toCome + rows, searched);
  };
  const rebuild = () => rebuildSetAsideSearchIndexes(db, options.between ? { between: options.between } : {});
  const readied = new WeakMap<ImportedAccount[], PreparedBatch>();
  return {
    target: 'local',
    ready: (rows) => {
      if (!dryRun) readied.set(rows, prepareImportBatch(rows));
    },
    batch: (rows) => {
      if (dryRun) return planImportBatch(db, rows);
      const prepared = readied.get(rows) ?? prepareImportBatch(rows);
      return db.transaction(async (tx) => {
        const nowIso = iso(clock.nowMs());
        // ASVS 5.0 V6.3.2: the first batch of good rows ends the demo data, in its transaction.
        const demoRemoved = !demoChecked && rows.length > 0 ? await removeDemoAccounts(tx, { actor, reason: 'import' }, nowIso) : 0;
        demoChecked ||= rows.length > 0;
        if (await wantsSetAside(tx, rows.length)) {
          await setAsideSearchIndexesRecorded(tx, `import:${actor}`, nowIso);
          setAside = true;
        }
        const counts = await importBatch(tx, prepared, nowIso);
        // The first batch that changes an account says so in its own commit: an import killed
        // after it (kill -9, a power cut) never reaches its closing entry, and the addresses it
        // changed — where reset codes go — would have no entry at all. A re-run that changes
        // nothing writes none, so the file imported again still adds one entry only.
        if (!startRecorded && counts.inserted + counts.updated > 0) {
          await appendAudit(tx, { actor, action: 'accounts.import-started', detail: { target: 'local', ...options.describe?.() } }, nowIso);
          startRecorded = true;
        }
        return { ...counts, demoRemoved };
      });
    },
    // Also what an import killed earlier left aside: any import of the store finishes it.
    finish: async () => {
      if (!dryRun) await rebuild();
      return { inserted: 0, updated: 0, unchanged: 0 };
    },
    abandon: async () => {
      if (!dryRun) await rebuild();
    },
  };
}

/**
 * Every line break ends a row, as in an editor and in CsvTextGuard's count. csv-parse's default
 * takes the first break it meets as the only one, so in a file with CRLF, LF and CR lines
 * (files put together, an old Mac's Excel) the other breaks stayed inside values and several
 * rows were read as one, refused as "too many columns". CRLF first: it is one break.
 */
export const CSV_LINE_BREAKS = ['\r\n', '\n', '\r'];

export const IMPORT_BATCH_ROWS = 2_000;
/** Rows between two returns to the event loop (200,000 rows: 9.0 s with none, 6.6 s with this). */
const YIELD_EVERY_ROWS = 25;
export const MIN_BATCH_ROWS = 250;
/**
 * The longest record read, in characters: a good row is under 4,000 (the forms' limits), and a
 * file with more columns than ours a good deal more; a million means a quote left open.
 */
export const MAX_RECORD_CHARS = 1 << 20;
/** A refused header's cells kept for the report (a header of a million commas is not). */
const HEADER_VALUES_KEPT = 50;

/**
 * The line of each JSA-ID seen in this file, for 「{{line}} 行目にもあります」: an open-addressing
 * table over typed arrays (an 11-digit ID is an exact double), 12 bytes a slot, so a file of a
 * million rows costs about 24 MB instead of the ~100 MB of a Map of strings.
 */
class JsaIdLines {
  private keys = new Float64Array(1 << 16);
  private lines = new Int32Array(1 << 16);
  private size = 0;

  /** The earlier line of this JSA-ID, or undefined after recording `line` for it. */
  firstLine(jsaId: string, line: number): number | undefined {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const key = Number(jsaId) + 1; // 0 marks an empty slot
    const mask = this.keys.length - 1;
    for (let i = this.slot(key) & mask; ; i = (i + 1) & mask) {
      if (this.keys[i] === 0) {
        this.keys[i] = key;
        this.lines[i] = line;
        this.size += 1;
        return undefined;
      }
      if (this.keys[i] === key) return this.lines[i];
    }
  }

  private slot(key: number): number {
    return Math.imul((key % 4294967296) ^ Math.floor(key / 4294967296), 0x9e3779b1) >>> 0;
  }

  private grow(): void {
    const keys = this.keys;
    const lines = this.lines;
    this.keys = new Float64Array(keys.length * 2);
    this.lines = new Int32Array(keys.length * 2);
    const mask = this.keys.length - 1;
    for (let j = 0; j < keys.length; j += 1) {
      if (keys[j] === 0) continue;
      let i = this.slot(keys[j]!) & mask;
      while (this.keys[i] !== 0) i = (i + 1) & mask;
      this.keys[i] = keys[j]!;
      this.lines[i] = lines[j]!;
    }
  }
}

function progressOf(report: ImportReport): ImportProgress {
  const { rows, inserted, updated, unchanged, rejected, bytes, totalBytes } = report;
  return { rows, inserted, updated, unchanged, rejected, bytes, totalBytes };
}

const lineBreaks = /\r\n|\r|\n/g;
const countMatches = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

interface Record {
  record: string[];
  info: { lines: number };
}

/**
 * Streams a CSV of accounts into the store: decoded as it is read (UTF-8, BOM or Shift_JIS),
 * each row checked and normalised as the forms do (reasons by line, in the forms' words),
 * written a batch per short transaction with one set-based upsert and the search keys folded
 * in the same pass. Upsert by JSA-ID, unchanged rows untouched: importing a file again
 * changes nothing, and an import cut off mid-way is finished by importing the file again
 * (every committed batch is whole). One audit entry per finished import.
 */
export async function importAccounts(db: Db, clock: Clock, source: Readable, options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const maxBatch = options.batchSize ?? IMPORT_BATCH_ROWS;
  // With a time goal, the first batch is small and the size grows to the goal: the customer
  // who comes during the first batch does not wait for a guess.
  let batchSize = options.batchMs ? Math.min(MIN_BATCH_ROWS, maxBatch) : maxBatch;
  const problemsKept = options.problemsKept ?? 100;
  const report: ImportReport = {
    encoding: null,
    dryRun: options.dryRun === true,
    demoRemoved: 0,
    stopped: false,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    bytes: 0,
    totalBytes: options.totalBytes ?? null,
    problems: [],
    sha256: '',
    seconds: 0,
  };
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      report.bytes += chunk.length;
      done(null, chunk);
    },
  });
  const decoder = new CsvDecodeStream();
  decoder.onEncoding = (encoding) => {
    report.encoding = encoding;
    options.onEncoding?.(encoding);
  };
  // csv-parse counts a CRLF inside quotes as two lines; `crlfInFields` corrects for it.
  // A broken quote does not destroy the stream (that would drop the rows parsed before it):
  // csv-parse reports it as a skipped record, after `records` good ones, and the import
  // stops there. A quote left open would otherwise gather the rest of the file into one field
  // (a 256 MiB upload: a string past V8's limit in the counter's main process); past
  // MAX_RECORD_CHARS the record is reported the same way and csv-parse holds no more.
  // Only the line count of each record is kept: csv-parse's info also carries, for every row
  // shorter or longer than the header, an error with its stack (a file of short rows held
  // tens of thousands of them).
  const parser = parse({
    record_delimiter: CSV_LINE_BREAKS,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    // Typed by csv-parse as returning a record array; it passes on whatever comes back.
    on_record: ((record: string[], context: InfoRecord): Record => ({ record, info: { lines: context.lines } })) as unknown as Options['on_record'],
  });
  const guard = new CsvTextGuard(MAX_RECORD_CHARS);
  let brokenAfter: number | null = null;
  parser.on('skip', (error: CsvError & { records?: number }) => {
    brokenAfter ??= error.records ?? 0;
  });
  // pipe() carries data, not errors: a source that fails (a read error, a stopped run) must
  // reach the parser, or the loop below would wait for more rows for ever.
  source.on('error', (error) => tap.destroy(error));
  source.pipe(tap).pipe(decoder).pipe(guard).pipe(parser);
  tap.on('error', (error) => decoder.destroy(error));
  decoder.on('error', (error) => guard.destroy(error));
  guard.on('error', (error) => parser.destroy(error));

  const reject = async (row: RejectedRow) => {
    report.rejected += 1;
    if (report.problems.length < problemsKept) report.problems.push(row);
    await options.onReject?.(row);
  };
  const seen = new JsaIdLines();
  let header: number[] | null = null;
  let headerWidth = 0;
  let crlfInFields = 0;
  let lastLine = 1;
  let batch: ImportedAccount[] = [];
  // One batch is written (SQLite works on its own thread) while the next is parsed and checked.
  let writing: Promise<void> = Promise.resolve();
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, options.pauseBetweenBatchesMs));
  const sink =
    options.sink ??
    localImportSink(db, clock, options.dryRun === true, options.actor, {
      // Bytes read run a little ahead of the rows parsed: the estimate errs low, never high.
      rowsToCome: () => (report.totalBytes && report.bytes > 0 && report.rows > 0 ? Math.max(0, Math.round((report.rows * (report.totalBytes - report.bytes)) / report.bytes)) : null),
      ...(options.setAsideSearchIndexes !== undefined ? { setAsideSearchIndexes: options.setAsideSearchIndexes } : {}),
      ...(options.pauseBetweenBatchesMs ? { between: pause } : {}),
      describe: () => ({ ...(options.fileName ? { file: options.fileName } : {}), encoding: report.encoding, ...(report.totalBytes !== null ? { bytes: report.totalBytes } : {}) }),
    });
  const count = (counts: ImportCounts) => {
    report.inserted += counts.inserted;
    report.updated += counts.updated;
    report.unchanged += counts.unchanged;
    report.demoRemoved += counts.demoRemoved ?? 0;
  };
  const write = async (rows: ImportedAccount[]) => {
    await options.beforeBatch?.();
    const began = performance.now();
    count(await sink.batch(rows));
    if (options.batchMs) {
      const ms = Math.max(1, performance.now() - began);
      // Halfway toward the size that would have met the goal: one slow batch does not swing it.
      const aimed = (rows.length * options.batchMs) / ms;
      batchSize = Math.round(Math.min(maxBatch, Math.max(Math.min(MIN_BATCH_ROWS, maxBatch), (batchSize + aimed) / 2)));
    }
    options.onProgress?.(progressOf(report));
    if (options.pauseBetweenBatchesMs) await pause();
  };
  const flush = async () => {
    if (batch.length > 0) sink.ready?.(batch);
    await writing;
    if (batch.length === 0) return;
    // Asked for after the calls that queued while the last batch was written: they go first.
    writing = write(batch);
    // Awaited at the next flush; until then a failure must not count as unhandled.
    writing.catch(() => undefined);
    batch = [];
  };

  let consumed = 0;
  const broken = async () => {
    // What was read before the broken line is whole and kept; the rest cannot be read.
    await reject({ line: lastLine + 1, values: [], issues: [{ code: 'import.badQuotes' }] });
    report.stopped = true;
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<Record>) {
      if (brokenAfter !== null && consumed >= brokenAfter) {
        await broken();
        break;
      }
      consumed += 1;
      let inFields = 0;
      for (const value of record) {
        if (!value.includes('\n') && !value.includes('\r')) continue;
        inFields += countMatches(value, lineBreaks);
        crlfInFields += countMatches(value, /\r\n/g);
      }
      const endLine = info.lines - crlfInFields;
      const line = endLine - inFields;
      // A record cut off where the guard stopped the text is not a row of the file.
      if (guard.tooLongLine !== null && endLine >= guard.tooLongLine) break;
      lastLine = endLine;
      if (header === null) {
        const names = record.map((h) => h.trim().toLowerCase());
        const missing = IMPORT_COLUMNS.filter((c) => !names.includes(c));
        if (missing.length > 0) {
          await reject({ line, values: record.slice(0, HEADER_VALUES_KEPT), issues: [{ code: 'import.missingColumns', params: { columns: missing.join(', ') } }] });
          report.stopped = true;
          break;
        }
        const twice = IMPORT_COLUMNS.filter((c) => names.indexOf(c) !== names.lastIndexOf(c));
        if (twice.length > 0) {
          await reject({ line, values: record.slice(0, HEADER_VALUES_KEPT), issues: [{ code: 'import.duplicateColumns', params: { columns: twice.join(', ') } }] });
          report.stopped = true;
          break;
        }
        header = IMPORT_COLUMNS.map((c) => names.indexOf(c));
        headerWidth = names.length;
        continue;
      }
      report.rows += 1;
      // The parser hands out buffered rows without returning to the event loop, so the store's
      // answers (each statement of the batch being written) and, in the counter, customers'
      // calls would wait for the next read from disk: every few rows, let them in.
      if (report.rows % YIELD_EVERY_ROWS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      // A row that ends before one of our columns is cut off (a copy or a save stopped part-way)
      // or shifted; read as empty, its missing values would blank what the account holds.
      const cut = IMPORT_COLUMNS.filter((_, i) => header![i]! >= record.length);
      if (cut.length > 0) {
        await reject({ line, values: IMPORT_COLUMNS.map((_, i) => unguardFormula(record[header![i]!] ?? '')), issues: [{ code: 'import.missingFields', params: { count: record.length, expected: headerWidth, columns: cut.join(', ') } }] });
        continue;
      }
      // A cell our export (or any careful exporter) guarded against spreadsheet formulas comes back as it was.
      const raw = Object.fromEntries(IMPORT_COLUMNS.map((c, i) => [c, unguardFormula(record[header![i]!] ?? '')])) as { [K in ImportColumn]: string };
      // U+FFFD is what the decoder made of bytes it could not read: never a value someone meant.
      const unreadable = IMPORT_COLUMNS.filter((c) => raw[c].includes('\uFFFD'));
      if (unreadable.length > 0) {
        await reject({ line, values: IMPORT_COLUMNS.map((c) => raw[c]), issues: [{ code: 'import.undecodable', params: { columns: unreadable.join(', ') } }] });
        continue;
      }
      const parsed = rowSchema.safeParse(raw);
      if (!parsed.success) {
        const issues = fieldIssuesFromZod(parsed.error).map((issue) => ({ ...issue, column: issue.field as ImportColumn }));
        await reject({ line, values: IMPORT_COLUMNS.map((c) => raw[c]), issues });
        continue;
      }
      if (record.length > headerWidth && record.slice(headerWidth).some((v) => v.trim() !== '')) {
        await reject({ line, values: IMPORT_COLUMNS.map((c) => raw[c]), issues: [{ code: 'import.extraFields', params: { count: record.length } }] });
        continue;
      }
      const row = parsed.data;
      const earlier = seen.firstLine(row.jsa_id, line);
      if (earlier !== undefined) {
        await reject({ line, values: IMPORT_COLUMNS.map((c) => raw[c]), issues: [{ column: 'jsa_id', code: 'import.duplicate', params: { line: earlier } }] });
        continue;
      }
      batch.push({ ...row, email: raw.email.normalize('NFKC').trim(), email_norm: row.email });
      if (batch.length >= batchSize) await flush();
    }
    if (brokenAfter !== null && !report.stopped) await broken();
    if (guard.tooLongLine !== null && !report.stopped) {
      await reject({ line: guard.tooLongLine, values: [], issues: [{ code: 'import.lineTooLong', params: { max: MAX_RECORD_CHARS.toLocaleString('en-US') } }] });
      report.stopped = true;
    }
    if (header === null && !report.stopped && decoder.utf16) {
      await reject({ line: 1, values: [], issues: [{ code: 'import.utf16' }] });
      report.stopped = true;
    }
    if (header === null && !report.stopped) {
      await reject({ line: 1, values: [], issues: [{ code: 'import.empty' }] });
      report.stopped = true;
    }
    await flush();
    await writing;
  } catch (error) {
    await writing.catch(() => undefined);
    await sink.abandon?.().catch(() => undefined);
    throw error;
  } finally {
    source.unpipe?.();
    if (!source.destroyed) source.destroy();
  }
  if (!(report.stopped && report.rows === 0)) {
    if (sink.finish) count(await sink.finish());
  } else {
    // Nothing was read: the sink lets go of what it holds (central's import lock) all the same.
    await sink.abandon?.();
  }
  if (report.encoding === null && decoder.encoding) report.encoding = decoder.encoding;
  report.sha256 = hash.digest('hex');
  report.seconds = (performance.now() - started) / 1000;
  options.onProgress?.(progressOf(report));
  if (!options.dryRun && !(report.stopped && report.rows === 0)) {
    await db.transaction((tx) => appendAudit(
      tx,
      {
        actor: options.actor,
        action: 'accounts.imported',
        detail: {
          ...(options.fileName ? { file: options.fileName } : {}),
          target: sink.target,
          sha256: report.sha256,
          encoding: report.encoding,
          rows: report.rows,
          inserted: report.inserted,
          updated: report.updated,
          unchanged: report.unchanged,
          rejected: report.rejected,
          ...(report.stopped ? { stopped: true } : {}),
        },
      },
      iso(clock.nowMs()),
    ));
  }
  return report;
}

/** The same for a file already in memory (tests, small uploads). */
export function importAccountsCsv(db: Db, clock: Clock, bytes: Buffer, options: ImportOptions): Promise<ImportReport> {
  return importAccounts(db, clock, Readable.from([bytes]), { totalBytes: bytes.length, ...options });
}
