import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../src-main/contract';
import { PageHeading } from '../components/PageHeading';
import { useSubmit } from '../components/use-submit';
import { ConfirmDialog } from './ConfirmDialog';
import { DataTable } from './DataTable';
import { useCodeWords } from './audit-words';
import { useStaff } from './staff-session';
import { CallAlert, Notice, SelectField, useLoad, useTimeFormat } from './ui';

const states = ['all', 'queued', 'sending', 'committing', 'unknown', 'sent', 'failed', 'withdrawn'] as const;

type MailSummary = CallOutput<'staff.outbox.list'>['items'][number];
type Resolution = { mail: MailSummary; outcome: 'resend' | 'delivered' };

export function OutboxPage() {
  const { t } = useTranslation();
  const { call, can } = useStaff();
  const words = useCodeWords();
  const time = useTimeFormat();
  const [state, setState] = useState<(typeof states)[number]>('all');
  const [page, setPage] = useState(1);
  const [shown, setShown] = useState<CallOutput<'staff.outbox.get'> | undefined>();
  const [notice, setNotice] = useState('');
  const [resolving, setResolving] = useState<Resolution | undefined>();
  const { error, attempt, pending: busy, run } = useSubmit();
  const list = useLoad(() => call('staff.outbox.list', { ...(state === 'all' ? {} : { state }), page, pageSize: 20 }), [state, page]);
  // Unknown outcomes wait for a person whatever the filter shows, so their count is always on top.
  const unknown = useLoad(() => call('staff.outbox.list', { state: 'unknown', page: 1, pageSize: 1 }), [state, page, notice]);
  const canResolve = can('staff.outbox.resolveUnknown');
  const canRetry = can('staff.outbox.retry');

  async function resolve() {
    if (!resolving) return;
    const { mail, outcome } = resolving;
    setResolving(undefined);
    const r = await run(() => call('staff.outbox.resolveUnknown', { mailId: mail.mailId, outcome }));
    if (r) {
      setNotice(r.resolved ? t(outcome === 'resend' ? 'staff.outbox.unknownResent' : 'staff.outbox.unknownDelivered') : t('staff.outbox.unknownGone'));
      list.reload();
    }
  }

  return (
    <>
      <PageHeading>{t('staff.outbox.heading')}</PageHeading>
      {unknown.data && unknown.data.total > 0 && (
        <div className="staff-section" data-testid="outbox-unknown">
          <p>
            <strong>{t('staff.outbox.unknownCount', { count: unknown.data.total })}</strong>
          </p>
          <p>{t('staff.outbox.unknownNote')}</p>
          <p>{canResolve ? t('staff.outbox.unknownHowTo') : t('staff.outbox.unknownAskSupervisor')}</p>
        </div>
      )}
      <div className="staff-toolbar">
        <SelectField
          id="outbox-state"
          label={t('staff.outbox.state')}
          value={state}
          options={states.map((s) => ({ value: s, label: s === 'all' ? t('staff.outbox.all') : t(`staff.outbox.states.${s}`) }))}
          onChange={(s) => (setState(s), setPage(1))}
        />
        <button data-call="staff.outbox.list" type="button" className="button button--secondary" onClick={list.reload}>
          {t('staff.common.reload')}
        </button>
      </div>
      <CallAlert key={attempt} error={list.error ?? error} />
      <Notice>{notice}</Notice>
      {list.data && (
        <DataTable
          caption={t('staff.outbox.heading')}
          rows={list.data.items}
          rowKey={(m) => m.mailId}
          empty={t('staffUx.empty.outbox')}
          columns={[
            { header: t('staff.outbox.createdAt'), cell: (m) => time(m.createdAt) },
            { header: t('staff.outbox.template'), cell: (m) => words.mail(m.template) },
            { header: t('staff.outbox.to'), cell: (m) => m.maskedTo },
            {
              header: t('staff.outbox.state'),
              cell: (m) => (
                <>
                  {t(`staff.outbox.states.${m.state as 'sent'}`)}
                  {m.state === 'unknown' && m.handoverAt && (
                    <>
                      <br />
                      {t('staff.outbox.handoverAt', { time: time(m.handoverAt) })}
                    </>
                  )}
                </>
              ),
            },
            { header: t('staff.outbox.attempts'), cell: (m) => m.attempts },
            { header: t('staff.outbox.lastError'), cell: (m) => m.lastError ?? '' },
          ]}
          actions={(m) => (
            <>
              <button data-call="staff.outbox.get" type="button" className="button button--secondary" onClick={() => void run(() => call('staff.outbox.get', { mailId: m.mailId })).then((mail) => mail && setShown(mail))}>
                {t('staff.outbox.view')}
              </button>
              {(m.state === 'failed' || m.state === 'queued') && canRetry && (
                <button data-call="staff.outbox.retry"
                  type="button"
                  className="button button--secondary"
                  disabled={busy}
                  onClick={() =>
                    void run(() => call('staff.outbox.retry', { mailId: m.mailId })).then((r) => {
                      if (r) {
                        setNotice(t(r.queued ? 'staff.outbox.retried' : 'staff.outbox.notRetried'));
                        list.reload();
                      }
                    })
                  }
                >
                  {t('staff.outbox.retry')}
                </button>
              )}
              {m.state === 'unknown' && canResolve && (
                <>
                  <button data-call="staff.outbox.resolveUnknown" type="button" className="button button--secondary" disabled={busy} onClick={() => setResolving({ mail: m, outcome: 'resend' })}>
                    {t('staff.outbox.resendUnknown')}
                  </button>
                  <button data-call="staff.outbox.resolveUnknown" type="button" className="button button--secondary" disabled={busy} onClick={() => setResolving({ mail: m, outcome: 'delivered' })}>
                    {t('staff.outbox.markDelivered')}
                  </button>
                </>
              )}
            </>
          )}
          paging={{ page: list.data.page, pageSize: list.data.pageSize, total: list.data.total, onPage: setPage }}
        />
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
      <ConfirmDialog
        open={resolving !== undefined}
        title={resolving?.outcome === 'delivered' ? t('staff.outbox.confirmDeliveredTitle') : t('staff.outbox.confirmResendTitle')}
        confirmLabel={resolving?.outcome === 'delivered' ? t('staff.outbox.markDelivered') : t('staff.outbox.resendUnknown')}
        onConfirm={() => void resolve()}
        onCancel={() => setResolving(undefined)}
      >
        <p>{t('staff.outbox.confirmMail', { to: resolving?.mail.maskedTo ?? '', time: resolving?.mail.handoverAt ? time(resolving.mail.handoverAt) : '—' })}</p>
        <p>{resolving?.outcome === 'delivered' ? t('staff.outbox.confirmDeliveredBody') : t('staff.outbox.confirmResendBody')}</p>
        {resolving?.outcome === 'resend' && resolving.mail.carriesCode && <p data-testid="resend-code-warning">{t('staff.outbox.confirmResendCode')}</p>}
      </ConfirmDialog>
    </>
  );
}
