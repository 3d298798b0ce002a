import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { secretInput } from '../components/input-kinds';
import { PageHeading } from '../components/PageHeading';
import { initialPolicyItems, PolicyChecklist } from '../components/PolicyChecklist';
import type { Verified } from './screens';
import { usePasswordCheck } from './use-password-check';
import { SubmitButton } from '../components/SubmitButton';
import { useSubmit } from '../components/use-submit';

interface PasswordValues {
  password: string;
  confirm: string;
}

interface PasswordPageProps {
  verified: Verified;
  onDone: (maskedJsaId: string) => void;
  onRestartRequest: () => void;
}

/** The grant is spent or gone: only a new request helps. */
const grantDeadEnds = new Set(['GRANT_INVALID', 'CODE_EXPIRED']);

/** NFKC on both sides, as the server compares them (an IME's full-width input equals half-width). */
const same = (a: string, b: string) => a !== '' && a.normalize('NFKC') === b.normalize('NFKC');

/** Seed step 6, パスワード登録, with the パスワードポリシー欄 checked live. */
export function PasswordPage({ verified, onDone, onRestartRequest }: PasswordPageProps) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { register, handleSubmit, control } = useForm<PasswordValues>({ defaultValues: { password: '', confirm: '' } });
  const password = useWatch({ control, name: 'password' });
  const confirm = useWatch({ control, name: 'confirm' });
  const [visible, setVisible] = useState(false);
  const fields = {
    password: { id: 'pw-new', label: t('password.newPassword') },
    confirm: { id: 'pw-confirm', label: t('password.confirm') },
  };
  const form = useSubmit({ fields, variant: 'grant' });
  const { described, error } = form;
  const items = usePasswordCheck(verified.grant, password, initialPolicyItems(verified.policy), form.fail);
  const deadline = new Date(verified.expiresAt);

  const submit = handleSubmit(async (values) => {
    const result = await form.run(() => api.call('reset.complete', { grant: verified.grant, ...values }));
    if (result) onDone(result.maskedJsaId);
  });

  const toggle = (
    <button
      type="button"
      className="button button--toggle button--reveal"
      aria-pressed={visible}
      aria-controls={`${fields.password.id} ${fields.confirm.id}`}
      onClick={() => setVisible((v) => !v)}
    >
      {t('app.showPassword')}
    </button>
  );

  return (
    <>
      <PageHeading>{t('password.heading')}</PageHeading>
      {described && <ErrorSummary described={described} attempt={form.attempt} />}
      <p className="lead">{t('password.target', { masked: verified.maskedJsaId })}</p>
      {!Number.isNaN(deadline.getTime()) && (
        <p className="guide">
          {t('password.deadline', {
            time: deadline.toLocaleTimeString(i18n.language === 'en' ? 'en-GB' : 'ja-JP', { hour: '2-digit', minute: '2-digit' }),
          })}
        </p>
      )}
      {error && grantDeadEnds.has(error.code) ? (
        <div className="actions">
          <button type="button" className="button button--primary" onClick={onRestartRequest}>
            {t('app.restartRequest')}
          </button>
        </div>
      ) : (
        <div className="password-layout">
          <form className="form" noValidate onSubmit={submit} onChange={form.onFormChange}>
            <Field
              id={fields.password.id}
              label={fields.password.label}
              required
              error={described?.byField.password}
              autoComplete="new-password"
              {...secretInput(visible)}
              addon={toggle}
              {...register('password')}
            />
            <Field
              id={fields.confirm.id}
              label={fields.confirm.label}
              required
              hint={t('password.confirmHint')}
              error={described?.byField.confirm}
              autoComplete="new-password"
              {...secretInput(visible)}
              {...register('confirm')}
            />
            <div className="actions">
              <SubmitButton pending={form.pending} label={t('password.submit')} />
            </div>
          </form>
          <PolicyChecklist
            policy={verified.policy}
            items={items}
            confirmMatches={same(password, confirm)}
            recentRejected={error?.code === 'PASSWORD_POLICY' && (error.fields ?? []).some((f) => f.code === 'policy.notRecent')}
          />
        </div>
      )}
    </>
  );
}
