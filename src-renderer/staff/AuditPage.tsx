import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useSubmit } from '../components/use-submit';
import { DataTable } from './DataTable';
import { useStaff } from './staff-session';
import { CallAlert, Notice, SelectField, useLoad, useTimeFormat } from './ui';

interface Filter {
  kiosk: string;
  action: string;
  actor: string;
  subject: string;
  from: string;
  to: string;
}
const empty: Filter = { kiosk: '', action: '', actor: '', subject: '', from: '', to: '' };
type Scope = 'local' | 'fleet';
/** One row of either scope: the fleet's carry the counter that wrote them. */
interface Entry {
  key: string;
  kioskId?: string;
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  detail: string;
}
const compact = (f: Filter) => Object.fromEntries(Object.entries(f).filter(([, v]) => v.trim() !== '')) as Partial<Filter>;

/** The renderer has no file system: the CSV becomes a Blob and the browser saves it. */
function saveCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * 監査ログ: this counter's log (filters, CSV, the hash-chain check), and — while the central
 * database is reachable — the 「全窓口」 scope: every counter's entries as central holds them
 * (issue 14 item 6), with the counter as one more filter and column.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const { call } = useStaff();
  const time = useTimeFormat();
  const [draft, setDraft] = useState<Filter>(empty);
  const [filter, setFilter] = useState<Filter>(empty);
  const [page, setPage] = useState(1);
  const [scope, setScope] = useState<Scope>('local');
  const [notice, setNotice] = useState('');
  const { error, attempt, pending, run } = useSubmit();
  const status = useLoad(() => call('sync.status', {}), []);
  const reachable = status.data?.mode === 'synced' && (status.data.state === 'online' || status.data.state === 'first-sync');
  const fleet = scope === 'fleet' && reachable;
  const list = useLoad<{ total: number; page: number; pageSize: number; items: Entry[]; actions: string[]; kiosks: string[] }>(async () => {
    if (fleet) {
      const out = await call('audit.fleet.list', { ...compact(filter), page, pageSize: 25 });
      return { ...out, items: out.items.map((e) => ({ ...e, key: `${e.clientId}:${e.seq}` })) };
    }
    const { kiosk: _kiosk, ...local } = compact(filter);
    const out = await call('staff.audit.list', { ...local, page, pageSize: 25 });
    return { ...out, items: out.items.map((e) => ({ ...e, key: String(e.seq) })), kiosks: [] };
  }, [filter, page, fleet]);
  const labels = { kiosk: t('staff.auditFleet.kiosk'), action: t('staff.audit.action'), actor: t('staff.audit.actor'), subject: t('staff.audit.subject'), from: t('staff.audit.from'), to: t('staff.audit.to') };
  const set = (key: keyof Filter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(draft);
    setPage(1);
  };
  const switchScope = (next: Scope) => {
    setScope(next);
    setPage(1);
    setNotice('');
  };

  const exportCsv = () =>
    void run(() => (fleet ? call('audit.fleet.export', compact(filter)) : call('staff.audit.export', (({ kiosk: _k, ...f }) => f)(compact(filter))))).then((out) => {
      if (!out) return;
      saveCsv(out.filename, out.csv);
      const done = fleet ? t('staff.auditFleet.exported', { rows: out.rows, file: out.filename }) : t('staff.audit.exported', { rows: out.rows, file: out.filename });
      setNotice(out.truncated ? `${done} ${t('staff.auditFleet.truncated', { rows: out.rows })}` : done);
    });

  return (
    <>
      <PageHeading>{t('staff.audit.heading')}</PageHeading>
      {status.data?.mode === 'synced' && (
        <fieldset className="staff-fieldset staff-scope">
          <legend>{t('staff.auditFleet.scope')}</legend>
          {(['local', 'fleet'] as const).map((value) => (
            <div key={value} className="staff-check">
              <input id={`audit-scope-${value}`} type="radio" name="audit-scope" value={value} checked={scope === value} disabled={value === 'fleet' && !reachable} onChange={() => switchScope(value)} />
              <label htmlFor={`audit-scope-${value}`}>{t(value === 'fleet' ? 'staff.auditFleet.scopeFleet' : 'staff.auditFleet.scopeLocal')}</label>
            </div>
          ))}
          {!reachable && <p className="guide">{t('staff.auditFleet.scopeFleetOff')}</p>}
        </fieldset>
      )}
      {fleet && <p className="lead">{t('staff.auditFleet.fleetLead')}</p>}
      <form className="staff-filter" onSubmit={apply}>
        {fleet && (
          <SelectField
            id="audit-kiosk"
            label={labels.kiosk}
            value={draft.kiosk}
            options={[{ value: '', label: t('staff.auditFleet.kioskAll') }, ...(list.data?.kiosks ?? []).map((k) => ({ value: k, label: k }))]}
            onChange={(kiosk) => setDraft((d) => ({ ...d, kiosk }))}
          />
        )}
        <Field id="audit-action" name="action" label={labels.action} hint={t('staff.audit.actionHint')} list="audit-actions" value={draft.action} onChange={set('action')} />
        <datalist id="audit-actions">{list.data?.actions.map((a) => <option key={a} value={a} />)}</datalist>
        <Field id="audit-actor" name="actor" label={labels.actor} hint={t('staff.audit.actorHint')} value={draft.actor} onChange={set('actor')} />
        <Field id="audit-subject" name="subject" label={labels.subject} value={draft.subject} onChange={set('subject')} />
        <Field id="audit-from" name="from" type="date" label={labels.from} value={draft.from} onChange={set('from')} />
        <Field id="audit-to" name="to" type="date" label={labels.to} value={draft.to} onChange={set('to')} />
        <div className="staff-buttons">
          <button type="submit" className="button button--primary">
            {t('staff.audit.filter')}
          </button>
          <button type="button" className="button button--secondary" disabled={pending} onClick={exportCsv}>
            {t('staff.audit.export')}
          </button>
          {!fleet && (
            <button
              type="button"
              className="button button--secondary"
              disabled={pending}
              onClick={() =>
                void run(() => call('staff.audit.verify', {})).then((r) => {
                  if (r) setNotice(r.firstBreak ? t('staff.audit.broken', { seq: r.firstBreak.seq }) : t('staff.audit.intact', { checked: r.checked }));
                })
              }
            >
              {t('staff.audit.verify')}
            </button>
          )}
        </div>
      </form>
      <CallAlert key={attempt} error={list.error ?? error} labels={labels} />
      <Notice>{notice}</Notice>
      {list.data && (
        <DataTable
          caption={fleet ? t('staff.auditFleet.tableCaption') : t('staff.audit.heading')}
          rows={list.data.items}
          rowKey={(e) => e.key}
          columns={[
            ...(fleet ? [{ header: t('staff.auditFleet.kiosk'), cell: (e: Entry) => e.kioskId ?? '' }] : []),
            { header: t('staff.audit.seq'), cell: (e) => e.seq },
            { header: t('staff.audit.at'), cell: (e) => time(e.at) },
            { header: t('staff.audit.actor'), cell: (e) => e.actor },
            { header: t('staff.audit.action'), cell: (e) => e.action },
            { header: t('staff.audit.subject'), cell: (e) => e.subject ?? '' },
            { header: t('staff.audit.detail'), cell: (e) => e.detail, className: 'staff-code' },
          ]}
          paging={{ page: list.data.page, pageSize: list.data.pageSize, total: list.data.total, onPage: setPage }}
        />
      )}
    </>
  );
}
