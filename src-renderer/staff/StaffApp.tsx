import { useCallback, useEffect, useLayoutEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { formatDuration } from '../../src-main/contract';
import { currentLocale } from '../i18n/setup';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { useAppInfo } from '../api/app-info';
import { openKiosk } from '../routing/navigate';
import { IdleGuard } from '../components/IdleGuard';
import { SiteHeader } from '../components/SiteHeader';
import { AccountPage } from './AccountPage';
import { AccountExportPage } from './AccountExportPage';
import { AccountImportPage } from './AccountImportPage';
import { AuditPage } from './AuditPage';
import { ChangePasswordPage } from './ChangePasswordPage';
import { DashboardPage } from './DashboardPage';
import { DiagnosticsPage } from './DiagnosticsPage';
import { InquiriesPage } from './InquiriesPage';
import { LookupPage } from './LookupPage';
import { OutboxPage } from './OutboxPage';
import { SettingsPage } from './SettingsPage';
import { SetupPage } from './SetupPage';
import { StaffIdleWarning } from './StaffIdleWarning';
import { StaffLoginPage } from './StaffLoginPage';
import { StaffSessionProvider, useStaff, type StaffMe } from './staff-session';
import { STAFF_SEARCH_ID } from './staff-search';
import { staffNavGroups, type StaffScreen } from './staff-screens';
import { SyncPage } from './SyncPage';
import { LoadingMain } from './ui';
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
  | { name: 'setup' }
  | { name: 'accountImport' }
  | { name: 'accountExport' };

const startView: StaffView = { name: 'dashboard' };

/**
 * /staff: login (with the forced change of a one-time password), then the tools. A screen is
 * listed only for the roles that may make the call it opens with; the server refuses the call anyway.
 *
 * A login the server no longer knows (expired, ended elsewhere) shows the login screen saying
 * so; the same user logging in again is back on the screen they were on (its unsaved input is
 * gone, which the message says). A logout, or another user, starts at the dashboard.
 */
export function StaffApp() {
  const api = useApi();
  const [me, setMe] = useState<StaffMe | null | undefined>(undefined);
  const [view, setView] = useState<StaffView>(startView);
  const [lostBy, setLostBy] = useState<string | null>(null);
  const meRef = useRef(me);
  useLayoutEffect(() => {
    meRef.current = me;
  });
  const lost = useCallback(() => {
    if (meRef.current) setLostBy(meRef.current.staffId);
    setMe(null);
  }, []);
  const loggedOut = useCallback(() => {
    setLostBy(null);
    setView(startView);
    setMe(null);
  }, []);
  const loggedIn = useCallback(
    (next: StaffMe) => {
      if (next.staffId !== lostBy) setView(startView);
      setLostBy(null);
      setMe(next);
    },
    [lostBy],
  );
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
            <StaffLoginPage onLoggedIn={loggedIn} sessionLost={lostBy !== null} />
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
        <StaffSessionProvider me={me} onMe={setMe} onLost={lost} onLogout={loggedOut}>
          <StaffShell view={view} setView={setView} onExpired={lost} />
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

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

function StaffShell({ view, setView, onExpired }: { view: StaffView; setView: Dispatch<SetStateAction<StaffView>>; onExpired: () => void }) {
  const { t, i18n } = useTranslation();
  const { me, logout, call, can } = useStaff();
  const [unconfigured, setUnconfigured] = useState(false);
  const [barNotice, setBarNotice] = useState('');
  const [menuOpen, setMenuOpen] = useState(false);
  const focusSearch = useRef(false);
  const active = view.name === 'account' ? 'lookup' : view.name;
  const groups = staffNavGroups.map((g) => ({ ...g, screens: g.screens.filter((s) => can(s.opens)) })).filter((g) => g.screens.length > 0);
  const open = (name: StaffScreen) => {
    setView({ name } as StaffView);
    setMenuOpen(false);
  };
  // First run: an admin lands on 初期設定 until it has been saved once (issue 7 §1).
  useEffect(() => {
    if (!can('ops.setup.get')) return;
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
  }, [can, call, setView]);
  // 「/」 from anywhere but a field: to the account search (opening アカウント検索 if needed).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const field = document.getElementById(STAFF_SEARCH_ID);
      event.preventDefault();
      if (field) field.focus();
      else {
        focusSearch.current = true;
        setView({ name: 'lookup' });
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [setView]);
  useEffect(() => {
    if (view.name !== 'lookup' || !focusSearch.current) return;
    focusSearch.current = false;
    document.getElementById(STAFF_SEARCH_ID)?.focus();
  }, [view]);
  return (
    <>
      <div className="staff-bar">
        <p className="staff-bar__who">{t('staff.loggedInAs', { name: me.displayName, role: t(`staff.roles.${me.role}`) })}</p>
        <p className="staff-bar__note">{t('staffUx.session', { duration: formatDuration(me.sessionMinutes, currentLocale(i18n)) })}</p>
        <ExitKioskButton onDone={setBarNotice} />
        <BackToKioskButton />
        <button type="button" className="button button--secondary" onClick={() => void logout()}>
          {t('staff.logout')}
        </button>
      </div>
      <StaffIdleWarning onExpired={onExpired} />
      {barNotice && (
        <p className="staff-notice staff-bar-notice" role="status">
          {barNotice}
        </p>
      )}
      <div className="staff-layout">
        <nav className={`staff-nav${menuOpen ? ' staff-nav--open' : ''}`} aria-label={t('staffUx.nav.label')}>
          <button type="button" className="button button--secondary staff-nav__toggle" aria-expanded={menuOpen} aria-controls="staff-nav-groups" onClick={() => setMenuOpen((o) => !o)}>
            {t('staffUx.nav.menu')}
          </button>
          <div id="staff-nav-groups" className="staff-nav__groups">
            {groups.map((g) => (
              <div key={g.group} className="staff-nav__group">
                <p className="staff-nav__heading" id={`staff-nav-${g.group}`}>
                  {t(`staffUx.nav.groups.${g.group}`)}
                </p>
                <ul aria-labelledby={`staff-nav-${g.group}`}>
                  {g.screens.map((screen) => (
                    <li key={screen.name}>
                      <button type="button" className="staff-nav__item" aria-current={active === screen.name ? 'page' : undefined} onClick={() => open(screen.name)}>
                        {t(`staff.nav.${screen.name}`)}
                        {screen.name === 'setup' && unconfigured && <span className="staff-badge">{t('staff.setup.badge')}</span>}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        </nav>
        <LoadingMain className="main staff-main">
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
          {view.name === 'accountImport' && <AccountImportPage />}
          {view.name === 'accountExport' && <AccountExportPage />}
          {view.name === 'setup' && <SetupPage onSaved={(saved) => setUnconfigured(!saved.configured)} />}
        </LoadingMain>
      </div>
    </>
  );
}
