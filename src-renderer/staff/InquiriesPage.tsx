import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../src-main/contract';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { atLeast, useStaff } from './staff-session';
import { CallAlert, Notice, Pager, SelectField, useAction, useFieldErrors, useLoad, useTimeFormat } from './ui';

const statuses = ['open', 'approved', 'refused', 'withdrawn'] as const;
const reasons = ['identity-confirmed', 'identity-confirmed-document', 'address-mismatch', 'company-mismatch', 'no-matching-account', 'insufficient-information', 'duplicate', 'other'] as const;
type Reason = (typeof reasons)[number];

export function InquiriesPage({ onOpenAccount }: { onOpenAccount: (accountId: string) => void }) {
  const { t } = useTranslation();
  const { call } = useStaff();
  const time = useTimeFormat();
  const [status, setStatus] = useState<(typeof statuses)[number]>('open');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | undefined>();
  const list = useLoad(() => call('staff.inquiries.list', { status, page, pageSize: 20 }), [status, page]);

  if (open) return <InquiryReview inquiryId={open} onBack={() => (setOpen(undefined), list.reload())} onOpenAccount={onOpenAccount} />;
  return (
    <>
      <PageHeading>{t('staff.inquiries.heading')}</PageHeading>
      <SelectField id="inq-status" label={t('staff.inquiries.status')} value={status} options={statuses.map((s) => ({ value: s, label: t(`staff.inquiries.statuses.${s}`) }))} onChange={(s) => (setStatus(s), setPage(1))} />
      <CallAlert error={list.error} />
      {list.data && (
        <>
          {list.data.items.length === 0 ? (
            <p role="status">{t('staff.common.none')}</p>
          ) : (
            <div className="staff-table-wrap">
              <table className="staff-table">
                <thead>
                  <tr>
                    <th scope="col">{t('staff.inquiries.reference')}</th>
                    <th scope="col">{t('staff.inquiries.kind')}</th>
                    <th scope="col">{t('staff.inquiries.createdAt')}</th>
                    <th scope="col">{t('staff.inquiries.name')}</th>
                    <th scope="col">{t('staff.inquiries.company')}</th>
                    <th scope="col">{t('staff.inquiries.status')}</th>
                    <th scope="col">{t('staff.account.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((i) => (
                    <tr key={i.inquiryId}>
                      <td>{i.reference}</td>
                      <td>{t(`staff.inquiries.kinds.${i.kind as 'jsa_id_unknown'}`)}</td>
                      <td>{time(i.createdAt)}</td>
                      <td>{i.name}</td>
                      <td>{i.company}</td>
                      <td>{t(`staff.inquiries.statuses.${i.status as 'open'}`)}</td>
                      <td>
                        <button type="button" className="button button--secondary" onClick={() => setOpen(i.inquiryId)} aria-label={`${t('staff.inquiries.check')} ${i.reference}`}>
                          {t('staff.inquiries.check')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={setPage} />
        </>
      )}
    </>
  );
}

type Review = CallOutput<'staff.inquiries.get'>;

function InquiryReview({ inquiryId, onBack, onOpenAccount }: { inquiryId: string; onBack: () => void; onOpenAccount: (accountId: string) => void }) {
  const { t } = useTranslation();
  const { call, me } = useStaff();
  const time = useTimeFormat();
  const { data, error: loadError, reload } = useLoad(() => call('staff.inquiries.get', { inquiryId }), [inquiryId]);
  const [chosen, setChosen] = useState<string | undefined>();
  const [reason, setReason] = useState<Reason>('identity-confirmed');
  const [reasonText, setReasonText] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [notice, setNotice] = useState('');
  const { error, busy, run } = useAction();
  const labels = { reasonText: t('staff.inquiries.reasonText'), overrideReason: t('staff.inquiries.overrideReason'), accountId: t('staff.inquiries.candidates') };
  const fieldErrors = useFieldErrors(error, labels);

  const candidate = data?.candidates.find((c) => c.account.accountId === (chosen ?? data?.candidates[0]?.account.accountId));
  const needsOverride = candidate?.match.overall === 'refuse';

  const decide = async (decision: 'approve' | 'refuse', event?: FormEvent) => {
    event?.preventDefault();
    setNotice('');
    const result = await run(() =>
      call('staff.inquiries.decide', {
        inquiryId,
        decision,
        accountId: candidate?.account.accountId,
        reasonTemplate: reason,
        reasonText,
        ...(decision === 'approve' && needsOverride ? { overrideReason } : {}),
      }),
    );
    if (result) {
      setNotice(
        result.status === 'refused'
          ? t('staff.inquiries.refused')
          : data?.inquiry.kind === 'contact_change'
            ? t('staff.inquiries.approvedChange')
            : t('staff.inquiries.approvedJsaId'),
      );
      reload();
    }
  };

  const inquiry: Review['inquiry'] | undefined = data?.inquiry;
  return (
    <>
      <PageHeading>{inquiry ? `${t('staff.inquiries.heading')}：${inquiry.reference}` : t('staff.inquiries.heading')}</PageHeading>
      <p>
        <button type="button" className="button button--link" onClick={onBack}>
          {t('staff.common.back')}
        </button>
      </p>
      <CallAlert error={loadError ?? error} labels={labels} />
      <Notice>{notice}</Notice>
      {inquiry && data && (
        <>
          <section className="staff-section" aria-labelledby="inq-given">
            <h2 id="inq-given">{t('staff.inquiries.given')}</h2>
            <dl className="staff-dl">
              <dt>{t('staff.inquiries.kind')}</dt>
              <dd>{t(`staff.inquiries.kinds.${inquiry.kind as 'jsa_id_unknown'}`)}</dd>
              <dt>{t('staff.inquiries.createdAt')}</dt>
              <dd>{time(inquiry.createdAt)}</dd>
              <dt>{t('staff.inquiries.status')}</dt>
              <dd>{t(`staff.inquiries.statuses.${inquiry.status as 'open'}`)}</dd>
              {Object.entries(inquiry.given).map(([key, value]) => (
                <FragmentRow key={key} label={t(`staff.inquiries.givenFields.${key as 'address'}`, { defaultValue: key })} value={value} />
              ))}
              <dt>{t('staff.inquiries.replyEmail')}</dt>
              <dd>{inquiry.maskedReplyEmail}</dd>
            </dl>
          </section>

          <section className="staff-section" aria-labelledby="inq-candidates">
            <h2 id="inq-candidates">{t('staff.inquiries.candidates')}</h2>
            {data.candidates.length === 0 && <p>{t('staff.inquiries.noCandidates')}</p>}
            {data.candidates.map((c) => {
              const selected = c.account.accountId === candidate?.account.accountId;
              return (
                <div key={c.account.accountId} className={`staff-candidate${selected ? ' staff-candidate--selected' : ''}`}>
                  <h3>
                    <button type="button" className="button button--link" onClick={() => onOpenAccount(c.account.accountId)}>
                      {c.account.maskedJsaId}
                    </button>{' '}
                    {c.account.contactName}／{c.account.company}
                  </h3>
                  <p className={`staff-verdict staff-verdict--${c.match.overall}`}>{t(`staff.inquiries.overall.${c.match.overall}`)}</p>
                  <div className="staff-table-wrap">
                    <table className="staff-table">
                      <caption className="visually-hidden">{`${c.account.maskedJsaId} ${t('staff.inquiries.verdict')}`}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('staff.inquiries.field')}</th>
                          <th scope="col">{t('staff.inquiries.registered')}</th>
                          <th scope="col">{t('staff.inquiries.customer')}</th>
                          <th scope="col">{t('staff.inquiries.verdict')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {c.match.fields.map((f) => (
                          <tr key={f.field}>
                            <th scope="row">{t(`staff.inquiries.fields.${f.field}`)}</th>
                            <td>{f.registered}</td>
                            <td>{f.given}</td>
                            <td className={`staff-verdict--${f.verdict}`}>{t(`staff.inquiries.verdicts.${f.verdict}`)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                  {inquiry.status === 'open' && (
                    <button type="button" className="button button--toggle" aria-pressed={selected} onClick={() => setChosen(c.account.accountId)}>
                      {selected ? t('staff.inquiries.selected') : t('staff.inquiries.select')}
                    </button>
                  )}
                </div>
              );
            })}
          </section>

          {inquiry.status === 'open' ? (
            <section className="staff-section" aria-labelledby="inq-decide">
              <h2 id="inq-decide">{t('staff.inquiries.decision')}</h2>
              <form className="form staff-form" onSubmit={(e) => void decide('approve', e)}>
                <SelectField id="inq-reason" label={t('staff.inquiries.reasonTemplate')} value={reason} options={reasons.map((r) => ({ value: r, label: t(`staff.inquiries.reasons.${r}`) }))} onChange={setReason} />
                <Field id="inq-reason-text" name="reasonText" label={labels.reasonText} value={reasonText} onChange={(e) => setReasonText(e.target.value)} error={fieldErrors.reasonText} />
                {needsOverride && (
                  <Field
                    id="inq-override"
                    name="overrideReason"
                    label={labels.overrideReason}
                    hint={t('staff.inquiries.overrideHint')}
                    required={atLeast(me, 'supervisor')}
                    value={overrideReason}
                    onChange={(e) => setOverrideReason(e.target.value)}
                    error={fieldErrors.overrideReason}
                  />
                )}
                <div className="staff-buttons">
                  <button type="submit" className="button button--primary" disabled={busy || !candidate}>
                    {t('staff.inquiries.approve')}
                  </button>
                  <button type="button" className="button button--secondary" disabled={busy} onClick={() => void decide('refuse')}>
                    {t('staff.inquiries.refuse')}
                  </button>
                </div>
              </form>
            </section>
          ) : (
            <section className="staff-section" aria-labelledby="inq-reviews">
              <h2 id="inq-reviews">{t('staff.inquiries.reviews')}</h2>
              <ul>
                {data.reviews.map((r, i) => (
                  <li key={i}>
                    {time(r.decidedAt)} {t(`staff.inquiries.statuses.${r.decision as 'approved'}`)}：{t(`staff.inquiries.reasons.${r.reasonTemplate as Reason}`)}
                    {r.reasonText && `（${r.reasonText}）`}
                    {r.overrideReason && ` ／ ${t('staff.inquiries.overrideReason')}：${r.overrideReason}`}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </>
  );
}

function FragmentRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
