import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../components/PageHeading';
import type { Me } from './screens';

const menuKeys = ['standards', 'seminars', 'training', 'members', 'qc'] as const;
const counterKeys = ['standards', 'seminars', 'quotes', 'training'] as const;

/** Seed step 1, 「Webdesk トップ」: the web version's top page, with 「ログインへ」 as the way in. */
export function TopPage({ me, onLogin, onLogout, onMypage }: { me: Me; onLogin: () => void; onLogout: () => void; onMypage?: () => void }) {
  const { t } = useTranslation();
  const menuNoteId = useId();
  const countersId = useId();

  return (
    <>
      <nav className="menu" aria-label={t('top.menuLabel')}>
        <ul className="menu__list">
          {menuKeys.map((key) => (
            <li key={key}>
              {/* Not part of this kiosk: announced as unavailable, with the note saying where it is. */}
              <button type="button" className="menu__item" aria-disabled="true" aria-describedby={menuNoteId}>
                {t(`top.menu.${key}`)}
              </button>
            </li>
          ))}
        </ul>
        <p id={menuNoteId} className="menu__note">
          {t('top.menuNote')}
        </p>
      </nav>

      <PageHeading>{t('top.heading')}</PageHeading>

      <p className="login-status" role="status">
        {me.loggedIn && me.contactName ? t('top.loggedInAs', { name: me.contactName }) : t('top.notLoggedIn')}
      </p>

      <section aria-labelledby={countersId} className="counters">
        <h2 id={countersId} className="visually-hidden">
          {t('top.countersLabel')}
        </h2>
        <dl className="counters__list">
          {counterKeys.map((key) => (
            <div key={key} className="counters__item">
              <dt>{t(`top.counters.${key}`)}</dt>
              {/* 0: this kiosk keeps no orders or bookings; the web version shows the real counts. */}
              <dd>0</dd>
            </div>
          ))}
        </dl>
      </section>

      <p className="notice">{t('top.notice')}</p>

      <div className="actions">
        {me.loggedIn ? (
          <>
            <p className="guide">{t('top.loggedInGuide')}</p>
            {onMypage && (
              <button type="button" className="button button--secondary" onClick={onMypage}>
                {t('account.mypage')}
              </button>
            )}
            <button type="button" className="button button--primary" onClick={onLogout}>
              {t('top.logout')}
            </button>
          </>
        ) : (
          <>
            <p className="guide">{t('top.guide')}</p>
            <button type="button" className="button button--primary" onClick={onLogin}>
              {t('top.toLogin')}
            </button>
          </>
        )}
      </div>
    </>
  );
}
