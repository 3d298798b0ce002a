import { constants, createReadStream, type Stats } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { importReasonText } from '../contract/import-messages';
import { importAccounts, type ImportProgress, type ImportReport, type ImportSink } from '../services/account-import';
import { RejectsFile } from '../services/account-files/rejects-file';
import { importLock } from '../services/account-files/import-lock';
import { iso, type Clock } from '../services/clock';
import { CentralImportBusyError, centralImportSink } from '../services/central-import';
import { connectCentral } from '../services/sync/central-connection';
import { centralFailureText } from '../store/central-client-config';
import type { Db } from '../store/database';
import { argValue } from './entry-support';
import { targetFileFault } from './store-commands';

export { RejectsFile };

const PLAIN_EVERY_MS = 5_000;
const REDRAW_EVERY_MS = 100;
const PRINTED_REJECTS = 20;
/**
 * Beside a running counter (another process on the same store): a gap after every batch, in
 * which the counter's waiting write gets the lock (SQLite's busy handler retries at growing
 * intervals, up to 25 ms in the first 130 ms of a wait, and only wins inside such a gap),
 * and batches sized so each write takes about COUNTER_BATCH_MS.
 */
const CLI_PAUSE_MS = 30;
const COUNTER_BATCH_MS = 40;

const count = (n: number) => n.toLocaleString('en-US');

function clockTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

/** Rows, percent (of bytes: the row count is known only at the end), rate and time left. */
export function progressFigures(p: ImportProgress, elapsedSeconds: number) {
  const fraction = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : null;
  const rate = elapsedSeconds > 0 ? p.rows / elapsedSeconds : 0;
  const secondsLeft = fraction && fraction > 0 && elapsedSeconds > 0 ? (elapsedSeconds * (1 - fraction)) / fraction : null;
  return { fraction, rate, secondsLeft };
}

export function progressBar(p: ImportProgress, elapsedSeconds: number, width: number): string {
  const { fraction, rate, secondsLeft } = progressFigures(p, elapsedSeconds);
  const text = `${fraction === null ? '' : `${(fraction * 100).toFixed(0).padStart(3)}% `}${count(p.rows)} rows  ${count(Math.round(rate))} rows/s  ${
    secondsLeft === null ? '' : `${clockTime(secondsLeft)} left`
  }${p.rejected > 0 ? `  ${count(p.rejected)} rejected` : ''}`;
  const barWidth = Math.max(10, Math.min(40, width - text.length - 4));
  const filled = Math.round((fraction ?? 0) * barWidth);
  return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${text}`;
}

export function progressLine(p: ImportProgress, elapsedSeconds: number): string {
  const { fraction, rate, secondsLeft } = progressFigures(p, elapsedSeconds);
  return `import: ${count(p.rows)} rows${fraction === null ? '' : ` (${(fraction * 100).toFixed(0)}%)`}, ${count(Math.round(rate))} rows/s${
    secondsLeft === null ? '' : `, about ${clockTime(secondsLeft)} left`
  }, ${count(p.rejected)} rejected`;
}

export function summaryLine(report: ImportReport, target = ''): string {
  const rate = report.seconds > 0 ? Math.round(report.rows / report.seconds) : 0;
  return `import${target}${report.dryRun ? ' --dry-run' : ''} (${report.encoding ?? 'empty'}): ${count(report.inserted)} ${report.dryRun ? 'to add' : 'added'}, ${count(report.updated)} ${
    report.dryRun ? 'to update' : 'updated'
  }, ${count(report.unchanged)} unchanged, ${count(report.rejected)} rejected; ${count(report.rows)} rows in ${report.seconds.toFixed(1)} s (${count(rate)} rows/s); peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;
}

/**
 * Why the file named cannot be imported, in words, or undefined when it can be read: "cannot
 * read FILE" alone left a new user guessing between a typo, a folder and a file this user may
 * not open.
 */
async function unreadableText(file: string, input: Stats | Error): Promise<string | undefined> {
  if (input instanceof Error) {
    const code = (input as NodeJS.ErrnoException).code ?? 'unreadable';
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? `${file} というファイルはありません / there is no file ${file} (${code})`
      : `${file} を読めません / cannot read ${file} (${code})`;
  }
  if (!input.isFile()) {
    return input.isDirectory()
      ? `${file} はフォルダーです。CSV ファイルを指定してください / ${file} is a folder; name the CSV file`
      : `${file} は通常のファイルではありません。CSV ファイルを指定してください / ${file} is not a plain file; name the CSV file`;
  }
  return access(file, constants.R_OK).then(
    () => undefined,
    (error: NodeJS.ErrnoException) => `${file} を読む権限がありません / cannot read ${file} (${error.code ?? 'unreadable'}); this user may not open it`,
  );
}

/**
 * `import FILE.csv [--dry-run] [--rejects FILE.csv] [--lang ja|en]`: a progress bar on a
 * terminal, a plain line every few seconds otherwise (logs, CI), the summary at the end.
 */
export async function importCommand(
  db: Db,
  clock: Clock,
  args: string[],
  central?: { url?: string; kioskId: string },
  store: { dataDir?: string; counterRunning?: boolean } = {},
): Promise<number> {
  const file = args.find((a, i) => !a.startsWith('--') && !['--rejects', '--lang'].includes(args[i - 1] ?? ''));
  if (!file) {
    process.stderr.write('import: name the CSV file: npm run accounts:import -- FILE.csv [--dry-run] [--rejects REJECTS.csv]\n');
    return 2;
  }
  const lang = argValue(args, '--lang') ?? 'ja';
  if (lang !== 'ja' && lang !== 'en') {
    process.stderr.write('import: --lang: ja or en\n');
    return 2;
  }
  const input = await stat(file).catch((error: NodeJS.ErrnoException) => error);
  const unreadable = await unreadableText(file, input);
  if (unreadable !== undefined || input instanceof Error) {
    process.stderr.write(`import: ${unreadable}\n`);
    return 2;
  }
  const size = input.size;
  const rejectsPath = argValue(args, '--rejects');
  // Writing the rejected rows over the file being read would destroy it before a row is read.
  if (rejectsPath && (await stat(rejectsPath).then((r) => r.ino === input.ino && r.dev === input.dev, () => false))) {
    process.stderr.write(`import: --rejects ${rejectsPath} is the file being imported; name another file for the rejected rows\n`);
    return 2;
  }
  // One import at a time per counter: the staff screen's run holds the same lock.
  const held = store.dataDir && !args.includes('--central') && !args.includes('--dry-run') ? importLock(store.dataDir).acquire('cli', iso(clock.nowMs())) : undefined;
  if (held && !held.ok) {
    process.stderr.write(`import: another import is running on this counter (${held.holder.by === 'cli' ? 'command line' : held.holder.by}, since ${held.holder.since}); run this again when it has finished\n`);
    return 2;
  }
  let rejects: RejectsFile | undefined;
  if (rejectsPath) {
    try {
      rejects = await RejectsFile.open(rejectsPath, lang);
    } catch (error) {
      // Where and why, as for a backup's target ("cannot write" alone named neither).
      const code = (error as NodeJS.ErrnoException).code ?? 'unwritable';
      const said = /EISDIR$/.test(code) ? `import --rejects: ${rejectsPath} is a folder; name a file for the rejected rows` : targetFileFault('import --rejects', resolve(rejectsPath), error);
      process.stderr.write(`${said ?? `import --rejects: cannot write ${rejectsPath} (${code})`}\n`);
      if (held?.ok) held.release();
      return 2;
    }
  }
  const toCentral = args.includes('--central');
  const fileName = file.split(/[\\/]/).pop();
  if (toCentral && !central?.url) {
    process.stderr.write('import: --central needs WEBDESK_CENTRAL_URL (the central database, as its schema owner)\n');
    return 2;
  }
  // The merge of a large file is one statement: no per-query timeout on this connection.
  let centralClient: Awaited<ReturnType<typeof connectCentral>> | undefined;
  if (toCentral) {
    try {
      centralClient = await connectCentral(central!.url!, 'import', central!.kioskId, { query_timeout: undefined });
    } catch (error) {
      // In the words the other central commands use, not Node's "connect ECONNREFUSED …".
      process.stderr.write(`import --central: ${centralFailureText(central!.url!, error)}\n`);
      await rejects?.close();
      // Nothing was tried (README: exit 2).
      return 2;
    }
  }
  const dryRun = args.includes('--dry-run');
  if (store.counterRunning && !toCentral && !dryRun) {
    process.stdout.write('import: the counter is running on this store; its calls go first (shorter batches with a gap after each)\n');
  }
  const tty = process.stdout.isTTY === true;
  const started = performance.now();
  let lastDraw = 0;
  let printed = 0;
  const clearBar = () => tty && process.stdout.write('\r\x1b[2K');
  let centralSink: ImportSink | undefined;
  try {
    if (centralClient) {
      centralSink = await centralImportSink(centralClient, { dryRun, nowIso: iso(clock.nowMs()), startEntry: { db, clock, actor: 'cli', detail: { file: fileName, bytes: size } } });
    }
  } catch (error) {
    await centralClient?.end().catch(() => undefined);
    await rejects?.close();
    if (!(error instanceof CentralImportBusyError)) throw error;
    process.stderr.write('import: another import into the central database is running; run this again when it has finished\n');
    return 2;
  }
  const report = await importAccounts(db, clock, createReadStream(file, { highWaterMark: 256 * 1024 }), {
    actor: 'cli',
    dryRun,
    ...(centralSink ? { sink: centralSink } : {}),
    totalBytes: size,
    // With the counter running on this store, its calls come first; alone, the import runs flat out.
    ...(!toCentral && store.counterRunning ? { pauseBetweenBatchesMs: CLI_PAUSE_MS, batchMs: COUNTER_BATCH_MS } : {}),
    fileName,
    onProgress: (p) => {
      const now = performance.now();
      if (now - lastDraw < (tty ? REDRAW_EVERY_MS : PLAIN_EVERY_MS)) return;
      lastDraw = now;
      const elapsed = (now - started) / 1000;
      if (tty) process.stdout.write(`\r${progressBar(p, elapsed, process.stdout.columns || 80)}`);
      else process.stdout.write(`${progressLine(p, elapsed)}\n`);
    },
    onReject: async (row) => {
      if (printed < PRINTED_REJECTS) {
        clearBar();
        process.stdout.write(`line ${row.line}: ${importReasonText(lang, row.issues)}\n`);
        lastDraw = 0;
      }
      printed += 1;
      await rejects?.add(row);
    },
  }).finally(() => {
    if (held?.ok) held.release();
    return centralClient?.end().catch(() => undefined);
  });
  clearBar();
  await rejects?.close();
  if (report.rejected > PRINTED_REJECTS) {
    process.stdout.write(`… ${count(report.rejected - PRINTED_REJECTS)} more rejected rows${rejectsPath ? ` in ${rejectsPath}` : ' (--rejects FILE.csv writes them all)'}\n`);
  } else if (rejectsPath) process.stdout.write(`rejected rows: ${rejectsPath}\n`);
  process.stdout.write(`${summaryLine(report, toCentral ? ' --central' : '')}\n`);
  // "0 rows" alone read like a run that went wrong somewhere; an export with no rows is a file worth a look.
  if (report.rows === 0 && !report.stopped) process.stdout.write('import: 見出し行のあとに行がありません。取り込んだアカウントはありません / the file has its header and no rows after it; nothing was imported\n');
  if (report.demoRemoved > 0) process.stdout.write(`import: the ${report.demoRemoved} demo accounts were removed (first real import)\n`);
  // 1 tells a script the file did not go in whole where nothing can fix it by itself: the file
  // broke part-way (the rows after the break were never read), or every row was refused.
  // Rejected rows beside good ones are an ordinary result (0): they are listed above.
  return report.stopped || (report.rejected > 0 && report.inserted + report.updated + report.unchanged === 0) ? 1 : 0;
}
