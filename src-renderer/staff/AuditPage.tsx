import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useSubmit } from '../components/use-submit';
import { AuditEntries, useCodeWords } from './audit-words';
import { AuditFleetPanel } from './AuditFleetPanel';
import { saveCsv } from './save-file';
import { useStaff } from './staff-session';
import { CallAlert, Notice, SelectField, useLoad } from './ui';

/**
 * The filter as the screen holds it. Each key is one field of `staff.audit.list`; a new
 * filter (a scope, say) is one more key here, one more field in `AuditFilters`.
 */
export interface AuditFilter {
  actor: string;
  actorName: string;
  action: string;
  subject: string;
  from: string;
  to: string;
}
const empty: AuditFilter = { actor: '', actorName: '', action: '', subject: '', from: '', to: '' };
const compact = (f: AuditFilter) => Object.fromEntries(Object.entries(f).filter(([, v]) => v.trim() !== '')) as Partial<AuditFilter>;

/** Non-staff actors, as the log stores them: `customer:` is a prefix (every logged-in customer). */
const otherActors = ['kiosk', 'customer:', 'system', 'cli'] as const;

type Scope = 'local' | 'fleet';

/**
 * 監査ログ: this counter's log (who in words, filters, CSV, the hash-chain check), and — while
 * the central database is reachable — the 「全窓口」 scope (AuditFleetPanel, issue 14 item 6).
 */
export function AuditPage() {
  const { t } = useTranslation();
  const { call } = useStaff();
  const words = useCodeWords();
  const [draft, setDraft] = useState<AuditFilter>(empty);
  const [filter, setFilter] = useState<AuditFilter>(empty);
  const [page, setPage] = useState(1);
  const [notice, setNotice] = useState('');
  const { error, attempt, pending, run } = useSubmit();
  const [scope, setScope] = useState<Scope>('local');
  const status = useLoad(() => call('sync.status', {}), []);
  const reachable = status.data?.mode === 'synced' && (status.data.state === 'online' || status.data.state === 'first-sync');
  const fleet = scope === 'fleet' && reachable;
  const list = useLoad(() => call('staff.audit.list', { ...compact(filter), page, pageSize: 25 }), [filter, page]);
  const labels = {
    action: t('staffUx.audit.action'),
    actor: t('staffUx.audit.actor'),
    actorName: t('staffUx.audit.actorName'),
    subject: t('staff.audit.subject'),
    from: t('staff.audit.from'),
    to: t('staff.audit.to'),
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(draft);
    setPage(1);
  };

  return (
    <>
      <PageHeading>{t('staff.audit.heading')}</PageHeading>
      <p className="guide">{t('staffUx.audit.lead')}</p>
      {status.data?.mode === 'synced' && (
        <fieldset className="staff-fieldset staff-scope">
          <legend>{t('staff.auditFleet.scope')}</legend>
          {(['local', 'fleet'] as const).map((value) => (
            <div key={value} className="staff-check">
              <input id={`audit-scope-${value}`} type="radio" name="audit-scope" value={value} checked={scope === value} disabled={value === 'fleet' && !reachable} onChange={() => setScope(value)} />
              <label htmlFor={`audit-scope-${value}`}>{t(value === 'fleet' ? 'staff.auditFleet.scopeFleet' : 'staff.auditFleet.scopeLocal')}</label>
            </div>
          ))}
          {!reachable && <p className="guide">{t('staff.auditFleet.scopeFleetOff')}</p>}
        </fieldset>
      )}
      {fleet ? (
        <AuditFleetPanel />
      ) : (
        <>
      <AuditFilters draft={draft} onDraft={setDraft} onApply={apply} labels={labels} actions={list.data?.actions ?? []} actors={list.data?.actors ?? []} words={words} />
      <div className="staff-buttons staff-toolbar" role="group" aria-label={t('staffUx.audit.actions')}>
        <button data-call="staff.audit.export"
          type="button"
          className="button button--secondary"
          disabled={pending}
          onClick={() =>
            void run(() => call('staff.audit.export', { ...compact(filter), locale: words.locale })).then((out) => {
              if (!out) return;
              saveCsv(out.filename, out.csv);
              setNotice(t('staff.audit.exported', { rows: out.rows, file: out.filename }));
            })
          }
        >
          {t('staff.audit.export')}
        </button>
        <button data-call="staff.audit.verify"
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
      <CallAlert key={attempt} error={list.error ?? error} labels={labels} />
      <Notice>{notice}</Notice>
      {list.data && (
        <AuditEntries
          caption={t('staff.audit.heading')}
          rows={list.data.items}
          withSubject
          empty={t('staffUx.empty.audit')}
          paging={{ page: list.data.page, pageSize: list.data.pageSize, total: list.data.total, onPage: setPage }}
        />
      )}
        </>
      )}
    </>
  );
}

type Words = ReturnType<typeof useCodeWords>;

function AuditFilters({
  draft,
  onDraft,
  onApply,
  labels,
  actions,
  actors,
  words,
}: {
  draft: AuditFilter;
  onDraft: (next: AuditFilter) => void;
  onApply: (event: FormEvent) => void;
  labels: Record<'action' | 'actor' | 'actorName' | 'subject' | 'from' | 'to', string>;
  actions: readonly string[];
  actors: ReadonlyArray<{ code: string; kind: 'staff' | 'customer' | 'kiosk' | 'system' | 'cli'; displayName: string | null; username: string | null; disabled: boolean }>;
  words: Words;
}) {
  const { t } = useTranslation();
  const set = (key: keyof AuditFilter) => (value: string) => onDraft({ ...draft, [key]: value });
  const actorOptions = [
    { value: '', label: t('staffUx.audit.actorAll') },
    ...actors.map((a) => ({ value: a.code, label: words.actor(a) })),
    ...otherActors.map((code) => ({ value: code, label: words.actor({ code, kind: code === 'customer:' ? 'customer' : code, displayName: null, username: null, disabled: false }) })),
  ];
  const actionOptions = [
    { value: '', label: t('staffUx.audit.actionAll') },
    ...[...actions].map((code) => ({ value: code, label: words.action(code) })).sort((a, b) => a.label.localeCompare(b.label, words.locale)),
  ];
  return (
    <form className="staff-filter" onSubmit={onApply} aria-label={t('staffUx.audit.filters')}>
      <SelectField id="audit-actor" label={labels.actor} value={draft.actor} options={actorOptions} onChange={set('actor')} />
      <Field id="audit-actor-name" name="actorName" label={labels.actorName} hint={t('staffUx.audit.actorNameHint')} value={draft.actorName} onChange={(e) => set('actorName')(e.target.value)} />
      <SelectField id="audit-action" label={labels.action} value={draft.action} options={actionOptions} onChange={set('action')} />
      <Field id="audit-subject" name="subject" label={labels.subject} hint={t('staffUx.audit.subjectHint')} value={draft.subject} onChange={(e) => set('subject')(e.target.value)} />
      <Field id="audit-from" name="from" type="date" label={labels.from} value={draft.from} onChange={(e) => set('from')(e.target.value)} />
      <Field id="audit-to" name="to" type="date" label={labels.to} value={draft.to} onChange={(e) => set('to')(e.target.value)} />
      <div className="actions">
        <button data-call="staff.audit.list" type="submit" className="button button--primary">
          {t('staff.audit.filter')}
        </button>
      </div>
    </form>
  );
}
