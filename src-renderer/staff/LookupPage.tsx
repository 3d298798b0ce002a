import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../src-main/contract';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useStaff } from './staff-session';
import { CallAlert, Pager, SelectField, useAction } from './ui';

const searchFields = ['any', 'jsaId', 'email', 'name', 'company', 'phone'] as const;
type SearchField = (typeof searchFields)[number];

export function LookupPage({ onOpen }: { onOpen: (accountId: string) => void }) {
  const { t } = useTranslation();
  const { call } = useStaff();
  const [query, setQuery] = useState('');
  const [field, setField] = useState<SearchField>('any');
  const [result, setResult] = useState<CallOutput<'staff.accounts.search'> | undefined>();
  const { error, busy, run } = useAction();

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
        <Field id="lookup-query" name="query" label={t('staff.lookup.query')} hint={t('staff.lookup.queryHint')} value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
        <SelectField id="lookup-field" label={t('staff.lookup.field')} value={field} options={searchFields.map((f) => ({ value: f, label: t(`staff.lookup.fields.${f}`) }))} onChange={setField} />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('staff.lookup.search')}
          </button>
        </div>
      </form>
      <CallAlert error={error} labels={{ query: t('staff.lookup.query') }} />
      {result && (
        <section aria-labelledby="lookup-results" className="staff-section">
          <h2 id="lookup-results">{t('staff.lookup.results')}</h2>
          {result.capped && <p className="note">{t('staff.lookup.capped')}</p>}
          {result.items.length === 0 ? (
            <p role="status">{t('staff.common.none')}</p>
          ) : (
            <div className="staff-table-wrap">
              <table className="staff-table">
                <thead>
                  <tr>
                    <th scope="col">{t('staff.lookup.jsaId')}</th>
                    <th scope="col">{t('staff.lookup.name')}</th>
                    <th scope="col">{t('staff.lookup.company')}</th>
                    <th scope="col">{t('staff.lookup.department')}</th>
                    <th scope="col">{t('staff.lookup.phone')}</th>
                    <th scope="col">{t('staff.lookup.email')}</th>
                    <th scope="col">{t('staff.lookup.locks')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((a) => (
                    <tr key={a.accountId}>
                      <td>
                        <button type="button" className="button button--link" onClick={() => onOpen(a.accountId)}>
                          {a.maskedJsaId}
                        </button>
                      </td>
                      <td>{a.contactName}</td>
                      <td>{a.company}</td>
                      <td>{a.department}</td>
                      <td>{a.phone}</td>
                      <td>{a.maskedEmail}</td>
                      <td>{a.locks.map((k) => t(`staff.lookup.lockKinds.${k}`)).join('・')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager page={result.page} pageSize={result.pageSize} total={result.total} onPage={(p) => void search(p)} />
        </section>
      )}
    </>
  );
}
