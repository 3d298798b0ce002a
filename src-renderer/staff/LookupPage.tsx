import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../src-main/contract';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useSubmit } from '../components/use-submit';
import { DataTable } from './DataTable';
import { useStaff } from './staff-session';
import { STAFF_SEARCH_ID } from './staff-search';
import { CallAlert, SelectField } from './ui';

const searchFields = ['any', 'jsaId', 'email', 'name', 'company', 'phone'] as const;
type SearchField = (typeof searchFields)[number];

export function LookupPage({ onOpen }: { onOpen: (accountId: string) => void }) {
  const { t } = useTranslation();
  const { call } = useStaff();
  const [query, setQuery] = useState('');
  const [field, setField] = useState<SearchField>('any');
  const [result, setResult] = useState<CallOutput<'staff.accounts.search'> | undefined>();
  const { error, attempt, pending, run } = useSubmit();

  const search = async (page: number) => {
    const found = await run(() => call('staff.accounts.search', { query, field, page, pageSize: 20 }));
    if (found) setResult(found);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void search(1);
  };

  return (
    <>
      <PageHeading>{t('staff.lookup.heading')}</PageHeading>
      <form className="staff-search" role="search" onSubmit={submit}>
        <Field id={STAFF_SEARCH_ID} name="query" label={t('staff.lookup.query')} hint={`${t('staff.lookup.queryHint')} ${t('staffUx.search.slashHint')}`} value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
        <SelectField id="lookup-field" label={t('staff.lookup.field')} value={field} options={searchFields.map((f) => ({ value: f, label: t(`staff.lookup.fields.${f}`) }))} onChange={setField} />
        <div className="actions">
          <button data-call="staff.accounts.search" type="submit" className="button button--primary" disabled={pending}>
            {t('staff.lookup.search')}
          </button>
        </div>
      </form>
      <CallAlert key={attempt} error={error} labels={{ query: t('staff.lookup.query') }} />
      {!result && <p className="staff-empty">{t('staffUx.search.start')}</p>}
      {result && (
        <section aria-labelledby="lookup-results" className="staff-section">
          <h2 id="lookup-results">{t('staff.lookup.results')}</h2>
          {result.incomplete && (
            <p className="note" role="status">
              {t(`staff.lookup.incomplete.${result.incomplete}`)}
            </p>
          )}
          {result.capped && <p className="note">{t('staff.lookup.capped')}</p>}
          <DataTable
            caption={t('staff.lookup.results')}
            rows={result.items}
            rowKey={(a) => a.accountId}
            empty={t('staffUx.search.empty')}
            columns={[
              {
                header: t('staff.lookup.jsaId'),
                cell: (a) => (
                  <button data-call="staff.accounts.get" type="button" className="button button--link" onClick={() => onOpen(a.accountId)}>
                    {a.maskedJsaId}
                  </button>
                ),
              },
              { header: t('staff.lookup.name'), cell: (a) => a.contactName },
              { header: t('staff.lookup.company'), cell: (a) => a.company },
              { header: t('staff.lookup.department'), cell: (a) => a.department },
              { header: t('staff.lookup.phone'), cell: (a) => a.phone },
              { header: t('staff.lookup.email'), cell: (a) => a.maskedEmail },
              { header: t('staff.lookup.locks'), cell: (a) => a.locks.map((k) => t(`staff.lookup.lockKinds.${k}`)).join('・') },
            ]}
            paging={{ page: result.page, pageSize: result.pageSize, total: result.total, onPage: (p) => void search(p) }}
          />
        </section>
      )}
    </>
  );
}
