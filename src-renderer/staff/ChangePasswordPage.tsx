import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import type { StaffMe } from './staff-session';
import { CallAlert, useAction, useFieldErrors } from './ui';

/** The forced change after a one-time password: the server allows nothing else until it is done. */
export function ChangePasswordPage({ me, onChanged }: { me: StaffMe; onChanged: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [form, setForm] = useState({ current: '', next: '', confirm: '' });
  const { error, busy, run } = useAction();
  const labels = { current: t('staff.currentPassword'), next: t('staff.newPassword'), confirm: t('staff.confirmPassword') };
  const errors = useFieldErrors(error, labels);
  const fieldError = (name: keyof typeof form) => errors[name];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await run(() => api.call('staff.changePassword', form));
    if (done) onChanged();
  };
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));
  return (
    <>
      <PageHeading>{t('staff.changeHeading')}</PageHeading>
      <p className="lead">{t('staff.changeLead')}</p>
      <form className="form staff-form" onSubmit={(e) => void submit(e)} noValidate>
        <CallAlert error={error} labels={labels} />
        <input type="text" name="username" autoComplete="username" value={me.username} readOnly hidden />
        <Field id="staff-current" name="current" type="password" label={labels.current} required autoComplete="current-password" value={form.current} onChange={set('current')} error={fieldError('current')} />
        <Field
          id="staff-next"
          name="next"
          type="password"
          label={labels.next}
          required
          autoComplete="new-password"
          hint={t('staff.newPasswordHint', { min: me.minPasswordLength })}
          value={form.next}
          onChange={set('next')}
          error={fieldError('next')}
        />
        <Field id="staff-confirm" name="confirm" type="password" label={labels.confirm} required autoComplete="new-password" value={form.confirm} onChange={set('confirm')} error={fieldError('confirm')} />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('staff.working') : t('staff.change')}
          </button>
        </div>
      </form>
    </>
  );
}
