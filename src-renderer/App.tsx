import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from './api/api-context';
import { KioskApp, type ResetReason } from './kiosk/KioskApp';
import type { Screen } from './kiosk/screens';
import { wipeStarted } from './kiosk/kiosk-wipe';
import { onDeepLink } from './routing/deep-links';
import { routeFromLocation, routeFromPath, type InitialRoute } from './routing/initial-route';
import { defaultTouchPrefs, TouchPrefsProvider, type TouchPrefs } from './touch/touch-prefs';

// The staff tools (with recharts) load only when staff open them: a kiosk customer's トップ
// does not wait for code it never runs.
const StaffApp = lazy(() => import('./staff/StaffApp').then((m) => ({ default: m.StaffApp })));

interface Session {
  /** Changing it remounts the wizard: the wipe of everything the last customer typed. */
  key: number;
  initial: Screen;
  checkSession: boolean;
}

function screenFor(route: InitialRoute): Screen {
  return route.kind === 'code' ? { name: 'code', token: route.token } : { name: 'top' };
}

export function App({ route: initialRoute }: { route: InitialRoute }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const [route, setRoute] = useState<InitialRoute>(initialRoute);
  const [session, setSession] = useState<Session>({ key: 0, initial: screenFor(initialRoute), checkSession: true });
  // Text size, contrast, keyboard and voice outlive 最初に戻る (like the language), not the idle
  // wipe; a reload keeps them (held-view.ts).
  const [touchPrefs, setTouchPrefs] = useState<TouchPrefs>(defaultTouchPrefs);
  const updateTouchPrefs = useCallback((patch: Partial<TouchPrefs>) => setTouchPrefs((prev) => ({ ...prev, ...patch })), []);

  // Electron (file://): 「係員用」 and 「キオスクに戻る」 change the hash only; the page stays.
  // Either way the other side starts afresh: a new kiosk session, or the staff login.
  useEffect(() => {
    const onHash = () => {
      const next = routeFromLocation(window.location);
      setRoute(next);
      if (next.kind !== 'staff') setSession((prev) => ({ key: prev.key + 1, initial: screenFor(next), checkSession: false }));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // <html lang> follows the switch, so screen readers pronounce each language correctly.
  useEffect(() => {
    document.documentElement.lang = i18n.language;
    document.title = t('app.title');
  }, [i18n.language, t]);

  const startNewSession = useCallback(
    (initial: Screen, reason: ResetReason | 'link') => {
      // Fire and forget: the screen must not wait on the server to forget the customer.
      wipeStarted(api.call('account.logout', {}));
      // The next person at the kiosk starts in Japanese at 標準; someone pressing 最初に戻る keeps
      // their language, 文字サイズ and コントラスト (decisions.md, "A reload keeps the kiosk's look").
      if (reason === 'idle') {
        void i18n.changeLanguage('ja');
        setTouchPrefs(defaultTouchPrefs);
      }
      setSession((prev) => ({ key: prev.key + 1, initial, checkSession: false }));
    },
    [api, i18n],
  );

  // Electron: jsa-webdesk://reset/<token> opened while the app runs starts a fresh session there.
  useEffect(() => {
    if (route.kind === 'staff') return;
    return onDeepLink((path) => {
      const next = routeFromPath(path);
      if (next.kind !== 'code') return;
      startNewSession(screenFor(next), 'link');
      void i18n.changeLanguage(next.locale ?? 'ja');
    });
  }, [route.kind, startNewSession, i18n]);

  if (route.kind === 'staff') {
    return (
      <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
        <StaffApp />
      </Suspense>
    );
  }
  return (
    <TouchPrefsProvider value={{ prefs: touchPrefs, update: updateTouchPrefs }}>
      <KioskApp
        key={session.key}
        initial={session.initial}
        checkSession={session.checkSession}
        onReset={(reason) => startNewSession({ name: 'top' }, reason)}
      />
    </TouchPrefsProvider>
  );
}
