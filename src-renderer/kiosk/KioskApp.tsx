import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { useAppInfo } from '../api/app-info';
import { IdleGuard } from '../components/IdleGuard';
import { SiteFooter } from '../components/SiteFooter';
import { SiteHeader } from '../components/SiteHeader';
import { CodePage } from './CodePage';
import { DonePage } from './DonePage';
import { ForgotPage } from './ForgotPage';
import { LoginPage } from './LoginPage';
import { PasswordPage } from './PasswordPage';
import { loggedOut, type Me, type Screen } from './screens';
import { TopPage } from './TopPage';
import { openStaffTools } from '../routing/navigate';
import { InquiryDonePage } from '../inquiry/InquiryDonePage';
import { InquiryPage } from '../inquiry/InquiryPage';
import { MypageChangeScreen } from '../mypage/MypageScreens';
import { MypagePage } from '../mypage/MypagePage';
import { OnScreenKeyboard } from '../keyboard/OnScreenKeyboard';
import { KioskTools } from '../touch/KioskTools';
import { VoiceGuide } from '../touch/VoiceGuide';
import { isDefaultDisplay, useDocumentDisplay, useTouchPrefs } from '../touch/touch-prefs';
import { currentLocale } from '../i18n/setup';
import { useHeldView } from './use-held-view';

export type ResetReason = 'user' | 'idle';

interface KioskAppProps {
  initial: Screen;
  /** Ask account.me only on a fresh page load; after a reset we have just logged out. */
  checkSession: boolean;
  /** Ends this customer's session: the parent logs out and remounts this component. */
  onReset: (reason: ResetReason) => void;
}

/**
 * The customer wizard as a small state machine (no router: a kiosk has no address bar and
 * the back button must not revive a previous customer's screen). Everything typed lives in
 * this tree, so remounting it with a new key is the wipe.
 */
/** How this page was loaded (Navigation Timing): only F5 / the reload button counts as a reload. */
function arrivedByReload(): boolean {
  const [entry] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  return entry?.type === 'reload';
}

type ApiClient = ReturnType<typeof useApi>;
let arrival: ReturnType<typeof askHeld> | undefined;

function askHeld(api: ApiClient) {
  const reload = arrivedByReload();
  return Promise.all([
    api.call('reset.resumeGrant', { reload }).catch(() => ({ verified: null, locale: undefined })),
    api.call('kiosk.resumeView', { reload }).catch(() => ({ view: null })),
  ]);
}

/**
 * Asked once per page load, however often the effect that wants it runs: a language switch
 * ran it again, and its `reload: false` (the page came by the address) made the main process
 * let go of the grant 「確認」 had just given, so F5 on パスワード登録 in English showed トップ.
 */
function askOnArrival(api: ApiClient) {
  arrival ??= askHeld(api);
  return arrival;
}

export function KioskApp({ initial, checkSession, onReset }: KioskAppProps) {
  const api = useApi();
  const { i18n } = useTranslation();
  const { idleTimeoutSeconds, mode } = useAppInfo();
  const { prefs, update: updatePrefs } = useTouchPrefs();
  useDocumentDisplay(prefs);
  const [screen, setScreen] = useState<Screen>(initial);
  const screenNow = useRef(screen);
  useEffect(() => {
    screenNow.current = screen;
  }, [screen]);
  const [me, setMe] = useState<Me>(loggedOut);
  const { textSize, contrast, voice, keyboard } = prefs;
  const locale = currentLocale(i18n);
  const { resumed } = useHeldView({ textSize, contrast, voice, keyboard, locale, ...(screen.name === 'code' ? { step: 'code' as const } : {}) }, checkSession);

  useEffect(() => {
    if (!checkSession) return;
    let live = true;
    api.call('account.me', {}).then(
      (who) => {
        if (live) setMe(who);
      },
      () => {
        // Unknown means logged out as far as the screen is concerned.
      },
    );
    // A reload of パスワード登録: the grant 「確認」 gave this session is still held by the main
    // process (held-grant.ts); of any screen, its look and language, and 変更権限コード as a step
    // (held-view.ts). Only from トップ, the page a reload shows: a mail link wins. Any other
    // arrival (Back/Forward, the address) tells the main process to let both go.
    void askOnArrival(api).then(([{ verified, locale }, { view }]) => {
      if (!live) return;
      // The customer may have moved on from トップ meanwhile: then nothing changes, and the page's own view stands.
      const onTop = screenNow.current.name === 'top';
      resumed(view);
      if (!onTop) return;
      if (view) {
        updatePrefs({ textSize: view.textSize, contrast: view.contrast, voice: view.voice, keyboard: view.keyboard });
        void i18n.changeLanguage(view.locale);
      }
      if (verified) {
        setScreen({ name: 'password', verified });
        // The request's language, unless the page said a later choice (the held view).
        if (locale && !view) void i18n.changeLanguage(locale);
      } else if (view?.step === 'code') setScreen({ name: 'code' });
    });
    return () => {
      live = false;
    };
  }, [api, checkSession, i18n, resumed, updatePrefs]);

  const startOver = () => onReset('user');
  // 「係員用」: the customer's login ends first, so the kiosk never comes back logged in.
  const toStaff = () => void api.call('account.logout', {}).catch(() => undefined).finally(openStaffTools);
  const go = (next: Screen) => setScreen(next);
  // The server ended the login (idle timeout, password changed elsewhere): say so by showing ログイン.
  const loginEnded = useCallback(() => {
    setMe(loggedOut);
    setScreen({ name: 'login' });
  }, []);
  const toMypage = () => go({ name: 'mypage' });
  const mypageNav = { onDone: (notice?: 'name' | 'email' | 'password' | 'cancelled') => go({ name: 'mypage', notice }), onSessionEnded: loginEnded };

  const page = (() => {
    switch (screen.name) {
      case 'top':
        return <TopPage me={me} onLogin={() => go({ name: 'login' })} onLogout={startOver} onMypage={toMypage} />;
      case 'login':
        return (
          <LoginPage
            onLoggedIn={(who) => {
              setMe({ loggedIn: true, contactName: who.contactName, maskedJsaId: who.maskedJsaId });
              go({ name: 'top' });
            }}
            onForgot={() => go({ name: 'forgot' })}
          />
        );
      case 'forgot':
        return <ForgotPage onReceived={() => go({ name: 'code' })} onInquiry={(kind) => go({ name: 'inquiry', kind })} onHaveCode={() => go({ name: 'code' })} />;
      case 'code':
        return (
          <CodePage
            token={screen.token}
            onVerified={(verified) => go({ name: 'password', verified })}
            onRestartRequest={() => go({ name: 'forgot' })}
          />
        );
      case 'password':
        return (
          <PasswordPage
            verified={screen.verified}
            onDone={(maskedJsaId) => go({ name: 'done', maskedJsaId })}
            onRestartRequest={() => go({ name: 'forgot' })}
          />
        );
      case 'done':
        return <DonePage onLogin={() => go({ name: 'login' })} />;
      case 'mypage':
        return (
          <MypagePage
            notice={screen.notice}
            onName={() => go({ name: 'mypage-name' })}
            onEmail={() => go({ name: 'mypage-email' })}
            onPassword={() => go({ name: 'mypage-password' })}
            onSessionEnded={loginEnded}
          />
        );
      case 'mypage-name':
      case 'mypage-email':
      case 'mypage-password':
        return (
          <MypageChangeScreen
            which={screen.name === 'mypage-name' ? 'name' : screen.name === 'mypage-email' ? 'email' : 'password'}
            onNameChanged={(contactName) => setMe((prev) => ({ ...prev, contactName }))}
            {...mypageNav}
          />
        );
      case 'inquiry':
        return <InquiryPage kind={screen.kind} onSubmitted={(receipt) => go({ name: 'inquiry-done', receipt })} />;
      case 'inquiry-done':
        return <InquiryDonePage receipt={screen.receipt} onTop={startOver} />;
    }
  })();

  const onTop = screen.name === 'top';
  // An untouched トップ in Japanese has nothing to forget; anything else times out, English,
  // 特大 or 白黒反転 included, so the next customer does not find the screen as someone else set it.
  const idleMatters = !onTop || me.loggedIn || i18n.language !== 'ja' || !isDefaultDisplay(prefs);
  return (
    <div className="page">
      <SiteHeader
        onStartOver={onTop ? undefined : startOver}
        tools={<KioskTools keyboardSwitch={mode !== 'kiosk'} />}
        account={me.loggedIn && me.contactName !== undefined ? { contactName: me.contactName, onMypage: screen.name === 'mypage' ? undefined : toMypage, onLogout: startOver } : undefined}
      />
      {/* key: each screen mounts fresh, so its heading takes focus and no field state leaks across. */}
      <main className="main" key={screen.name}>
        {page}
      </main>
      <SiteFooter onHome={onTop ? () => undefined : startOver} current={onTop} onStaff={toStaff} />
      <OnScreenKeyboard enabled={mode === 'kiosk' || prefs.keyboard} screen={screen.name} />
      <VoiceGuide />
      <IdleGuard timeoutSeconds={idleTimeoutSeconds} enabled={idleMatters} onTimeout={() => onReset('idle')} />
    </div>
  );
}
