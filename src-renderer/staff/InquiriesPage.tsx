import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../src-main/contract';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useSubmit } from '../components/use-submit';
import { DataTable } from './DataTable';
import { useStaff } from './staff-session';
import { CallAlert, Notice, SelectField, useLoad, useTimeFormat } from './ui';

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
        <DataTable
          caption={t('staff.inquiries.heading')}
          rows={list.data.items}
          rowKey={(i) => i.inquiryId}
          empty={t('staffUx.empty.inquiries')}
          columns={[
            { header: t('staff.inquiries.reference'), cell: (i) => i.reference },
            { header: t('staff.inquiries.kind'), cell: (i) => t(`staff.inquiries.kinds.${i.kind as 'jsa_id_unknown'}`) },
            { header: t('staff.inquiries.createdAt'), cell: (i) => time(i.createdAt) },
            { header: t('staff.inquiries.name'), cell: (i) => i.name },
            { header: t('staff.inquiries.company'), cell: (i) => i.company },
            { header: t('staff.inquiries.status'), cell: (i) => t(`staff.inquiries.statuses.${i.status as 'open'}`) },
          ]}
          actions={(i) => (
            <button data-call="staff.inquiries.get" type="button" className="button button--secondary" onClick={() => setOpen(i.inquiryId)} aria-label={`${t('staff.inquiries.check')} ${i.reference}`}>
              {t('staff.inquiries.check')}
            </button>
          )}
          paging={{ page: list.data.page, pageSize: list.data.pageSize, total: list.data.total, onPage: setPage }}
        />
      )}
    </>
  );
}

type Review = CallOutput<'staff.inquiries.get'>;

function InquiryReview({ inquiryId, onBack, onOpenAccount }: { inquiryId: string; onBack: () => void; onOpenAccount: (accountId: string) => void }) {
  const { t } = useTranslation();
  const { call, can } = useStaff();
  const time = useTimeFormat();
  const { data, error: loadError, reload } = useLoad(() => call('staff.inquiries.get', { inquiryId }), [inquiryId]);
  const [chosen, setChosen] = useState<string | undefined>();
  const [reason, setReason] = useState<Reason>('identity-confirmed');
  const [reasonText, setReasonText] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [notice, setNotice] = useState('');
  const labels = { reasonText: t('staff.inquiries.reasonText'), overrideReason: t('staff.inquiries.overrideReason'), accountId: t('staff.inquiries.candidates') };
  const { error, attempt, pending, run, described } = useSubmit({
    fields: { reasonText: { id: 'inq-reason-text', label: labels.reasonText }, overrideReason: { id: 'inq-override', label: labels.overrideReason } },
  });
  const fieldErrors = described?.byField ?? {};

  const candidate = data?.candidates.find((c) => c.account.accountId === (chosen ?? data?.candidates[0]?.account.accountId));
  const needsOverride = candidate?.match.overall === 'refuse';
  // Approving against the seed's rule is a supervisor's act (contract staffActs): others are not offered it.
  const mayApprove = !needsOverride || can('inquiries.override');
  // Whoever may only refuse starts from the reason the comparison gives, not 「一致」.
  const mismatchReason: Reason = candidate?.match.refuseBecause.includes('address') ? 'address-mismatch' : 'company-mismatch';
  useEffect(() => {
    if (!mayApprove) setReason(mismatchReason);
  }, [mayApprove, mismatchReason]);

  const decide = async (decision: 'approve' | 'refuse', event?: FormEvent) => {
    event?.preventDefault();
    setNotice('');
    const result = await run(() =>
      call('staff.inquiries.decide', {
        inquiryId,
        decision,
        accountId: candidate?.account.accountId,
        revision: candidate?.revision,
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
    }
    // Refused too: another desk may have decided it meanwhile, and the screen shows their decision.
    reload();
  };

  const inquiry: Review['inquiry'] | undefined = data?.inquiry;
  return (
    <>
      <PageHeading>{inquiry ? t('staffUx.inquiries.headingWithReference', { reference: inquiry.reference }) : t('staff.inquiries.heading')}</PageHeading>
      <p>
        <button type="button" className="button button--link" onClick={onBack}>
          {t('staff.common.back')}
        </button>
      </p>
      <CallAlert key={attempt} error={loadError ?? error} labels={labels} />
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
                    {c.account.contactName}
                    {t('staffUx.separator')}
                    {c.account.company}
                  </h3>
                  <p className={`staff-verdict staff-verdict--${c.match.overall}`}>{t(`staff.inquiries.overall.${c.match.overall}`)}</p>
                  <DataTable
                    caption={`${c.account.maskedJsaId} ${t('staff.inquiries.verdict')}`}
                    rows={c.match.fields}
                    rowKey={(f) => f.field}
                    columns={[
                      { header: t('staff.inquiries.field'), cell: (f) => t(`staff.inquiries.fields.${f.field}`), rowHeader: true },
                      { header: t('staff.inquiries.registered'), cell: (f) => f.registered },
                      { header: t('staff.inquiries.customer'), cell: (f) => f.given },
                      { header: t('staff.inquiries.verdict'), cell: (f) => <span className={`staff-verdict--${f.verdict}`}>{t(`staff.inquiries.verdicts.${f.verdict}`)}</span> },
                    ]}
                  />
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
                {needsOverride && !mayApprove && (
                  <p className="staff-callout" data-testid="override-needs-role">
                    {t('staffUx.inquiries.overrideNeedsRole')}
                  </p>
                )}
                {needsOverride && mayApprove && (
                  <Field
                    id="inq-override"
                    name="overrideReason"
                    label={labels.overrideReason}
                    hint={t('staff.inquiries.overrideHint')}
                    required
                    value={overrideReason}
                    onChange={(e) => setOverrideReason(e.target.value)}
                    error={fieldErrors.overrideReason}
                  />
                )}
                <div className="staff-buttons">
                  {mayApprove && (
                    <button data-call="staff.inquiries.decide" data-act={needsOverride ? 'inquiries.override' : undefined} type="submit" className="button button--primary" disabled={pending || !candidate}>
                      {t('staff.inquiries.approve')}
                    </button>
                  )}
                  <button data-call="staff.inquiries.decide" type="button" className={mayApprove ? 'button button--secondary' : 'button button--primary'} disabled={pending} onClick={() => void decide('refuse')}>
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
                    {time(r.decidedAt)} {t('staffUx.labelled', { label: t(`staff.inquiries.statuses.${r.decision as 'approved'}`), value: t(`staff.inquiries.reasons.${r.reasonTemplate as Reason}`) })}
                    {r.reasonText && t('staffUx.aside', { text: r.reasonText })}
                    {r.overrideReason && `${t('staffUx.separator')}${t('staffUx.labelled', { label: t('staff.inquiries.overrideReason'), value: r.overrideReason })}`}
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
