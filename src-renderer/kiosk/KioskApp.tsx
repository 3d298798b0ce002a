import { useEffect, useState } from 'react';
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
export function KioskApp({ initial, checkSession, onReset }: KioskAppProps) {
  const api = useApi();
  const { i18n } = useTranslation();
  const { idleTimeoutSeconds } = useAppInfo();
  const [screen, setScreen] = useState<Screen>(initial);
  const [me, setMe] = useState<Me>(loggedOut);

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
    return () => {
      live = false;
    };
  }, [api, checkSession]);

  const startOver = () => onReset('user');
  const go = (next: Screen) => setScreen(next);

  const page = (() => {
    switch (screen.name) {
      case 'top':
        return <TopPage me={me} onLogin={() => go({ name: 'login' })} onLogout={startOver} />;
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
        return <ForgotPage onReceived={() => go({ name: 'code' })} />;
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
    }
  })();

  const onTop = screen.name === 'top';
  // An untouched トップ in Japanese has nothing to forget; anything else times out, English
  // included, so the next customer does not find the screen in someone else's language.
  const idleMatters = !onTop || me.loggedIn || i18n.language !== 'ja';
  return (
    <div className="page">
      <SiteHeader onStartOver={onTop ? undefined : startOver} />
      {/* key: each screen mounts fresh, so its heading takes focus and no field state leaks across. */}
      <main className="main" key={screen.name}>
        {page}
      </main>
      <SiteFooter onHome={onTop ? () => undefined : startOver} current={onTop} />
      <IdleGuard timeoutSeconds={idleTimeoutSeconds} enabled={idleMatters} onTimeout={() => onReset('idle')} />
    </div>
  );
}
