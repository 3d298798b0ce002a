import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The web version's footer. Only HOME leads anywhere in the kiosk; the policy pages live on
 * the web, so they are plain text with a note rather than links that go nowhere.
 */
export function SiteFooter({ onHome, current, onStaff }: { onHome: () => void; current: boolean; onStaff?: () => void }) {
  const { t } = useTranslation();
  const noteId = useId();
  return (
    <footer className="site-footer" aria-label={t('footer.label')}>
      <ul className="site-footer__links">
        <li>
          <button type="button" className="button button--link" onClick={onHome} aria-current={current ? 'page' : undefined}>
            {t('footer.home')}
          </button>
        </li>
        <li aria-describedby={noteId}>{t('footer.privacy')}</li>
        <li aria-describedby={noteId}>{t('footer.commerce')}</li>
        <li aria-describedby={noteId}>{t('footer.terms')}</li>
      </ul>
      <p id={noteId} className="site-footer__note">
        {t('footer.note')}
      </p>
      <p className="site-footer__copyright" lang="en">
        {t('footer.copyright')}
      </p>
      {/* The staff entry (DESIGN §3): small and at the end, but a real button reachable by keyboard. */}
      {onStaff && (
        <p className="site-footer__staff">
          <button type="button" className="button button--link site-footer__staff-button" onClick={onStaff}>
            {t('footer.staff')}
          </button>
        </p>
      )}
    </footer>
  );
}
