import { useEffect, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { actorKindLabels, AppError, importReasonText, nameWithCode, type CallError, type ImportJobView } from '../../src-main/contract';
import { toCallError } from '../api/api-context';
import { useAppInfo } from '../api/app-info';
import { uploadFile } from '../api/upload';
import { PageHeading } from '../components/PageHeading';
import { currentLocale } from '../i18n/setup';
import { ConfirmDialog } from './ConfirmDialog';
import { formatBytes } from './DiagnosticsPage';
import { saveFromMain } from './save-file';
import { useStaff } from './staff-session';
import { CallAlert, Notice, useLoad, useTimeFormat } from './ui';

/** How often the screen asks for the progress of a run (the run itself lives in the main process). */
const POLL_MS = 700;

type Run = NonNullable<ImportJobView['run']>;

const percentOf = (run: Run) => (run.totalBytes > 0 ? Math.min(100, Math.floor((run.bytes / run.totalBytes) * 100)) : 0);

/**
 * Who chose the file or runs the import, as the audit log names people: 氏名（ユーザー名） or
 * Name (user) by the screen's language. `npm run accounts:import` holds the same lock as `cli`.
 */
function importer(by: unknown, byUser: unknown, locale: 'ja' | 'en'): string {
  if (by === 'cli') return actorKindLabels.cli[locale];
  return typeof byUser === 'string' && byUser !== '' ? nameWithCode(String(by ?? ''), byUser, locale) : String(by ?? '');
}

/** A refusal this screen words itself: one import at a time, a file over the limit. */
function refusalText(t: TFunction, error: CallError, maxBytes: number, time: (iso: string) => string, locale: 'ja' | 'en'): string | null {
  const p = error.params ?? {};
  const by = importer(p.by, p.byUser, locale);
  if (error.code === 'CONFLICT' && p.reason === 'import-running') return t('staff.accountFiles.import.busy', { by, since: time(String(p.since ?? '')) });
  if (error.code === 'CONFLICT' && p.reason === 'file-arriving') return t('staff.accountFiles.import.busyArriving', { by });
  if (error.code === 'BODY_TOO_LARGE') return t('staff.accountFiles.import.tooLarge', { size: formatBytes(Number(p.size ?? 0)) || '', max: formatBytes(Number(p.maxBytes ?? maxBytes)) });
  if (error.code === 'NOT_FOUND' && p.reason === 'no-file') return t('staff.accountFiles.import.noFile');
  return null;
}

/** A failed step of 「アカウントの取り込み」: the screen's own words where it has them, the common ones otherwise; announced. */
export function StepAlert({ error, maxBytes }: { error: CallError | null; maxBytes: number }) {
  const { t, i18n } = useTranslation();
  const time = useTimeFormat();
  if (!error) return null;
  const own = refusalText(t, error, maxBytes, time, currentLocale(i18n));
  if (!own) return <CallAlert error={error} />;
  return (
    <div className="error-summary staff-alert" role="alert">
      <p className="error-summary__text">{own}</p>
    </div>
  );
}

/**
 * 「アカウントの取り込み」 (issue 18 §4, admin): choose a CSV (an upload in web mode, the
 * main process's open dialog in the Electron app), see its encoding and first rows, check it
 * with a dry run, import it with a progress bar, save the rejected rows. The run lives in
 * the main process, so leaving the screen and coming back finds it where it is.
 */
export function AccountImportPage() {
  const { t, i18n } = useTranslation();
  const locale = currentLocale(i18n);
  const { call } = useStaff();
  const info = useAppInfo();
  const time = useTimeFormat();
  const loaded = useLoad(() => call('accounts.import.status', {}), []);
  const [job, setJob] = useState<ImportJobView | undefined>(undefined);
  const [error, setError] = useState<CallError | null>(null);
  const [notice, setNotice] = useState('');
  const [pending, setPending] = useState(false);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const current = job ?? loaded.data;
  const run = current?.run ?? null;
  const maxBytes = current?.maxBytes ?? 0;
  const electron = info.transport === 'ipc';

  useEffect(() => {
    if (run?.state !== 'running') return;
    const timer = setInterval(() => {
      call('accounts.import.status', {}).then(setJob, (e: unknown) => setError(toCallError(e)));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [run?.state, call]);

  const step = async (work: () => Promise<ImportJobView | undefined>, done?: string) => {
    setError(null);
    setNotice('');
    setPending(true);
    try {
      const next = await work();
      if (next) setJob(next);
      if (done) setNotice(done);
    } catch (e) {
      setError(toCallError(e));
    } finally {
      setPending(false);
      setUploaded(null);
    }
  };

  const upload = () =>
    step(async () => {
      const file = fileInput.current?.files?.[0];
      if (!file) {
        setNotice(t('staff.accountFiles.import.noFileChosen'));
        return undefined;
      }
      if (file.size > maxBytes) throw new AppError('BODY_TOO_LARGE', { params: { size: file.size, maxBytes } });
      const { ticket } = await call('accounts.import.beginUpload', { fileName: file.name, bytes: file.size });
      setUploaded(0);
      const result = await uploadFile(ticket, file, (fraction) => setUploaded(Math.floor(fraction * 100)));
      if (!result.ok) throw new AppError(result.error.code, { params: { size: file.size, ...result.error.params } });
      if (fileInput.current) fileInput.current.value = '';
      return result.value as ImportJobView;
    });
  const choose = () => step(async () => (await call('accounts.import.chooseFile', {})).job);
  const start = (dryRun: boolean) => step(() => call('accounts.import.run', { dryRun, locale }));
  const discard = () => step(() => call('accounts.import.discard', {}), t('staff.accountFiles.import.discarded'));
  const saveRejects = () =>
    step(async () => {
      const { ticket, fileName } = await call('accounts.import.rejects', {});
      const saved = await saveFromMain(ticket, fileName);
      setNotice(saved === 'cancelled' ? t('staff.accountFiles.import.saveCancelled') : t('staff.accountFiles.import.rejectsSaving', { file: fileName }));
      return undefined;
    });

  const busy = pending || run?.state === 'running';
  const file = current?.file ?? null;
  return (
    <>
      <PageHeading>{t('staff.accountFiles.import.heading')}</PageHeading>
      <p className="lead">{t('staff.accountFiles.import.lead')}</p>
      <CallAlert error={loaded.error} />
      <StepAlert error={error} maxBytes={maxBytes} />
      <Notice>{notice}</Notice>
      {current && (
        <section className="staff-section" aria-labelledby="import-choose">
          <h2 id="import-choose">{t('staff.accountFiles.import.choose')}</h2>
          <p>{t('staff.accountFiles.import.format', { max: formatBytes(maxBytes) })}</p>
          {electron ? (
            <div className="staff-toolbar">
              <button data-call="accounts.import.chooseFile" type="button" className="button button--primary" disabled={busy} onClick={() => void choose()}>
                {t('staff.accountFiles.import.chooseFile')}
              </button>
            </div>
          ) : (
            <div className="field">
              <label htmlFor="import-file" className="field__label">
                {t('staff.accountFiles.import.fileLabel')}
              </label>
              <div className="field__control staff-toolbar">
                <input id="import-file" ref={fileInput} type="file" accept=".csv,.txt,text/csv" className="input staff-file" disabled={busy} />
                <button data-call="accounts.import.beginUpload" type="button" className="button button--primary" disabled={busy} onClick={() => void upload()}>
                  {t('staff.accountFiles.import.upload')}
                </button>
              </div>
            </div>
          )}
          {uploaded !== null && <p role="status">{t('staff.accountFiles.import.uploading', { percent: uploaded })}</p>}
        </section>
      )}
      {file && <ChosenFile file={file} />}
      {file && (
        <div className="staff-toolbar">
          <button data-call="accounts.import.run" type="button" className="button button--secondary" disabled={busy || file.missingColumns.length > 0} onClick={() => void start(true)}>
            {t('staff.accountFiles.import.dryRun')}
          </button>
          <button data-call="accounts.import.run" type="button" className="button button--primary" disabled={busy || file.missingColumns.length > 0} onClick={() => setConfirming(true)}>
            {t('staff.accountFiles.import.run')}
          </button>
          <button data-call="accounts.import.discard" type="button" className="button button--secondary" disabled={busy} onClick={() => void discard()}>
            {t('staff.accountFiles.import.discard')}
          </button>
        </div>
      )}
      {run && <RunView run={run} time={time} onRejects={() => void saveRejects()} busy={pending} locale={locale} />}
      <ConfirmDialog
        open={confirming}
        title={t('staff.accountFiles.import.confirmTitle')}
        confirmLabel={t('staff.accountFiles.import.confirm')}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void start(false);
        }}
      >
        <p>{t('staff.accountFiles.import.confirmBody', { file: file?.name ?? '' })}</p>
      </ConfirmDialog>
    </>
  );
}

function ChosenFile({ file }: { file: NonNullable<ImportJobView['file']> }) {
  const { t, i18n } = useTranslation();
  const time = useTimeFormat();
  const width = Math.max(file.columns.length, ...file.rows.map((r) => r.length));
  const columns = Array.from({ length: width }, (_, i) => file.columns[i] ?? '');
  return (
    <section className="staff-section" aria-labelledby="import-file-heading">
      <h2 id="import-file-heading">{t('staff.accountFiles.import.file')}</h2>
      <dl className="staff-dl" data-testid="import-file">
        <dt>{t('staff.accountFiles.import.fileName')}</dt>
        <dd>{file.name}</dd>
        <dt>{t('staff.accountFiles.import.size')}</dt>
        <dd>{formatBytes(file.bytes)}</dd>
        <dt>{t('staff.accountFiles.import.encoding')}</dt>
        <dd data-testid="import-encoding">{file.utf16 ? 'UTF-16' : t(`staff.accountFiles.import.encodings.${file.encoding ?? 'ascii'}`)}</dd>
        <dt>{t('staff.accountFiles.import.chosen')}</dt>
        <dd>{t('staff.accountFiles.import.chosenValue', { by: importer(file.chosenBy, file.chosenByUser, currentLocale(i18n)), at: time(file.chosenAt) })}</dd>
      </dl>
      {file.missingColumns.length > 0 && (
        <div className="error-summary staff-alert" role="alert">
          <p className="error-summary__text">
            {file.utf16 ? importReasonText(currentLocale(i18n), [{ code: 'import.utf16' }]) : t('staff.accountFiles.import.missingColumns', { columns: file.missingColumns.join(', ') })}
          </p>
        </div>
      )}
      {file.columns.length === 0 ? (
        <p>{t('staff.accountFiles.import.emptyFile')}</p>
      ) : file.rows.length === 0 ? (
        <p>{t('staff.accountFiles.import.previewEmpty')}</p>
      ) : (
        <div className="staff-table-wrap">
          <table className="staff-table" data-testid="import-preview">
            <caption>{t('staff.accountFiles.import.previewCaption', { count: file.rows.length })}</caption>
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th key={i} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {file.rows.map((row, r) => (
                <tr key={r}>
                  {columns.map((_, i) => (
                    <td key={i}>{row[i] ?? ''}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A run as the slot reports it (exported for the renderer tests). */
export function RunView({ run, time, onRejects, busy, locale }: { run: Run; time: (iso: string) => string; onRejects: () => void; busy: boolean; locale: 'ja' | 'en' }) {
  const { t } = useTranslation();
  const number = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'ja-JP');
  const percent = run.state === 'done' ? 100 : percentOf(run);
  const heading = run.state === 'running' ? t(`staff.accountFiles.import.running.${run.kind}`) : t(`staff.accountFiles.import.done.${run.kind}`);
  const progressText = t('staff.accountFiles.import.progressText', { rows: number.format(run.rows), percent });
  return (
    <section className="staff-section" aria-labelledby="import-run-heading" data-testid="import-run">
      <h2 id="import-run-heading">{heading}</h2>
      <p>{t('staff.accountFiles.import.runBy', { by: importer(run.by, run.byUser, locale), at: time(run.startedAt) })}</p>
      <p id="import-progress-label">{t('staff.accountFiles.import.progressLabel')}</p>
      <progress
        className="staff-progress"
        max={100}
        value={percent}
        aria-labelledby="import-progress-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={progressText}
      />
      <p data-testid="import-progress-text">{progressText}</p>
      {run.state === 'running' && <p>{t('staff.accountFiles.import.leaveNote')}</p>}
      {run.state === 'failed' && (
        <div className="error-summary staff-alert" role="alert">
          <p className="error-summary__text">{t(`staff.accountFiles.import.failed.${run.kind}`)}</p>
          {run.endedBecause && <p className="error-summary__text" data-testid="import-ended-because">{t(`staff.accountFiles.import.endedBecause.${run.endedBecause}`)}</p>}
        </div>
      )}
      {run.state === 'done' && (
        <>
          <dl className="staff-dl" data-testid="import-counts">
            <dt>{t('staff.accountFiles.import.counts.rows')}</dt>
            <dd>{t('staff.accountFiles.import.rowsValue', { rows: number.format(run.rows) })}</dd>
            <dt>{t(`staff.accountFiles.import.counts.inserted.${run.kind}`)}</dt>
            <dd>{number.format(run.inserted)}</dd>
            <dt>{t(`staff.accountFiles.import.counts.updated.${run.kind}`)}</dt>
            <dd>{number.format(run.updated)}</dd>
            <dt>{t('staff.accountFiles.import.counts.unchanged')}</dt>
            <dd>{number.format(run.unchanged)}</dd>
            <dt>{t('staff.accountFiles.import.counts.rejected')}</dt>
            <dd>{number.format(run.rejected)}</dd>
            <dt>{t('staff.accountFiles.import.counts.seconds')}</dt>
            <dd>{t('staff.accountFiles.import.secondsValue', { seconds: run.seconds.toFixed(1) })}</dd>
          </dl>
          {run.demoRemoved > 0 && <p role="status">{t('staff.accountFiles.import.demoRemoved', { count: run.demoRemoved })}</p>}
          {run.stopped && (
            <div className="error-summary staff-alert" role="alert">
              <p className="error-summary__text">{t('staff.accountFiles.import.stopped')}</p>
            </div>
          )}
        </>
      )}
      {run.state !== 'running' && run.problems.length === 0 && run.state === 'done' && <p>{t('staff.accountFiles.import.noProblems')}</p>}
      {run.problems.length > 0 && (
        <div className="staff-table-wrap">
          <table className="staff-table" data-testid="import-problems">
            <caption>
              {run.rejected > run.problems.length
                ? t('staff.accountFiles.import.problems', { count: run.problems.length })
                : t('staff.accountFiles.import.problemsAll', { count: run.rejected })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('staff.accountFiles.import.line')}</th>
                <th scope="col">{t('staff.accountFiles.import.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {run.problems.map((p, i) => (
                <tr key={`${p.line}-${i}`}>
                  <td>{p.line}</td>
                  <td>{importReasonText(locale, p.issues as Parameters<typeof importReasonText>[1])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {run.rejectsAvailable && (
        <div className="staff-toolbar">
          <button data-call="accounts.import.rejects" type="button" className="button button--secondary" disabled={busy} onClick={onRejects}>
            {t('staff.accountFiles.import.rejects')}
          </button>
        </div>
      )}
    </section>
  );
}
