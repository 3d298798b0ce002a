import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../src-main/contract';
import { PageHeading } from '../components/PageHeading';
import { useSubmit } from '../components/use-submit';
import { ConfirmDialog } from './ConfirmDialog';
import { useStaff } from './staff-session';
import { DataTable } from './DataTable';
import { CallAlert, Notice, useLoad, useTimeFormat } from './ui';
import { saveBlob } from './save-file';

type Purge = CallOutput<'ops.purgeNow'>;
type RetentionItem = CallOutput<'ops.retention'>['items'][number];

const problemCodes = ['store-check', 'schema-unknown', 'mail-delayed', 'mail-failed', 'backup-overdue', 'mail-unknown', 'demo-accounts', 'code-key-mismatch', 'clock-implausible', 'sync-offline', 'sync-other-installation', 'sync-clock', 'log-unwritable'] as const;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The support bundle arrives as base64 (a call answers JSON); the browser saves the zip. */
function saveZip(fileName: string, base64: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  saveBlob(fileName, new Blob([bytes], { type: 'application/zip' }));
}

const purgeCounts = (t: TFunction, p: Purge) =>
  t('staff.diagnostics.purgeCounts', { resetRequests: p.resetRequests, attemptRecords: p.attemptRecords, mailSecrets: p.mailSecrets, mail: p.mail, maildropFiles: p.maildropFiles });

function kept(t: TFunction, item: RetentionItem): string {
  if (item.keptDays !== null && item.keptCount !== null) return t('staff.diagnostics.keptBoth', { days: item.keptDays, count: item.keptCount });
  if (item.keptDays !== null) return t('staff.diagnostics.keptDays', { days: item.keptDays });
  if (item.keptCount !== null) return t('staff.diagnostics.keptCount', { count: item.keptCount });
  return t('staff.diagnostics.keptForever');
}

/**
 * Beside a backup or purge stamped later than the counter's clock (made while it was ahead): the
 * chores count it as not done, and without these words the screen showed, say, a 2028 date as
 * the newest backup with nothing amiss.
 */
function AheadNote({ what }: { what: 'backup' | 'purge' }) {
  const { t } = useTranslation();
  // The space before the bracket is in the English words only (Japanese puts none before （）.
  return <span>{t(what === 'backup' ? 'staff.diagnostics.backupAhead' : 'staff.diagnostics.purgeAhead')}</span>;
}

/**
 * 診断情報 (issue 7 §2): the /health figures for staff, the support bundle, backups and
 * retention. Supervisors see it; taking a backup or purging now is for admins.
 */
export function DiagnosticsPage() {
  const { t } = useTranslation();
  const { call, can } = useStaff();
  const time = useTimeFormat();
  const health = useLoad(() => call('ops.diagnostics', {}), []);
  const backups = useLoad(() => call('ops.backups', {}), []);
  const retention = useLoad(() => call('ops.retention', {}), []);
  const [notice, setNotice] = useState('');
  const [confirmPurge, setConfirmPurge] = useState(false);
  const { error, attempt, pending, run } = useSubmit();
  const h = health.data;

  const exportBundle = async () => {
    setNotice('');
    const bundle = await run(() => call('ops.supportBundle', {}));
    if (bundle) {
      saveZip(bundle.fileName, bundle.base64);
      setNotice(t('staff.diagnostics.bundleDone', { file: bundle.fileName, size: formatBytes(bundle.bytes) }));
    }
  };
  const backupNow = async () => {
    setNotice('');
    const item = await run(() => call('ops.backupNow', {}));
    if (item) {
      setNotice(t('staff.diagnostics.backupDone', { name: item.name }));
      backups.reload();
      health.reload();
    }
  };
  // The clock problem as the dialog showed it: the purge goes through under it only when the admin saw it.
  const clockDoubt = h?.problems.includes('clock-implausible') === true;
  const purgeNow = async () => {
    setConfirmPurge(false);
    setNotice('');
    const report = await run(() => call('ops.purgeNow', { clockChecked: clockDoubt }));
    if (report) setNotice(t('staff.diagnostics.purgeDone', { counts: purgeCounts(t, report) }));
    retention.reload();
    health.reload();
  };
  const uptime = (seconds: number) =>
    t('staff.diagnostics.uptimeValue', { days: Math.floor(seconds / 86_400), hours: Math.floor((seconds % 86_400) / 3600), minutes: Math.floor((seconds % 3600) / 60) });

  return (
    <>
      <PageHeading>{t('staff.diagnostics.heading')}</PageHeading>
      <p className="lead">{t('staff.diagnostics.lead')}</p>
      <div className="staff-toolbar">
        <button data-call="ops.supportBundle" type="button" className="button button--primary" disabled={pending} onClick={() => void exportBundle()}>
          {t('staff.diagnostics.bundle')}
        </button>
        <button data-call="ops.diagnostics" type="button" className="button button--secondary" onClick={() => (health.reload(), backups.reload(), retention.reload())}>
          {t('staff.common.reload')}
        </button>
      </div>
      <CallAlert key={attempt} error={health.error ?? backups.error ?? retention.error ?? error} />
      <Notice>{notice}</Notice>
      {h && (
        <section className="staff-section" aria-labelledby="diag-status">
          <h2 id="diag-status">{t('staff.diagnostics.status')}</h2>
          <p className={`staff-status staff-status--${h.status}`} data-testid="diag-status">
            {t(`staff.diagnostics.statuses.${h.status}`)}
          </p>
          {h.problems.length > 0 && (
            <>
              <h3>{t('staff.diagnostics.problems')}</h3>
              <ul className="staff-list">
                {h.problems.map((p) => (
                  <li key={p}>
                    {(problemCodes as readonly string[]).includes(p) ? t(`staff.diagnostics.problemCodes.${p as (typeof problemCodes)[number]}`) : p} <code>{p}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
          <dl className="staff-dl" data-testid="diag-figures">
            <dt>{t('staff.diagnostics.versions')}</dt>
            <dd>
              {t('staff.diagnostics.app')} {h.versions.app} / {t('staff.diagnostics.node')} {h.versions.node} / {t('staff.diagnostics.electron')} {h.versions.electron ?? t('staff.diagnostics.none')} /{' '}
              {t('staff.diagnostics.sqlite')} {h.versions.sqlite}
            </dd>
            <dt>{t('staff.diagnostics.schema')}</dt>
            <dd>{t('staff.diagnostics.schemaValue', { schema: h.schema ?? '—', expected: h.schemaExpected })}</dd>
            <dt>{t('staff.diagnostics.mode')}</dt>
            <dd>{t(`staff.setup.modes.${h.mode}`)}</dd>
            <dt>{t('staff.diagnostics.kioskId')}</dt>
            <dd>{h.kioskId}</dd>
            <dt>{t('staff.diagnostics.store')}</dt>
            <dd>{t('staff.diagnostics.storeValue', { size: formatBytes(h.store.bytes), wal: formatBytes(h.store.walBytes) })}</dd>
            <dt>{t('staff.diagnostics.startupCheck')}</dt>
            <dd>{h.store.startupCheck}</dd>
            <dt>{t('staff.diagnostics.outbox')}</dt>
            <dd>{t('staff.diagnostics.outboxValue', { depth: h.outboxDepth, failed: h.outboxFailed, unknown: h.outboxUnknown })}</dd>
            <dt>{t('staff.diagnostics.sync')}</dt>
            <dd>
              {!h.sync.central
                ? t('staff.diagnostics.syncStandalone')
                : h.sync.lagSeconds === null
                  ? t('staff.diagnostics.syncUnknown')
                  : t('staff.diagnostics.syncLag', { seconds: Math.round(h.sync.lagSeconds) })}
            </dd>
            <dt>{t('staff.diagnostics.backupCount')}</dt>
            <dd>{h.backups.count}</dd>
            <dt>{t('staff.diagnostics.backupNewest')}</dt>
            <dd>
              {time(h.backups.newestAt)}
              {h.backups.newestAhead && <AheadNote what="backup" />}
            </dd>
            <dt>{t('staff.diagnostics.lastPurge')}</dt>
            <dd>
              {h.retention.lastPurgeAt ? time(h.retention.lastPurgeAt) : t('staff.diagnostics.lastPurgeNever')}
              {h.retention.lastPurgeAhead && <AheadNote what="purge" />}
            </dd>
            <dt>{t('staff.diagnostics.startedAt')}</dt>
            <dd>{time(h.startedAt)}</dd>
            <dt>{t('staff.diagnostics.uptime')}</dt>
            <dd>{uptime(h.uptimeSeconds)}</dd>
          </dl>
          <h3>{t('staff.diagnostics.lastErrors')}</h3>
          <DataTable
            caption={t('staff.diagnostics.lastErrors')}
            rows={h.lastErrors}
            rowKey={(e, i) => `${e.at}-${i}`}
            columns={[
              { header: t('staff.diagnostics.errorAt'), cell: (e) => time(e.at) },
              { header: t('staff.diagnostics.errorCall'), cell: (e) => e.call ?? '—' },
              { header: t('staff.diagnostics.errorCode'), cell: (e) => e.code },
            ]}
          />
        </section>
      )}

      {backups.data && (
        <section className="staff-section" aria-labelledby="diag-backups">
          <h2 id="diag-backups">{t('staff.diagnostics.backups')}</h2>
          <p className="guide">{t('staff.diagnostics.backupsLead', { keep: backups.data.keep })}</p>
          {can('ops.backupNow') && (
            <div className="staff-buttons">
              <button data-call="ops.backupNow" type="button" className="button button--secondary" disabled={pending} onClick={() => void backupNow()}>
                {t('staff.diagnostics.backupNow')}
              </button>
            </div>
          )}
          <DataTable
            caption={t('staff.diagnostics.backups')}
            testId="backup-list"
            empty={t('staffUx.empty.backups')}
            rows={backups.data.items}
            rowKey={(b) => b.name}
            columns={[
              { header: t('staff.diagnostics.backupName'), cell: (b) => b.name },
              {
                header: t('staff.diagnostics.backupAt'),
                cell: (b) => (
                  <>
                    {time(b.at)}
                    {b.ahead && <AheadNote what="backup" />}
                  </>
                ),
              },
              { header: t('staff.diagnostics.backupSize'), cell: (b) => formatBytes(b.bytes) },
            ]}
          />
        </section>
      )}

      {retention.data && (
        <section className="staff-section" aria-labelledby="diag-retention">
          <h2 id="diag-retention">{t('staff.diagnostics.retention')}</h2>
          <p className="guide">{t('staff.diagnostics.retentionLead')}</p>
          <DataTable
            caption={t('staff.diagnostics.retention')}
            rows={retention.data.items}
            rowKey={(item) => item.what}
            columns={[
              { header: t('staff.diagnostics.retentionWhat'), cell: (item) => t(`staff.diagnostics.items.${item.what}`) },
              { header: t('staff.diagnostics.retentionKept'), cell: (item) => kept(t, item) },
            ]}
          />
          <dl className="staff-dl">
            <dt>{t('staff.diagnostics.lastPurge')}</dt>
            <dd data-testid="last-purge">
              {retention.data.lastPurge ? t('staffUx.labelled', { label: time(retention.data.lastPurge.at), value: purgeCounts(t, retention.data.lastPurge) }) : t('staff.diagnostics.lastPurgeNever')}
              {retention.data.lastPurgeAhead && <AheadNote what="purge" />}
            </dd>
          </dl>
          {can('ops.purgeNow') && (
            <div className="staff-buttons">
              <button data-call="ops.purgeNow" type="button" className="button button--secondary" disabled={pending} onClick={() => setConfirmPurge(true)}>
                {t('staff.diagnostics.purgeNow')}
              </button>
            </div>
          )}
        </section>
      )}
      <ConfirmDialog
        open={confirmPurge}
        title={t('staff.diagnostics.purgeConfirmTitle')}
        confirmLabel={t(clockDoubt ? 'staff.diagnostics.purgeConfirmClock' : 'staff.diagnostics.purgeConfirm')}
        onConfirm={() => void purgeNow()}
        onCancel={() => setConfirmPurge(false)}
      >
        {clockDoubt && h && (
          <p className="staff-warning" data-testid="purge-clock-warning">
            {t('staff.diagnostics.purgeClockWarning', { now: time(h.clock.now), reference: time(h.clock.referenceAt) })}
          </p>
        )}
        <p>{t('staff.diagnostics.purgeConfirmBody')}</p>
      </ConfirmDialog>
    </>
  );
}
