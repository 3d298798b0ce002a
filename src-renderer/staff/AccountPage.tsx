import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../src-main/contract';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useSubmit } from '../components/use-submit';
import { useStaff } from './staff-session';
import { AuditEntries } from './audit-words';
import { DataTable } from './DataTable';
import { CallAlert, Notice, SelectField, useLoad, useTimeFormat } from './ui';

const documents = ['driver-license', 'my-number-card', 'passport', 'residence-card', 'health-insurance', 'employee-id', 'other'] as const;
type Detail = CallOutput<'staff.accounts.get'>;

export function AccountPage({ accountId, onBack }: { accountId: string; onBack: () => void }) {
  const { t } = useTranslation();
  const { call, can } = useStaff();
  const time = useTimeFormat();
  const { data, error: loadError, reload } = useLoad(() => call('staff.accounts.get', { accountId }), [accountId]);
  const { error, attempt, pending, run } = useSubmit();
  const [notice, setNotice] = useState('');
  const [revealed, setRevealed] = useState<{ jsaId: string; email: string } | undefined>();
  const [document, setDocument] = useState<(typeof documents)[number]>('driver-license');
  const [note, setNote] = useState('');
  const [locale, setLocale] = useState<'ja' | 'en'>('ja');
  const [unlockReason, setUnlockReason] = useState('');

  const act = async (work: () => Promise<string>) => {
    setNotice('');
    const message = await run(work);
    if (message) setNotice(message);
    // Refused too: another desk may have acted on this customer meanwhile (a request cancelled,
    // a lock lifted), and the screen shows it instead of offering the same stale button again.
    reload();
  };

  const reveal = async (event: FormEvent) => {
    event.preventDefault();
    const shown = await run(() => call('staff.accounts.revealIdentity', { accountId, document, note }));
    if (shown) {
      setRevealed(shown);
      reload();
    }
  };

  const sendReset = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const sent = await call('staff.reset.send', { accountId, locale, revision: data?.revision });
      return t('staff.account.sent', { email: sent.maskedEmail, expires: time(sent.expiresAt) });
    });
  };

  const a: Detail['account'] | undefined = data?.account;
  return (
    <>
      <PageHeading>{t('staff.account.heading')}</PageHeading>
      <p>
        <button type="button" className="button button--link" onClick={onBack}>
          {t('staff.common.back')}
        </button>
      </p>
      <CallAlert key={attempt} error={loadError ?? error} labels={{ note: t('staff.account.note') }} />
      <Notice>{notice}</Notice>
      {a && data && (
        <>
          <section className="staff-section" aria-labelledby="acc-registered">
            <h2 id="acc-registered">{t('staff.account.registered')}</h2>
            <dl className="staff-dl">
              <dt>{t('staff.lookup.jsaId')}</dt>
              <dd data-testid="account-jsa-id">{revealed?.jsaId ?? a.maskedJsaId}</dd>
              <dt>{t('staff.lookup.email')}</dt>
              <dd>{revealed?.email ?? a.maskedEmail}</dd>
              <dt>{t('staff.lookup.name')}</dt>
              <dd>{a.contactName}</dd>
              <dt>{t('staff.lookup.company')}</dt>
              <dd>{a.company}</dd>
              <dt>{t('staff.lookup.department')}</dt>
              <dd>{a.department}</dd>
              <dt>{t('staff.lookup.address')}</dt>
              <dd>{a.address}</dd>
              <dt>{t('staff.lookup.phone')}</dt>
              <dd>{a.phone}</dd>
              <dt>{t('staff.account.hasPassword')}</dt>
              <dd>{a.hasPassword ? t('staff.common.yes') : t('staff.common.no')}</dd>
              <dt>{t('staff.account.passwordChangedAt')}</dt>
              <dd>{time(a.passwordChangedAt)}</dd>
              <dt>{t('staff.lookup.locks')}</dt>
              <dd>{a.locks.length ? a.locks.map((k) => t(`staff.lookup.lockKinds.${k}`)).join('・') : t('staff.common.no')}</dd>
            </dl>
            {revealed ? (
              <p className="note">{t('staff.account.revealed')}</p>
            ) : !can('staff.accounts.revealIdentity') ? null : (
              <form className="staff-inline-form" onSubmit={(e) => void reveal(e)} aria-labelledby="acc-reveal">
                <h3 id="acc-reveal">{t('staff.account.reveal')}</h3>
                <p className="guide">{t('staff.account.revealLead')}</p>
                <SelectField id="acc-document" label={t('staff.account.document')} value={document} options={documents.map((d) => ({ value: d, label: t(`staff.account.documents.${d}`) }))} onChange={setDocument} />
                <Field id="acc-note" name="note" label={t('staff.account.note')} value={note} onChange={(e) => setNote(e.target.value)} />
                <button data-call="staff.accounts.revealIdentity" type="submit" className="button button--secondary" disabled={pending}>
                  {t('staff.account.revealButton')}
                </button>
              </form>
            )}
          </section>

          {can('staff.reset.send') && (
          <section className="staff-section" aria-labelledby="acc-reset">
            <h2 id="acc-reset">{t('staff.account.reset')}</h2>
            <p className="guide">{t('staff.account.resetLead')}</p>
            <form className="staff-inline-form" onSubmit={sendReset}>
              <SelectField id="acc-locale" label={t('staff.account.locale')} value={locale} options={(['ja', 'en'] as const).map((l) => ({ value: l, label: t(`staff.account.locales.${l}`) }))} onChange={setLocale} />
              <button data-call="staff.reset.send" type="submit" className="button button--primary" disabled={pending}>
                {t('staff.account.sendReset')}
              </button>
            </form>
          </section>
          )}

          {a.locks.length > 0 && !can('staff.locks.lift') && (
            // Only a role that may lift a lock is offered the button (the contract's role for staff.locks.lift).
            <section className="staff-section" aria-labelledby="acc-unlock">
              <h2 id="acc-unlock">{t('staff.account.lockList')}</h2>
              <p className="staff-callout" data-testid="unlock-needs-role">
                {t('staffUx.account.unlockNeedsRole')}
              </p>
            </section>
          )}
          {a.locks.length > 0 && can('staff.locks.lift') && (
            <section className="staff-section" aria-labelledby="acc-unlock">
              <h2 id="acc-unlock">{t('staff.account.lockList')}</h2>
              <Field id="acc-unlock-reason" name="reason" label={t('staff.account.unlockReason')} value={unlockReason} onChange={(e) => setUnlockReason(e.target.value)} />
              <div className="staff-buttons">
                {a.locks.map((kind) => (
                  <button data-call="staff.locks.lift"
                    key={kind}
                    type="button"
                    className="button button--secondary"
                    disabled={pending}
                    onClick={() =>
                      void act(async () => {
                        const { lifted } = await call('staff.locks.lift', { accountId, kind, reason: unlockReason, revision: data.lockRevisions[kind] });
                        return t(lifted > 0 ? 'staff.account.unlocked' : 'staff.account.alreadyUnlocked');
                      })
                    }
                  >
                    {t('staff.account.unlock', { kind: t(`staff.lookup.lockKinds.${kind}`) })}
                  </button>
                ))}
              </div>
            </section>
          )}

          <section className="staff-section" aria-labelledby="acc-requests">
            <h2 id="acc-requests">{t('staff.account.requests')}</h2>
            <DataTable
              caption={t('staff.account.requests')}
              rows={data.requests}
              rowKey={(r) => r.requestId}
              empty={t('staffUx.empty.requests')}
              columns={[
                { header: t('staff.account.createdAt'), cell: (r) => time(r.createdAt) },
                { header: t('staff.account.channel'), cell: (r) => t(`staff.account.channels.${r.channel as 'staff'}`) },
                { header: t('staff.account.status'), cell: (r) => t(`staff.account.statuses.${r.effectiveStatus as 'pending'}`) },
                { header: t('staff.account.expiresAt'), cell: (r) => time(r.expiresAt) },
              ]}
              actions={(r) =>
                r.effectiveStatus === 'pending' && (
                  <>
                    {can('staff.reset.resend') && (
                    <button data-call="staff.reset.resend"
                      type="button"
                      className="button button--secondary"
                      disabled={pending}
                      onClick={() =>
                        void act(async () => {
                          const sent = await call('staff.reset.resend', { requestId: r.requestId });
                          return t('staff.account.resent', { email: sent.maskedEmail });
                        })
                      }
                    >
                      {t('staff.account.resend')}
                    </button>
                    )}
                    {can('staff.reset.cancel') && (
                    <button data-call="staff.reset.cancel"
                      type="button"
                      className="button button--secondary"
                      disabled={pending}
                      onClick={() =>
                        void act(async () => {
                          await call('staff.reset.cancel', { requestId: r.requestId });
                          return t('staff.account.cancelled');
                        })
                      }
                    >
                      {t('staff.account.cancel')}
                    </button>
                    )}
                  </>
                )
              }
            />
          </section>

          <section className="staff-section" aria-labelledby="acc-history">
            <h2 id="acc-history">{t('staff.account.history')}</h2>
            <AuditEntries caption={t('staff.account.history')} rows={data.history} withSubject={false} empty={t('staffUx.empty.history')} />
          </section>
        </>
      )}
    </>
  );
}
