import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import type { StaffMe } from './staff-session';
import { CallAlert, useAction } from './ui';

export function StaffLoginPage({ onLoggedIn }: { onLoggedIn: (me: StaffMe) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const me = await run(() => api.call('staff.login', { username, password }));
    if (me) onLoggedIn(me);
  };
  return (
    <>
      <PageHeading>{t('staff.loginHeading')}</PageHeading>
      <p className="lead">{t('staff.note')}</p>
      <form className="form staff-form" onSubmit={(e) => void submit(e)} noValidate>
        <CallAlert error={error} labels={{ username: t('staff.username'), password: t('staff.password') }} />
        <Field id="staff-username" name="username" label={t('staff.username')} required autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        <Field
          id="staff-password"
          name="password"
          type="password"
          label={t('staff.password')}
          required
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('staff.working') : t('staff.login')}
          </button>
        </div>
      </form>
    </>
  );
}
