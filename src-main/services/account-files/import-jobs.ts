import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { unguardFormula } from '../../domain/spreadsheet-cell';
import { AppError } from '../../contract/errors';
import type { ImportEndReason, ImportJobView } from '../../contract/account-file-calls';
import { IMPORT_COLUMNS } from '../../contract/import-messages';
import { forStaff, forStaffByShape } from '../../domain/staff-masking';
import { appendAudit } from '../../store/audit-repo';
import type { Db } from '../../store/database';
import { CSV_LINE_BREAKS, importAccounts, type ImportReport } from '../account-import';
import { iso, type Clock } from '../clock';
import { CsvDecodeStream } from '../csv-decode-stream';
import type { Logger } from '../logger';
import { loggedError } from '../log-error';
import { importLock, type ImportLockHolder } from './import-lock';
import { RejectsFile } from './rejects-file';

/** 256 MiB: a million rows of a typical office file are about 120 MiB. */
export const IMPORT_UPLOAD_MAX_BYTES = 256 * 1024 * 1024;
/**
 * Rejected rows the slot keeps in its file: a file that is not an account CSV at all (a
 * million one-character lines) would otherwise leave ~50 bytes of reasons per byte read in
 * the data folder. The count on the screen stays exact; the file says what it left out.
 */
export const SLOT_REJECTS_MAX_ROWS = 100_000;
/** The chosen file and its rejected rows go a day after they were last used (personal data). */
export const IMPORT_SLOT_KEPT_MS = 24 * 3600_000;
/** Rows shown under their columns before anything is checked. */
export const PREVIEW_ROWS = 10;
/** Enough bytes for the header and the first rows of any sane file, without reading it all. */
const PREVIEW_BYTES = 256 * 1024;
/** Columns shown (and sent on every poll): a line of commas is not 131,000 columns on the screen. */
const PREVIEW_COLUMNS = 50;

type Job = NonNullable<ImportJobView['run']>;
type StagedFile = NonNullable<ImportJobView['file']> & { path: string };

export interface ImportJobsDeps {
  db: Db;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'error'>;
  /** DATA_DIR: its imports/ holds the chosen file and the rejected rows (personal data, 0600), import.lock the one run. */
  dataDir: string;
  /**
   * The staff user's display name and user name, apart: the screen joins them as its language
   * does (氏名（ユーザー名） / Name (user)); one string made here was Japanese on English screens.
   */
  staffName(actor: string): Promise<{ by: string; byUser: string }>;
  /**
   * Why the admin who started a run may no longer import, or null: asked before each batch, so a
   * run does not go on writing (and recording) under a user who was disabled or whose logins ended.
   */
  starterGone(actor: string): Promise<ImportEndReason | null>;
  maxBytes?: number;
  /** How a run reads the staged file (default: a plain read stream); tests hold it part-way. */
  openFile?: (path: string) => Readable;
}

/** A run stopped because of its admin (ImportJobsDeps.starterGone). */
class StarterGone extends Error {
  constructor(readonly reason: ImportEndReason) {
    super(reason);
  }
}

/** The lock's holder as a refusal names it (`cli` has no user name). */
const holderParams = (h: ImportLockHolder) => ({ by: h.by, ...(h.byUser === undefined ? {} : { byUser: h.byUser }), since: h.since });

/**
 * The chosen file's name as the screen, the audit log and the rejects download name it: a
 * label only (the file is stored under a random name), so anything that cannot be shown or
 * sent in a header as it is goes: lone surrogates (they broke the download's header), control
 * characters, bidi and zero-width marks (「請求書\u202Ecsv.exe」), path separators.
 */
export function shownFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const shown = name.toWellFormed().replace(/[\u0000-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFFD]/g, '').replace(/[\\/]/g, '_').trim();
  return [...shown].slice(0, 255).join('') || 'accounts.csv';
}

/** The first rows of a staged file under its header: CsvDecodeStream and csv-parse, as the import reads it. */
async function preview(path: string): Promise<Pick<StagedFile, 'encoding' | 'columns' | 'rows' | 'missingColumns' | 'utf16'>> {
  const decoder = new CsvDecodeStream();
  const parser = parse({ record_delimiter: CSV_LINE_BREAKS, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true, to: PREVIEW_ROWS + 1 });
  const source = createReadStream(path, { end: PREVIEW_BYTES - 1 });
  const records: string[][] = [];
  source.pipe(decoder).pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      records.push(record);
      if (records.length > PREVIEW_ROWS) break;
    }
  } finally {
    source.destroy();
  }
  const header = records[0] ?? [];
  const [columns = [], ...rows] = records.map((record) => record.slice(0, PREVIEW_COLUMNS));
  const names = header.map((c) => c.trim().toLowerCase());
  // The staff screens' one masking rule (issue 16 §4): JSA-IDs and addresses leave the main
  // process masked, by their column or, in a column that is not theirs, by their shape. Shown
  // as the import will read them: a formula guard (our export's apostrophe) taken away.
  const masked = rows.map((row) =>
    row.map(unguardFormula).map((value, i) => (names[i] === 'jsa_id' ? forStaff('jsaId', value.trim()) : names[i] === 'email' ? forStaff('email', value.trim()) : forStaffByShape(value.trim()))),
  );
  return { encoding: decoder.encoding, columns, rows: masked, missingColumns: IMPORT_COLUMNS.filter((c) => !names.includes(c)), ...(decoder.utf16 ? { utf16: true } : {}) };
}

/**
 * The counter's one import slot (issue 18 §4): a chosen file, copied into the data folder so
 * the dry run and the import read the same bytes, and the running or last run, which lives
 * here in the main process: the screen polls it and finds it again after leaving. One run,
 * and one file arriving, at a time; a second is refused in words (CONFLICT, reason
 * import-running). The import itself is services/account-import.ts, unchanged.
 */
export function createImportJobs(deps: ImportJobsDeps) {
  const maxBytes = deps.maxBytes ?? IMPORT_UPLOAD_MAX_BYTES;
  const dir = join(deps.dataDir, 'imports');
  const lock = importLock(deps.dataDir);
  let file: StagedFile | null = null;
  let job: Job | null = null;
  let rejectsPath: string | null = null;
  // Set in the same tick as the check, before any await: two requests at once cannot both pass.
  let receiving: { by: string; byUser: string; since: string } | null = null;
  let starting: { by: string; byUser: string; since: string } | null = null;
  let running: Promise<void> = Promise.resolve();
  let source: Readable | null = null;

  const now = () => iso(deps.clock.nowMs());
  const view = (): ImportJobView => ({
    file: file && { name: file.name, bytes: file.bytes, encoding: file.encoding, columns: file.columns, rows: file.rows, missingColumns: file.missingColumns, ...(file.utf16 ? { utf16: true } : {}), chosenAt: file.chosenAt, chosenBy: file.chosenBy, chosenByUser: file.chosenByUser },
    run: job && { ...job, problems: job.problems },
    maxBytes,
  });

  const refuseWhileBusy = () => {
    if (job?.state === 'running') throw new AppError('CONFLICT', { params: { reason: 'import-running', by: job.by, byUser: job.byUser, since: job.startedAt } });
    // `npm run accounts:import` on this counter's data folder.
    const other = lock.holder();
    if (other && other.pid !== process.pid) throw new AppError('CONFLICT', { params: { reason: 'import-running', ...holderParams(other) } });
    if (starting) throw new AppError('CONFLICT', { params: { reason: 'import-running', ...starting } });
    if (receiving) throw new AppError('CONFLICT', { params: { reason: 'file-arriving', ...receiving } });
  };

  const forget = async () => {
    const paths = [file?.path, rejectsPath].filter((p): p is string => typeof p === 'string');
    file = null;
    job = null;
    rejectsPath = null;
    await Promise.all(paths.map((p) => rm(p, { force: true })));
  };

  const newPath = (suffix: string) => join(dir, `${randomBytes(12).toString('hex')}${suffix}`);

  return {
    maxBytes,

    /** Leftovers of a run the last process did not finish: personal data nobody can reach now. */
    async clearLeftovers(): Promise<void> {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const name of await readdir(dir)) await rm(join(dir, name), { force: true, recursive: true });
    },

    status: view,

    /** May a file arrive now? Throws CONFLICT or BODY_TOO_LARGE in words the screen has. */
    checkCanReceive(declaredBytes: number): void {
      refuseWhileBusy();
      if (declaredBytes > maxBytes) throw new AppError('BODY_TOO_LARGE', { params: { maxBytes } });
    },

    /**
     * A new file for the slot, streamed to disk with the size limit counted as it comes (a
     * Content-Length may lie or be absent). The previous file and rejects go.
     */
    async receive(source: Readable, name: string, actor: string): Promise<ImportJobView> {
      refuseWhileBusy();
      const arriving = { by: '', byUser: '', since: now() };
      receiving = arriving;
      const path = newPath('.csv');
      let bytes = 0;
      try {
        const who = await deps.staffName(actor);
        Object.assign(arriving, who);
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const counter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            bytes += chunk.length;
            if (bytes > maxBytes) done(new AppError('BODY_TOO_LARGE', { params: { maxBytes } }));
            else done(null, chunk);
          },
        });
        await pipeline(source, counter, createWriteStream(path, { mode: 0o600 }));
        const shown = await preview(path);
        await forget();
        file = { path, name: shownFileName(name), bytes, ...shown, chosenAt: now(), chosenBy: who.by, chosenByUser: who.byUser };
        deps.logger.info({ importFile: { bytes, encoding: shown.encoding } }, 'import file received');
        return view();
      } catch (error) {
        await rm(path, { force: true });
        throw error;
      } finally {
        receiving = null;
      }
    },

    /** Starts a dry run or the import of the chosen file; the answer comes at once, the run goes on. */
    async start(dryRun: boolean, locale: 'ja' | 'en', actor: string): Promise<ImportJobView> {
      refuseWhileBusy();
      const staged = file;
      if (!staged) throw new AppError('NOT_FOUND', { params: { reason: 'no-file' } });
      const startedAt = now();
      const claim = { by: '', byUser: '', since: startedAt };
      starting = claim;
      let unlock: (() => void) | undefined;
      try {
        const who = await deps.staffName(actor);
        Object.assign(claim, who);
        const held = lock.acquire(who.by, startedAt, who.byUser);
        if (!held.ok) throw new AppError('CONFLICT', { params: { reason: 'import-running', ...holderParams(held.holder) } });
        unlock = held.release;
        // The staged file first: gone (removed from the data folder behind the app's back), the
        // slot forgets it and the screen asks for a file again, before any run is shown.
        const size = await stat(staged.path).then(
          (s) => s.size,
          () => undefined,
        );
        if (size === undefined) {
          await forget();
          throw new AppError('NOT_FOUND', { params: { reason: 'no-file' } });
        }
        if (rejectsPath) await rm(rejectsPath, { force: true });
        const path = newPath('.rejects.csv');
        const rejects = await RejectsFile.open(path, locale, { maxRows: SLOT_REJECTS_MAX_ROWS });
        rejectsPath = path;
        const run: Job = {
          kind: dryRun ? 'dry-run' : 'import',
          state: 'running',
          startedAt,
          finishedAt: null,
          ...who,
          rows: 0,
          inserted: 0,
          updated: 0,
          unchanged: 0,
          rejected: 0,
          bytes: 0,
          totalBytes: staged.bytes,
          demoRemoved: 0,
          stopped: false,
          seconds: 0,
          problems: [],
          rejectsAvailable: false,
          endedBecause: null,
        };
        job = run;
        const finish = async (report: ImportReport) => {
          await rejects.close();
          Object.assign(run, {
            rows: report.rows,
            inserted: report.inserted,
            updated: report.updated,
            unchanged: report.unchanged,
            rejected: report.rejected,
            bytes: report.bytes,
            demoRemoved: report.demoRemoved,
            stopped: report.stopped,
            seconds: report.seconds,
            problems: report.problems.map((p) => ({ line: p.line, issues: p.issues })),
            rejectsAvailable: report.rejected > 0,
            state: 'done',
            finishedAt: now(),
          } satisfies Partial<Job>);
        };
        const fail = async (error: unknown) => {
          await rejects.close().catch(() => undefined);
          const endedBecause = error instanceof StarterGone ? error.reason : null;
          Object.assign(run, { state: 'failed', finishedAt: now(), rejectsAvailable: run.rejected > 0, endedBecause } satisfies Partial<Job>);
          if (endedBecause) deps.logger.info({ importRun: run.kind, rows: run.rows, endedBecause }, 'account import stopped: its admin may no longer import');
          else deps.logger.error({ importRun: run.kind, rows: run.rows, failure: loggedError(error) }, 'account import broke off');
          // Whole batches are kept (each is its own transaction): the record says how far it got.
          // Stopped because of its admin: the counter stopped it (system), the admin is its subject.
          if (!dryRun) {
            const entry = endedBecause
              ? { actor: 'system', subject: actor, detail: { file: staged.name, rows: run.rows, inserted: run.inserted, updated: run.updated, reason: endedBecause } }
              : { actor, detail: { file: staged.name, rows: run.rows, inserted: run.inserted, updated: run.updated } };
            await appendAudit(deps.db, { ...entry, action: 'accounts.import-failed' }, now()).catch(() => undefined);
          }
        };
        const beforeBatch = async () => {
          const reason = await deps.starterGone(actor);
          if (reason) throw new StarterGone(reason);
        };
        source = deps.openFile ? deps.openFile(staged.path) : createReadStream(staged.path, { highWaterMark: 256 * 1024 });
        running = importAccounts(deps.db, deps.clock, source, {
          actor,
          dryRun,
          totalBytes: size,
          fileName: staged.name,
          onProgress: (p) => Object.assign(run, p),
          onReject: (row) => rejects.add(row),
          beforeBatch,
        })
          .then(finish, fail)
          .finally(() => held.release());
        // The run releases the lock when it ends; a failure before it began releases it below.
        unlock = undefined;
        return view();
      } finally {
        unlock?.();
        // From here on the running job itself refuses a second one.
        starting = null;
      }
    },

    async discard(): Promise<ImportJobView> {
      refuseWhileBusy();
      await forget();
      return view();
    },

    /** The rejected rows of the last run, streamed from their file; undefined when there are none. */
    rejects(): { fileName: string; rows: number; open(): Readable } | undefined {
      if (!job || !rejectsPath || job.state === 'running' || job.rejected === 0) return undefined;
      const path = rejectsPath;
      const base = (file?.name ?? 'accounts').replace(/\.[^.]*$/, '');
      return { fileName: `${base}-rejected.csv`, rows: job.rejected, open: () => createReadStream(path) };
    },

    /**
     * Forgets the file and the rejected rows a day after they were last used (chosen, or the
     * last run finished); a run going on keeps them. Called by the hourly maintenance.
     */
    async expire(): Promise<boolean> {
      if (!file && !job) return false;
      if (job?.state === 'running' || starting || receiving) return false;
      const last = Math.max(file ? Date.parse(file.chosenAt) : 0, job?.finishedAt ? Date.parse(job.finishedAt) : 0);
      if (deps.clock.nowMs() - last < IMPORT_SLOT_KEPT_MS) return false;
      await forget();
      deps.logger.info('import file and rejected rows removed after a day');
      return true;
    },

    /** Ends a running import at its next batch (the app is closing); committed batches stay whole. */
    async stop(): Promise<void> {
      if (job?.state === 'running' && source) {
        // The run's own listener reports it as a failed run; this one keeps a late echo quiet.
        source.on('error', () => undefined);
        source.destroy(new Error('the app is closing'));
      }
      await running;
    },
  };
}

export type ImportJobs = ReturnType<typeof createImportJobs>;
