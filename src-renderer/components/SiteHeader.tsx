import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountBar } from './AccountBar';
import { LanguageSwitch } from './LanguageSwitch';

interface SiteHeaderProps {
  /** Shown on every kiosk screen but トップ. */
  onStartOver?: () => void;
  /** The touch hint is for customers at the kiosk; staff screens leave it out. */
  touchGuide?: boolean;
  /** After login: the contact's name, マイページ and ログアウト (DESIGN §1, issue 4). */
  account?: { contactName: string; onMypage?: () => void; onLogout: () => void };
  /** The kiosk's display switches (文字サイズ, コントラスト…), in the kiosk bar. */
  tools?: ReactNode;
}

/** 「日本規格協会 JSA Webdesk」 as on the web version, plus the kiosk's own controls. */
export function SiteHeader({ onStartOver, touchGuide = true, account, tools }: SiteHeaderProps) {
  const { t } = useTranslation();
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <p className="site-header__name">{t('app.siteName')}</p>
        <LanguageSwitch />
      </div>
      {account && <AccountBar {...account} />}
      {(touchGuide || onStartOver || tools) && (
        <div className="kiosk-bar">
          <div className="kiosk-bar__inner">
            {touchGuide && (
              <p className="kiosk-bar__guide">
                <span aria-hidden="true" className="kiosk-bar__hand">
                  ☝
                </span>
                {t('app.touchGuide')}
              </p>
            )}
            {onStartOver && (
              <button type="button" className="button button--secondary" onClick={onStartOver}>
                {t('app.startOver')}
              </button>
            )}
            {tools}
          </div>
        </div>
      )}
    </header>
  );
}
