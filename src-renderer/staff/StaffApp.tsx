import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { SiteHeader } from '../components/SiteHeader';
import { AccountPage } from './AccountPage';
import { AuditPage } from './AuditPage';
import { ChangePasswordPage } from './ChangePasswordPage';
import { DashboardPage } from './DashboardPage';
import { InquiriesPage } from './InquiriesPage';
import { LookupPage } from './LookupPage';
import { OutboxPage } from './OutboxPage';
import { SettingsPage } from './SettingsPage';
import { StaffLoginPage } from './StaffLoginPage';
import { atLeast, StaffSessionProvider, useStaff, type StaffMe } from './staff-session';
import { UsersPage } from './UsersPage';
import './staff.css';

export type StaffView =
  | { name: 'dashboard' }
  | { name: 'lookup' }
  | { name: 'account'; accountId: string }
  | { name: 'inquiries' }
  | { name: 'outbox' }
  | { name: 'audit' }
  | { name: 'users' }
  | { name: 'settings' };

type Tab = Exclude<StaffView['name'], 'account'>;
const tabs: ReadonlyArray<{ name: Tab; role: 'agent' | 'supervisor' | 'admin' }> = [
  { name: 'dashboard', role: 'agent' },
  { name: 'lookup', role: 'agent' },
  { name: 'inquiries', role: 'agent' },
  { name: 'outbox', role: 'agent' },
  { name: 'audit', role: 'supervisor' },
  { name: 'users', role: 'admin' },
  { name: 'settings', role: 'admin' },
];

/**
 * /staff: login (with the forced change of a one-time password), then the tools. A tab is
 * shown only to the roles that may use it; the server refuses the call anyway.
 */
export function StaffApp() {
  const api = useApi();
  const [me, setMe] = useState<StaffMe | null | undefined>(undefined);
  const lost = useCallback(() => setMe(null), []);
  useEffect(() => {
    api.call('staff.me', {}).then(setMe, () => setMe(null));
  }, [api]);

  return (
    <div className="page staff-page">
      <SiteHeader touchGuide={false} />
      {me === undefined ? null : me === null ? (
        <main className="main">
          <StaffLoginPage onLoggedIn={setMe} />
        </main>
      ) : me.mustChangePassword ? (
        <main className="main">
          <ChangePasswordPage me={me} onChanged={() => api.call('staff.me', {}).then(setMe, lost)} />
        </main>
      ) : (
        <StaffSessionProvider me={me} onLost={lost}>
          <StaffShell />
        </StaffSessionProvider>
      )}
    </div>
  );
}

function StaffShell() {
  const { t } = useTranslation();
  const { me, logout } = useStaff();
  const [view, setView] = useState<StaffView>({ name: 'dashboard' });
  const active = view.name === 'account' ? 'lookup' : view.name;
  return (
    <>
      <div className="staff-bar">
        <p className="staff-bar__who">{t('staff.loggedInAs', { name: me.displayName, role: t(`staff.roles.${me.role}`) })}</p>
        <p className="staff-bar__note">{t('staff.sessionNote', { minutes: me.sessionMinutes })}</p>
        <button type="button" className="button button--secondary" onClick={() => void logout()}>
          {t('staff.logout')}
        </button>
      </div>
      <nav className="staff-nav" aria-label={t('staff.navLabel')}>
        <ul>
          {tabs
            .filter((tab) => atLeast(me, tab.role))
            .map((tab) => (
              <li key={tab.name}>
                <button
                  type="button"
                  className="button button--toggle"
                  aria-current={active === tab.name ? 'page' : undefined}
                  aria-pressed={active === tab.name}
                  onClick={() => setView({ name: tab.name } as StaffView)}
                >
                  {t(`staff.nav.${tab.name}`)}
                </button>
              </li>
            ))}
        </ul>
      </nav>
      <main className="main staff-main">
        {view.name === 'dashboard' && <DashboardPage />}
        {view.name === 'lookup' && <LookupPage onOpen={(accountId) => setView({ name: 'account', accountId })} />}
        {view.name === 'account' && <AccountPage accountId={view.accountId} onBack={() => setView({ name: 'lookup' })} />}
        {view.name === 'inquiries' && <InquiriesPage onOpenAccount={(accountId) => setView({ name: 'account', accountId })} />}
        {view.name === 'outbox' && <OutboxPage />}
        {view.name === 'audit' && <AuditPage />}
        {view.name === 'users' && <UsersPage />}
        {view.name === 'settings' && <SettingsPage />}
      </main>
    </>
  );
}
