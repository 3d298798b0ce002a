import { useId, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { maskJsaId, parseJsaId } from '../../src-main/contract';
import { useApi } from '../api/api-context';
import type { SlipData } from '../touch/slip';
import { ContactBlock } from '../components/ContactBlock';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { emailInput, jsaIdInput } from '../components/input-kinds';
import { PageHeading } from '../components/PageHeading';
import { currentLocale } from '../i18n/setup';
import { jsaIdGuidance } from './jsa-id-guidance';
import { ReceivedDialog } from './ReceivedDialog';
import { InquiryLinks } from '../inquiry/InquiryLinks';
import type { InquiryKind } from '../inquiry/InquiryPage';
import { SubmitButton } from '../components/SubmitButton';
import { useSubmit } from '../components/use-submit';

interface ForgotValues {
  jsaId: string;
  email: string;
}

const empty: ForgotValues = { jsaId: '', email: '' };

interface ForgotPageProps {
  onReceived: () => void;
  onInquiry?: (kind: InquiryKind) => void;
  /**
   * To 変更権限コード without a new request. The code screen is otherwise reached only from
   * 受付完了, so a customer who left it (最初に戻る, the idle timeout, a reload) while reading
   * the mail would have to request again: wait out the cooldown, and void the code they hold.
   */
  onHaveCode?: () => void;
}

/**
 * Seed step 3, 「ID忘れ・パスワード忘れ」, worded as the seed. JSA-ID may stay empty (the
 * 「両方をお忘れの方」 path); the server decides everything else and answers the same
 * 受付完了 whether or not the data matched.
 */
export function ForgotPage({ onReceived, onInquiry, onHaveCode }: ForgotPageProps) {
  const { t, i18n } = useTranslation();
  const haveCodeHeadingId = useId();
  const api = useApi();
  const { register, handleSubmit, control, reset } = useForm<ForgotValues>({ defaultValues: empty });
  const jsaIdValue = useWatch({ control, name: 'jsaId' });
  const [received, setReceived] = useState<SlipData | null>(null);

  const fields = {
    jsaId: { id: 'forgot-jsa-id', label: t('forgot.jsaId') },
    email: { id: 'forgot-email', label: t('forgot.email') },
  };
  const form = useSubmit({ fields });
  const { described, error } = form;

  const submit = handleSubmit(async (values) => {
    const done = await form.run(() => api.call('reset.request', { jsaId: values.jsaId, email: values.email, locale: currentLocale(i18n) }));
    if (!done) return;
    // Wiped at once, not when the dialog closes: nothing typed stays behind the popup. The
    // 受付票 keeps only the JSA-ID's masked form.
    const jsaId = parseJsaId(values.jsaId);
    reset(empty);
    setReceived({ kind: 'reset', receivedAt: new Date().toISOString(), maskedJsaId: jsaId.ok ? maskJsaId(jsaId.value) : undefined });
  });

  return (
    <>
      <PageHeading>{t('forgot.heading')}</PageHeading>

      {described && (
        <ErrorSummary described={described} attempt={form.attempt}>
          {error?.code === 'EMAIL_ON_SEVERAL_IDS' && <ContactBlock />}
        </ErrorSummary>
      )}

      <div className="explanations">
        <section className="explanation">
          <h2 className="explanation__title">{t('forgot.passwordOnly.title')}</h2>
          <ul>
            <li>{t('forgot.passwordOnly.item1')}</li>
            <li>{t('forgot.passwordOnly.item2')}</li>
            <li>{t('forgot.passwordOnly.item3')}</li>
          </ul>
        </section>
        <section className="explanation">
          <h2 className="explanation__title">{t('forgot.both.title')}</h2>
          <ul>
            <li>{t('forgot.both.item1')}</li>
            <li>{t('forgot.both.item2')}</li>
            <li>{t('forgot.both.item3')}</li>
          </ul>
        </section>
      </div>
      <p className="note">{t('forgot.note1')}</p>
      <p className="note">{t('forgot.unknown')}</p>

      <form className="form" noValidate onSubmit={submit} onChange={form.onFormChange} aria-label={t('forgot.formLabel')}>
        <Field
          id={fields.jsaId.id}
          label={fields.jsaId.label}
          hint={t('forgot.jsaIdHint')}
          live={jsaIdGuidance(t, jsaIdValue)}
          error={described?.byField.jsaId}
          {...jsaIdInput}
          {...register('jsaId')}
        />
        <Field
          id={fields.email.id}
          label={fields.email.label}
          required
          hint={t('forgot.emailHint')}
          error={described?.byField.email}
          {...emailInput}
          {...register('email')}
        />
        <div className="actions">
          <SubmitButton pending={form.pending} label={t('forgot.submit')} />
        </div>
      </form>

      <p className="note">{t('forgot.mailNote')}</p>
      {onHaveCode && (
        <section className="aside-block" aria-labelledby={haveCodeHeadingId}>
          <h2 id={haveCodeHeadingId} className="section-heading">
            {t('forgot.haveCode.heading')}
          </h2>
          <p className="guide">{t('forgot.haveCode.lead')}</p>
          <button type="button" className="button button--secondary" onClick={onHaveCode}>
            {t('forgot.haveCode.button')}
          </button>
        </section>
      )}
      {onInquiry && <InquiryLinks onInquiry={onInquiry} />}
      <ContactBlock />

      <ReceivedDialog open={received !== null} onOk={onReceived} slip={received ?? undefined} />
    </>
  );
}
