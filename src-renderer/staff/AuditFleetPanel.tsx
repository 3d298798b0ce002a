import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../components/Field';
import { useSubmit } from '../components/use-submit';
import { AuditDetail, useCodeWords } from './audit-words';
import { DataTable } from './DataTable';
import { saveCsv } from './save-file';
import { useStaff } from './staff-session';
import { CallAlert, Notice, SelectField, useLoad, useTimeFormat } from './ui';

interface FleetFilter {
  kiosk: string;
  action: string;
  actor: string;
  subject: string;
  from: string;
  to: string;
}
const empty: FleetFilter = { kiosk: '', action: '', actor: '', subject: '', from: '', to: '' };
const compact = (f: FleetFilter) => Object.fromEntries(Object.entries(f).filter(([, v]) => v.trim() !== '')) as Partial<FleetFilter>;

/**
 * 監査ログ 「全窓口」 (issue 14 item 6): every counter's entries as central holds them, with the
 * counter as one more filter and column. Each entry in the words of this counter's own log
 * (AuditDetail: labelled fields); another counter's staff are named by their kind (their
 * names live at that counter).
 */
export function AuditFleetPanel() {
  const { t } = useTranslation();
  const { call } = useStaff();
  const words = useCodeWords();
  const time = useTimeFormat();
  const [draft, setDraft] = useState<FleetFilter>(empty);
  const [filter, setFilter] = useState<FleetFilter>(empty);
  const [page, setPage] = useState(1);
  const [notice, setNotice] = useState('');
  const { error, attempt, pending, run } = useSubmit();
  const list = useLoad(() => call('audit.fleet.list', { ...compact(filter), page, pageSize: 25 }), [filter, page]);
  const labels = { kiosk: t('staff.auditFleet.kiosk'), action: t('staff.audit.action'), actor: t('staff.audit.actor'), subject: t('staff.audit.subject'), from: t('staff.audit.from'), to: t('staff.audit.to') };
  const set = (key: keyof FleetFilter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(draft);
    setPage(1);
  };
  const exportCsv = () =>
    void run(() => call('audit.fleet.export', compact(filter))).then((out) => {
      if (!out) return;
      saveCsv(out.filename, out.csv);
      const done = t('staff.auditFleet.exported', { rows: out.rows, file: out.filename });
      setNotice(out.truncated ? `${done} ${t('staff.auditFleet.truncated', { rows: out.rows })}` : done);
    });

  return (
    <>
      <p className="lead">{t('staff.auditFleet.fleetLead')}</p>
      <form className="staff-filter" onSubmit={apply}>
        <SelectField
          id="audit-kiosk"
          label={labels.kiosk}
          value={draft.kiosk}
          options={[{ value: '', label: t('staff.auditFleet.kioskAll') }, ...(list.data?.kiosks ?? []).map((k) => ({ value: k, label: k }))]}
          onChange={(kiosk) => setDraft((d) => ({ ...d, kiosk }))}
        />
        <Field id="audit-action" name="action" label={labels.action} hint={t('staff.audit.actionHint')} list="audit-actions" value={draft.action} onChange={set('action')} />
        <datalist id="audit-actions">{list.data?.actions.map((a) => <option key={a} value={a} label={words.action(a)} />)}</datalist>
        <Field id="audit-actor" name="actor" label={labels.actor} hint={t('staff.audit.actorHint')} value={draft.actor} onChange={set('actor')} />
        <Field id="audit-subject" name="subject" label={labels.subject} value={draft.subject} onChange={set('subject')} />
        <Field id="audit-from" name="from" type="date" label={labels.from} value={draft.from} onChange={set('from')} />
        <Field id="audit-to" name="to" type="date" label={labels.to} value={draft.to} onChange={set('to')} />
        <div className="staff-buttons">
          <button data-call="audit.fleet.list" type="submit" className="button button--primary">
            {t('staff.audit.filter')}
          </button>
          <button data-call="audit.fleet.export" type="button" className="button button--secondary" disabled={pending} onClick={exportCsv}>
            {t('staff.audit.export')}
          </button>
        </div>
      </form>
      <CallAlert key={attempt} error={list.error ?? error} labels={labels} />
      <Notice>{notice}</Notice>
      {list.data && (
        <DataTable
          caption={t('staff.auditFleet.tableCaption')}
          rows={list.data.items}
          rowKey={(e) => `${e.clientId}:${e.seq}`}
          columns={[
            { header: t('staff.auditFleet.kiosk'), cell: (e) => e.kioskId },
            { header: t('staff.audit.seq'), cell: (e) => e.seq },
            { header: t('staff.audit.at'), cell: (e) => time(e.at) },
            { header: t('staff.audit.actor'), cell: (e) => words.actor(e.actorView) },
            { header: t('staff.audit.action'), cell: (e) => words.action(e.action) },
            { header: t('staff.audit.subject'), cell: (e) => words.subject(e) },
            { header: t('staff.audit.detail'), cell: (e) => <AuditDetail entry={e} /> },
          ]}
          paging={{ page: list.data.page, pageSize: list.data.pageSize, total: list.data.total, onPage: setPage }}
        />
      )}
    </>
  );
}
