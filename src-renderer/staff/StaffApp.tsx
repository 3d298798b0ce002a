import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { useAppInfo } from '../api/app-info';
import { openKiosk } from '../routing/navigate';
import { IdleGuard } from '../components/IdleGuard';
import { SiteHeader } from '../components/SiteHeader';
import { AccountPage } from './AccountPage';
import { AuditPage } from './AuditPage';
import { ChangePasswordPage } from './ChangePasswordPage';
import { DashboardPage } from './DashboardPage';
import { DiagnosticsPage } from './DiagnosticsPage';
import { InquiriesPage } from './InquiriesPage';
import { LookupPage } from './LookupPage';
import { OutboxPage } from './OutboxPage';
import { SettingsPage } from './SettingsPage';
import { SetupPage } from './SetupPage';
import { StaffLoginPage } from './StaffLoginPage';
import { atLeast, StaffSessionProvider, useStaff, type StaffMe } from './staff-session';
import { SyncPage } from './SyncPage';
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
  | { name: 'settings' }
  | { name: 'sync' }
  | { name: 'diagnostics' }
  | { name: 'setup' };

type Tab = Exclude<StaffView['name'], 'account'>;
const tabs: ReadonlyArray<{ name: Tab; role: 'agent' | 'supervisor' | 'admin' }> = [
  { name: 'dashboard', role: 'agent' },
  { name: 'lookup', role: 'agent' },
  { name: 'inquiries', role: 'agent' },
  { name: 'outbox', role: 'agent' },
  { name: 'sync', role: 'agent' },
  { name: 'audit', role: 'supervisor' },
  { name: 'diagnostics', role: 'supervisor' },
  { name: 'users', role: 'admin' },
  { name: 'settings', role: 'admin' },
  { name: 'setup', role: 'admin' },
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
        <>
          <BackToKioskBar />
          <main className="main">
            <StaffLoginPage onLoggedIn={setMe} />
          </main>
        </>
      ) : me.mustChangePassword ? (
        <>
          <BackToKioskBar />
          <main className="main">
            <ChangePasswordPage me={me} onChanged={() => api.call('staff.me', {}).then(setMe, lost)} />
          </main>
        </>
      ) : (
        <StaffSessionProvider me={me} onLost={lost}>
          <StaffShell />
        </StaffSessionProvider>
      )}
    </div>
  );
}

/**
 * 「キオスクに戻る」: the staff session ends first (server and client), then the wizard starts
 * afresh, so the next customer cannot reopen the staff tools logged in.
 */
function BackToKioskButton() {
  const { t } = useTranslation();
  const api = useApi();
  return (
    <button type="button" className="button button--secondary" onClick={() => void api.call('staff.logout', {}).catch(() => undefined).finally(openKiosk)}>
      {t('staff.kiosk.backToKiosk')}
    </button>
  );
}

/**
 * Before login: a customer who pressed 「係員用」 by mistake needs the way back, and a kiosk
 * left on the staff login returns to トップ by itself after the customer idle time.
 */
function BackToKioskBar() {
  const api = useApi();
  const { mode, idleTimeoutSeconds } = useAppInfo();
  return (
    <div className="staff-bar staff-bar--end">
      <BackToKioskButton />
      <IdleGuard
        timeoutSeconds={idleTimeoutSeconds}
        enabled={mode === 'kiosk'}
        onTimeout={() => void api.call('staff.logout', {}).catch(() => undefined).finally(openKiosk)}
      />
    </div>
  );
}

/** In the Electron kiosk only (app.info: kiosk mode over IPC): leave full screen, audited. */
function ExitKioskButton({ onDone }: { onDone: (text: string) => void }) {
  const { t } = useTranslation();
  const { call } = useStaff();
  const info = useAppInfo();
  if (info.mode !== 'kiosk' || info.transport !== 'ipc') return null;
  const exit = () =>
    call('app.exitKiosk', {}).then(
      (r) => onDone(r.done ? t('staff.kiosk.exitKioskDone') : t('staff.kiosk.exitKioskNot', { reason: r.reason ?? '' })),
      () => onDone(t('staff.kiosk.exitKioskNot', { reason: '' })),
    );
  return (
    <button type="button" className="button button--secondary" title={t('staff.kiosk.exitKioskLead')} onClick={() => void exit()}>
      {t('staff.kiosk.exitKiosk')}
    </button>
  );
}

function StaffShell() {
  const { t } = useTranslation();
  const { me, logout, call } = useStaff();
  const [view, setView] = useState<StaffView>({ name: 'dashboard' });
  const [unconfigured, setUnconfigured] = useState(false);
  const [barNotice, setBarNotice] = useState('');
  const active = view.name === 'account' ? 'lookup' : view.name;
  // First run: an admin lands on 初期設定 until it has been saved once (issue 7 §1).
  useEffect(() => {
    if (!atLeast(me, 'admin')) return;
    let live = true;
    call('ops.setup.get', {}).then(
      (setup) => {
        if (!live || setup.configured) return;
        setUnconfigured(true);
        setView((v) => (v.name === 'dashboard' ? { name: 'setup' } : v));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [me, call]);
  return (
    <>
      <div className="staff-bar">
        <p className="staff-bar__who">{t('staff.loggedInAs', { name: me.displayName, role: t(`staff.roles.${me.role}`) })}</p>
        <p className="staff-bar__note">{t('staff.sessionNote', { minutes: me.sessionMinutes })}</p>
        <ExitKioskButton onDone={setBarNotice} />
        <BackToKioskButton />
        <button type="button" className="button button--secondary" onClick={() => void logout()}>
          {t('staff.logout')}
        </button>
      </div>
      {barNotice && (
        <p className="staff-notice staff-bar-notice" role="status">
          {barNotice}
        </p>
      )}
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
                  {tab.name === 'setup' && unconfigured && <span className="staff-badge">{t('staff.setup.badge')}</span>}
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
        {view.name === 'sync' && <SyncPage />}
        {view.name === 'diagnostics' && <DiagnosticsPage />}
        {view.name === 'setup' && <SetupPage onSaved={(saved) => setUnconfigured(!saved.configured)} />}
      </main>
    </>
  );
}
