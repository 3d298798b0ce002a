import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useSubmit } from '../components/use-submit';
import { DataTable } from './DataTable';
import { useStaff } from './staff-session';
import { CallAlert, Notice, useLoad, useTimeFormat } from './ui';

interface Filter {
  action: string;
  actor: string;
  subject: string;
  from: string;
  to: string;
}
const empty: Filter = { action: '', actor: '', subject: '', from: '', to: '' };
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

export function AuditPage() {
  const { t } = useTranslation();
  const { call } = useStaff();
  const time = useTimeFormat();
  const [draft, setDraft] = useState<Filter>(empty);
  const [filter, setFilter] = useState<Filter>(empty);
  const [page, setPage] = useState(1);
  const [notice, setNotice] = useState('');
  const { error, attempt, pending, run } = useSubmit();
  const list = useLoad(() => call('staff.audit.list', { ...compact(filter), page, pageSize: 25 }), [filter, page]);
  const labels = { action: t('staff.audit.action'), actor: t('staff.audit.actor'), subject: t('staff.audit.subject'), from: t('staff.audit.from'), to: t('staff.audit.to') };
  const set = (key: keyof Filter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(draft);
    setPage(1);
  };

  return (
    <>
      <PageHeading>{t('staff.audit.heading')}</PageHeading>
      <form className="staff-filter" onSubmit={apply}>
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
          <button
            type="button"
            className="button button--secondary"
            disabled={pending}
            onClick={() =>
              void run(() => call('staff.audit.export', compact(filter))).then((out) => {
                if (!out) return;
                saveCsv(out.filename, out.csv);
                setNotice(t('staff.audit.exported', { rows: out.rows, file: out.filename }));
              })
            }
          >
            {t('staff.audit.export')}
          </button>
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
        </div>
      </form>
      <CallAlert key={attempt} error={list.error ?? error} labels={labels} />
      <Notice>{notice}</Notice>
      {list.data && (
        <DataTable
          caption={t('staff.audit.heading')}
          rows={list.data.items}
          rowKey={(e) => String(e.seq)}
          columns={[
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
