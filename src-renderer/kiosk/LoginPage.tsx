import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../src-main/contract';
import { useApi } from '../api/api-context';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { jsaIdInput } from '../components/input-kinds';
import { PageHeading } from '../components/PageHeading';
import { currentLocale } from '../i18n/setup';
import { SubmitButton } from '../components/SubmitButton';
import { useSubmit } from '../components/use-submit';

interface LoginValues {
  jsaId: string;
  password: string;
}

interface LoginPageProps {
  onLoggedIn: (who: CallOutput<'account.login'>) => void;
  onForgot: () => void;
}

/** Seed step 2, ログイン画面: the way to 「ID 忘れ・パスワード忘れ」 matters more here than the login. */
export function LoginPage({ onLoggedIn, onForgot }: LoginPageProps) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { register, handleSubmit, setValue } = useForm<LoginValues>({ defaultValues: { jsaId: '', password: '' } });
  const fields = {
    jsaId: { id: 'login-jsa-id', label: t('login.jsaId') },
    password: { id: 'login-password', label: t('login.password') },
  };
  const form = useSubmit({ fields });
  const { described, error } = form;

  const submit = handleSubmit(async (values) => {
    // The locale picks the language of the lock notice, should this attempt lock the login.
    const who = await form.run(() => api.call('account.login', { ...values, locale: currentLocale(i18n) }));
    if (who) onLoggedIn(who);
    // The password is not kept on screen after a failure; the JSA-ID is, to fix a typo.
    else setValue('password', '');
  });

  return (
    <>
      <PageHeading>{t('login.heading')}</PageHeading>
      {described && (
        <ErrorSummary described={described} attempt={form.attempt}>
          {error?.code === 'LOGIN_LOCKED' && <p className="error-summary__text">{t('account.lockedHelp')}</p>}
        </ErrorSummary>
      )}
      <form className="form" noValidate onSubmit={submit} onChange={form.onFormChange}>
        <Field
          id={fields.jsaId.id}
          label={fields.jsaId.label}
          required
          hint={t('login.jsaIdHint')}
          error={described?.byField.jsaId}
          {...jsaIdInput}
          {...register('jsaId')}
        />
        <Field
          id={fields.password.id}
          label={fields.password.label}
          required
          type="password"
          keyboard="password"
          error={described?.byField.password}
          autoComplete="off"
          {...register('password')}
        />
        <div className="actions">
          <SubmitButton pending={form.pending} label={t('login.submit')} />
        </div>
      </form>
      <section className="aside-block">
        <p>{t('login.forgotLead')}</p>
        <button type="button" className="button button--secondary" onClick={onForgot}>
          {t('login.forgot')}
        </button>
      </section>
    </>
  );
}
