import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { SubmitButton } from '../components/SubmitButton';
import { useSubmit } from '../components/use-submit';
import type { StaffMe } from './staff-session';
import { CallAlert } from './ui';

/** `sessionLost`: the login ended under the clerk's hands (expired, ended elsewhere); said first, as an alert. */
export function StaffLoginPage({ onLoggedIn, sessionLost = false }: { onLoggedIn: (me: StaffMe) => void; sessionLost?: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const me = await form.run(() => api.call('staff.login', { username, password }));
    if (me) onLoggedIn(me);
  };
  return (
    <>
      <PageHeading>{t('staff.loginHeading')}</PageHeading>
      {sessionLost && (
        <p className="error-summary staff-alert" role="alert">
          {t('staffUx.sessionLost')}
        </p>
      )}
      <p className="lead">{t('staff.note')}</p>
      <form className="form staff-form" onSubmit={(e) => void submit(e)} noValidate>
        <CallAlert key={form.attempt} error={form.error} labels={{ username: t('staff.username'), password: t('staff.password') }} />
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
          <SubmitButton pending={form.pending} label={t('staff.login')} pendingLabel={t('staff.working')} />
        </div>
      </form>
    </>
  );
}
