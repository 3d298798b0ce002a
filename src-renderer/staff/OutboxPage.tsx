import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../src-main/contract';
import { PageHeading } from '../components/PageHeading';
import { useStaff } from './staff-session';
import { CallAlert, Notice, Pager, SelectField, useAction, useLoad, useTimeFormat } from './ui';

const states = ['all', 'queued', 'sending', 'sent', 'failed'] as const;

export function OutboxPage() {
  const { t } = useTranslation();
  const { call } = useStaff();
  const time = useTimeFormat();
  const [state, setState] = useState<(typeof states)[number]>('all');
  const [page, setPage] = useState(1);
  const [shown, setShown] = useState<CallOutput<'staff.outbox.get'> | undefined>();
  const [notice, setNotice] = useState('');
  const { error, busy, run } = useAction();
  const list = useLoad(() => call('staff.outbox.list', { ...(state === 'all' ? {} : { state }), page, pageSize: 20 }), [state, page]);

  return (
    <>
      <PageHeading>{t('staff.outbox.heading')}</PageHeading>
      <div className="staff-toolbar">
        <SelectField
          id="outbox-state"
          label={t('staff.outbox.state')}
          value={state}
          options={states.map((s) => ({ value: s, label: s === 'all' ? t('staff.outbox.all') : t(`staff.outbox.states.${s}`) }))}
          onChange={(s) => (setState(s), setPage(1))}
        />
        <button type="button" className="button button--secondary" onClick={list.reload}>
          {t('staff.common.reload')}
        </button>
      </div>
      <CallAlert error={list.error ?? error} />
      <Notice>{notice}</Notice>
      {list.data && (
        <>
          <div className="staff-table-wrap">
            <table className="staff-table">
              <thead>
                <tr>
                  <th scope="col">{t('staff.outbox.createdAt')}</th>
                  <th scope="col">{t('staff.outbox.template')}</th>
                  <th scope="col">{t('staff.outbox.to')}</th>
                  <th scope="col">{t('staff.outbox.state')}</th>
                  <th scope="col">{t('staff.outbox.attempts')}</th>
                  <th scope="col">{t('staff.outbox.lastError')}</th>
                  <th scope="col">{t('staff.account.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((m) => (
                  <tr key={m.mailId}>
                    <td>{time(m.createdAt)}</td>
                    <td>{m.template}</td>
                    <td>{m.maskedTo}</td>
                    <td>{t(`staff.outbox.states.${m.state as 'sent'}`)}</td>
                    <td>{m.attempts}</td>
                    <td>{m.lastError ?? ''}</td>
                    <td>
                      <div className="staff-buttons">
                      <button type="button" className="button button--secondary" onClick={() => void run(() => call('staff.outbox.get', { mailId: m.mailId })).then((mail) => mail && setShown(mail))}>
                        {t('staff.outbox.view')}
                      </button>
                      {(m.state === 'failed' || m.state === 'queued') && (
                        <button
                          type="button"
                          className="button button--secondary"
                          disabled={busy}
                          onClick={() =>
                            void run(() => call('staff.outbox.retry', { mailId: m.mailId })).then((r) => {
                              if (r) {
                                setNotice(t('staff.outbox.retried'));
                                list.reload();
                              }
                            })
                          }
                        >
                          {t('staff.outbox.retry')}
                        </button>
                      )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={setPage} />
        </>
      )}
      {shown && (
        <section className="staff-section" aria-labelledby="outbox-mail">
          <h2 id="outbox-mail">
            {t('staff.outbox.subject')}：{shown.subject}
          </h2>
          <p className="field__label">{t('staff.outbox.body')}</p>
          <pre className="staff-mail">{shown.text}</pre>
        </section>
      )}
    </>
  );
}
