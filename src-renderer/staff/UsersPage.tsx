import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useSubmit } from '../components/use-submit';
import { DataTable } from './DataTable';
import { StaffSessionsPanel } from './StaffSessionsPanel';
import { useStaff } from './staff-session';
import { CallAlert, SelectField, useLoad, useTimeFormat } from './ui';

const roles = ['agent', 'supervisor', 'admin'] as const;
type Role = (typeof roles)[number];

export function UsersPage() {
  const { t } = useTranslation();
  const { call, me } = useStaff();
  const time = useTimeFormat();
  const list = useLoad(() => call('staff.users.list', {}), []);
  const [form, setForm] = useState({ username: '', displayName: '', role: 'agent' as Role });
  const [secret, setSecret] = useState<{ username: string; password: string; created: boolean } | undefined>();
  const [sessionsOf, setSessionsOf] = useState<{ staffId: string; displayName: string; username: string } | undefined>();
  const labels = { username: t('staff.users.username'), displayName: t('staff.users.displayName'), role: t('staff.users.role') };
  const { error, attempt, pending, run, described } = useSubmit({
    fields: { username: { id: 'user-username', label: labels.username }, displayName: { id: 'user-display', label: labels.displayName } },
  });
  const errors = described?.byField ?? {};

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setSecret(undefined);
    const created = await run(() => call('staff.users.create', form));
    if (created) {
      setSecret({ username: created.user.username, password: created.oneTimePassword, created: true });
      setForm({ username: '', displayName: '', role: 'agent' });
      list.reload();
    }
  };
  // Sent with the list's revision, and the list drawn again either way: refused, another admin
  // changed the user meanwhile (a new lock, another role), and the list shows it.
  const update = (u: { staffId: string; revision: string }, change: { role?: Role; disabled?: boolean; unlock?: boolean }) =>
    void run(() => call('staff.users.update', { staffId: u.staffId, revision: u.revision, ...change })).then(() => list.reload());

  return (
    <>
      <PageHeading>{t('staff.users.heading')}</PageHeading>
      <section className="staff-section" aria-labelledby="users-create">
        <h2 id="users-create">{t('staff.users.create')}</h2>
        <form className="form staff-form" onSubmit={(e) => void create(e)} noValidate>
          <CallAlert key={attempt} error={error} labels={labels} />
          <Field id="user-username" name="username" label={labels.username} hint={t('staff.users.usernameHint')} required autoComplete="off" value={form.username} onChange={(e) => setForm((f) => ({ ...f, username: e.target.value }))} error={errors.username} />
          <Field id="user-display" name="displayName" label={labels.displayName} required autoComplete="off" value={form.displayName} onChange={(e) => setForm((f) => ({ ...f, displayName: e.target.value }))} error={errors.displayName} />
          <SelectField id="user-role" label={labels.role} value={form.role} options={roles.map((r) => ({ value: r, label: t(`staff.roles.${r}`) }))} onChange={(role) => setForm((f) => ({ ...f, role }))} />
          <div className="actions">
            <button data-call="staff.users.create" type="submit" className="button button--primary" disabled={pending}>
              {t('staff.users.add')}
            </button>
          </div>
        </form>
        {secret && (
          <div className="staff-secret" role="status">
            <p>{secret.created ? t('staff.users.created', { username: secret.username }) : t('staff.users.newOtp', { username: secret.username })}</p>
            <p className="staff-secret__value" data-testid="one-time-password">
              {secret.password}
            </p>
          </div>
        )}
      </section>
      <section className="staff-section" aria-labelledby="users-list">
        <h2 id="users-list">{t('staff.users.list')}</h2>
        <CallAlert error={list.error} />
        {list.data && (
          <DataTable
            caption={t('staff.users.list')}
            rows={list.data.items}
            rowKey={(u) => u.staffId}
            columns={[
              { header: labels.username, cell: (u) => u.username },
              { header: labels.displayName, cell: (u) => u.displayName },
              {
                header: labels.role,
                cell: (u) =>
                  u.staffId === me.staffId ? (
                    t(`staff.roles.${u.role}`)
                  ) : (
                    <select data-call="staff.users.update" aria-label={`${labels.role}: ${u.username}`} className="input staff-select" value={u.role} onChange={(e) => update(u, { role: e.target.value as Role })}>
                      {roles.map((r) => (
                        <option key={r} value={r}>
                          {t(`staff.roles.${r}`)}
                        </option>
                      ))}
                    </select>
                  ),
              },
              { header: t('staff.users.state'), cell: (u) => (u.disabled ? t('staff.users.disabled') : u.locked ? t('staff.users.locked') : u.oneTimePasswordExpired ? t('staff.users.oneTimePasswordExpired') : t('staff.users.active')) },
              { header: t('staff.users.lastLogin'), cell: (u) => time(u.lastLoginAt) },
            ]}
            // Not disabled while a call runs: a disabled button would drop the keyboard focus.
            actions={(u) => (
              <>
                {u.locked && (
                  <button data-call="staff.users.update" type="button" className="button button--secondary" onClick={() => update(u, { unlock: true })}>
                    {t('staff.users.unlock')}
                  </button>
                )}
                {u.staffId !== me.staffId && (
                  <button data-call="staff.users.update" type="button" className="button button--secondary" onClick={() => update(u, { disabled: !u.disabled })}>
                    {u.disabled ? t('staff.users.enable') : t('staff.users.disable')}
                  </button>
                )}
                <button data-call="staff.users.sessions"
                  type="button"
                  className="button button--secondary"
                  aria-label={t('staff.userSessions.showFor', { name: `${u.displayName}${t('staffUx.aside', { text: u.username })}` })}
                  onClick={() => setSessionsOf({ staffId: u.staffId, displayName: u.displayName, username: u.username })}
                >
                  {t('staff.userSessions.show')}
                </button>
                <button data-call="staff.users.resetPassword"
                  type="button"
                  className="button button--secondary"
                  onClick={() =>
                    void run(() => call('staff.users.resetPassword', { staffId: u.staffId, revision: u.revision })).then((r) => {
                      if (r) setSecret({ username: u.username, password: r.oneTimePassword, created: false });
                      // Refused too: another admin changed the user meanwhile, and the list shows it.
                      list.reload();
                    })
                  }
                >
                  {t('staff.users.resetPassword')}
                </button>
              </>
            )}
          />
        )}
      </section>
      {sessionsOf && <StaffSessionsPanel key={sessionsOf.staffId} user={sessionsOf} onClose={() => setSessionsOf(undefined)} />}
    </>
  );
}
