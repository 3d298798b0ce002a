import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { emailInput, secretInput } from '../components/input-kinds';
import { PageHeading } from '../components/PageHeading';
import { currentLocale } from '../i18n/setup';
import { CodeInput } from '../kiosk/CodeInput';
import { clockTime } from './MypagePage';
import { endsSession, type MypageNav } from './mypage-screens';
import { MypageFormActions } from './MypageFormActions';
import { SubmitButton } from '../components/SubmitButton';
import { useSubmit } from '../components/use-submit';

interface Pending {
  maskedNewEmail: string;
  expiresAt: string;
  lifetimeMinutes?: number;
}

interface EmailChangePageProps extends MypageNav {
  maskedEmail: string;
  /** A change already waiting for its code (from mypage.profile): start at the code step. */
  pending: Pending | null;
}

/** Codes that end this change: only a new request helps. */
const deadEnds = new Set(['CODE_EXPIRED', 'REQUEST_VOIDED', 'CODE_USED', 'NOT_FOUND']);

/**
 * メールアドレスの変更 in two steps: the new address (a code goes there, a notice to the old
 * one), then the code. Nothing changes before the code is confirmed.
 */
export function EmailChangePage({ maskedEmail, pending: initialPending, onDone, onSessionEnded }: EmailChangePageProps) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [pending, setPending] = useState<Pending | null>(initialPending);
  const [code, setCode] = useState('');
  const { register, handleSubmit, reset, setValue } = useForm<{ newEmail: string; currentPassword: string }>({ defaultValues: { newEmail: '', currentPassword: '' } });
  const fields = {
    newEmail: { id: 'mypage-new-email', label: t('mypage.emailForm.field') },
    currentPassword: { id: 'mypage-email-current-password', label: t('mypage.passwordForm.current') },
    code: { id: 'mypage-email-code', label: t('mypage.emailForm.codeField') },
  };
  // One for the three calls: while one is on its way, the other buttons wait too.
  const form = useSubmit({ fields, handled: endsSession(onSessionEnded) });
  const { described, error } = form;

  const request = handleSubmit(async (values) => {
    const result = await form.run(() => api.call('mypage.requestEmailChange', { ...values, locale: currentLocale(i18n) }));
    if (!result) {
      // A password typed here is not kept on screen once it has been checked.
      setValue('currentPassword', '');
      return;
    }
    reset({ newEmail: '', currentPassword: '' });
    setCode('');
    setPending(result);
  });

  const confirm = async (event: React.FormEvent) => {
    event.preventDefault();
    if (await form.run(() => api.call('mypage.confirmEmailChange', { code, locale: currentLocale(i18n) }))) onDone('email');
  };

  const cancel = async () => {
    if (await form.run(() => api.call('mypage.cancelEmailChange', {}))) onDone('cancelled');
  };

  const startOver = () => {
    form.clear();
    setCode('');
    setPending(null);
  };

  return (
    <>
      <PageHeading>{t('mypage.emailForm.heading')}</PageHeading>
      {described && <ErrorSummary described={described} attempt={form.attempt} />}
      <p className="lead">{t('mypage.emailForm.current', { email: maskedEmail })}</p>
      {pending ? (
        <>
          <p className="guide" role="status">
            {/* Just sent: how long the code lives; resumed from マイページ: until when it waits. */}
            {pending.lifetimeMinutes !== undefined
              ? t('mypage.emailForm.sent', { email: pending.maskedNewEmail, minutes: pending.lifetimeMinutes })
              : t('mypage.pending', { email: pending.maskedNewEmail, time: clockTime(pending.expiresAt, i18n.language) })}
          </p>
          {error && deadEnds.has(error.code) ? (
            <div className="actions">
              <button type="button" className="button button--primary" onClick={startOver}>
                {t('mypage.emailForm.resend')}
              </button>
            </div>
          ) : (
            <form className="form" noValidate onSubmit={(event) => void confirm(event)}>
              <CodeInput
                id={fields.code.id}
                label={fields.code.label}
                required
                hint={t('mypage.emailForm.codeHint')}
                error={described?.byField.code}
                value={code}
                onChange={(value) => {
                  setCode(value);
                  form.edited('code');
                }}
              />
              <div className="actions">
                <SubmitButton pending={form.pending} label={t('mypage.emailForm.confirm')} />
                <button type="button" className="button button--secondary" onClick={() => void cancel()} disabled={form.pending}>
                  {t('mypage.emailForm.cancel')}
                </button>
                <button type="button" className="button button--link" onClick={startOver}>
                  {t('mypage.emailForm.resend')}
                </button>
              </div>
            </form>
          )}
        </>
      ) : (
        <>
          <p className="guide">{t('mypage.emailForm.lead')}</p>
          <form className="form" noValidate onSubmit={request} onChange={form.onFormChange}>
            <Field
              id={fields.newEmail.id}
              label={fields.newEmail.label}
              required
              hint={t('mypage.emailForm.hint')}
              error={described?.byField.newEmail}
              {...emailInput}
              {...register('newEmail')}
            />
            <Field
              id={fields.currentPassword.id}
              label={fields.currentPassword.label}
              required
              hint={t('mypage.emailForm.passwordHint')}
              error={described?.byField.currentPassword}
              autoComplete="current-password"
              {...secretInput(false)}
              {...register('currentPassword')}
            />
            <MypageFormActions pending={form.pending} label={t('mypage.emailForm.submit')} onBack={() => onDone()} />
          </form>
        </>
      )}
    </>
  );
}
