import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { SubmitButton } from '../components/SubmitButton';
import { useSubmit } from '../components/use-submit';
import type { StaffMe } from './staff-session';
import { CallAlert } from './ui';

/** The forced change after a one-time password: the server allows nothing else until it is done. */
export function ChangePasswordPage({ me, onChanged }: { me: StaffMe; onChanged: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [form, setForm] = useState({ current: '', next: '', confirm: '' });
  const labels = { current: t('staff.currentPassword'), next: t('staff.newPassword'), confirm: t('staff.confirmPassword') };
  const submitting = useSubmit({ fields: { current: { id: 'staff-current', label: labels.current }, next: { id: 'staff-next', label: labels.next }, confirm: { id: 'staff-confirm', label: labels.confirm } } });
  const fieldError = (name: keyof typeof form) => submitting.described?.byField[name];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await submitting.run(() => api.call('staff.changePassword', form));
    if (done) onChanged();
  };
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));
  return (
    <>
      <PageHeading>{t('staff.changeHeading')}</PageHeading>
      <p className="lead">{t('staff.changeLead')}</p>
      <form className="form staff-form" onSubmit={(e) => void submit(e)} noValidate>
        <CallAlert key={submitting.attempt} error={submitting.error} labels={labels} />
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
          <SubmitButton pending={submitting.pending} label={t('staff.change')} pendingLabel={t('staff.working')} />
        </div>
      </form>
    </>
  );
}
