import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { PasswordPolicy } from '../../src-main/contract';
import { useApi } from '../api/api-context';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { secretInput } from '../components/input-kinds';
import { PageHeading } from '../components/PageHeading';
import { initialPolicyItems, PolicyChecklist } from '../components/PolicyChecklist';
import { currentLocale } from '../i18n/setup';
import { endsSession, type MypageNav } from './mypage-screens';
import { MypageFormActions } from './MypageFormActions';
import { useMypagePasswordCheck } from './use-mypage-password-check';
import { useSubmit } from '../components/use-submit';

interface Values {
  currentPassword: string;
  password: string;
  confirm: string;
}

const empty: Values = { currentPassword: '', password: '', confirm: '' };
const same = (a: string, b: string) => a !== '' && a.normalize('NFKC') === b.normalize('NFKC');

/** パスワード変更: current password, then the new one with the same live checklist as パスワード登録. */
export function PasswordChangePage({ policy, onDone, onSessionEnded }: MypageNav & { policy: PasswordPolicy }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { register, handleSubmit, control, setValue } = useForm<Values>({ defaultValues: empty });
  const password = useWatch({ control, name: 'password' });
  const confirm = useWatch({ control, name: 'confirm' });
  const [visible, setVisible] = useState(false);
  const items = useMypagePasswordCheck(password, initialPolicyItems(policy));

  const fields = {
    currentPassword: { id: 'mypage-current-password', label: t('mypage.passwordForm.current') },
    password: { id: 'mypage-new-password', label: t('mypage.passwordForm.newPassword') },
    confirm: { id: 'mypage-confirm-password', label: t('mypage.passwordForm.confirm') },
  };
  const form = useSubmit({ fields, handled: endsSession(onSessionEnded) });
  const { described, error } = form;

  const submit = handleSubmit(async (values) => {
    const done = await form.run(() => api.call('mypage.changePassword', { ...values, locale: currentLocale(i18n) }));
    if (done) onDone('password');
    // A wrong current password is not kept on screen.
    else setValue('currentPassword', '');
  });

  const secret = secretInput(visible);

  return (
    <>
      <PageHeading>{t('mypage.passwordForm.heading')}</PageHeading>
      {described && <ErrorSummary described={described} attempt={form.attempt} />}
      <p className="guide">{t('mypage.passwordForm.othersEnded')}</p>
      <div className="password-layout">
        <form className="form" noValidate onSubmit={submit} onChange={form.onFormChange}>
          <Field
            id={fields.currentPassword.id}
            label={fields.currentPassword.label}
            required
            error={described?.byField.currentPassword}
            autoComplete="current-password"
            {...secret}
            {...register('currentPassword')}
          />
          <Field
            id={fields.password.id}
            label={fields.password.label}
            required
            error={described?.byField.password}
            autoComplete="new-password"
            addon={
              <button
                type="button"
                className="button button--toggle button--reveal"
                aria-pressed={visible}
                aria-controls={`${fields.currentPassword.id} ${fields.password.id} ${fields.confirm.id}`}
                onClick={() => setVisible((v) => !v)}
              >
                {t('app.showPassword')}
              </button>
            }
            {...secret}
            {...register('password')}
          />
          <Field
            id={fields.confirm.id}
            label={fields.confirm.label}
            required
            hint={t('mypage.passwordForm.confirmHint')}
            error={described?.byField.confirm}
            autoComplete="new-password"
            {...secret}
            {...register('confirm')}
          />
          <MypageFormActions pending={form.pending} label={t('mypage.passwordForm.submit')} onBack={() => onDone()} />
        </form>
        <PolicyChecklist
          policy={policy}
          items={items}
          confirmMatches={same(password, confirm)}
          recentRejected={error?.code === 'PASSWORD_POLICY' && (error.fields ?? []).some((f) => f.code === 'policy.notRecent')}
        />
      </div>
    </>
  );
}
