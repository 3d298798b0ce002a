import { useId } from 'react';
import { useTranslation } from 'react-i18next';

interface AccountBarProps {
  contactName: string;
  /** Absent on マイページ itself. */
  onMypage?: () => void;
  onLogout: () => void;
}

/** The header's login line: whose session this is, and the ways to マイページ and out. */
export function AccountBar({ contactName, onMypage, onLogout }: AccountBarProps) {
  const { t } = useTranslation();
  const labelId = useId();
  return (
    <div className="account-bar">
      <div className="account-bar__inner" role="group" aria-labelledby={labelId}>
        <p className="account-bar__name">
          <span id={labelId} className="visually-hidden">
            {t('account.signedInLabel')}
          </span>
          {t('account.signedInAs', { name: contactName })}
        </p>
        <div className="account-bar__actions">
          {onMypage && (
            <button type="button" className="button button--secondary" onClick={onMypage}>
              {t('account.mypage')}
            </button>
          )}
          <button type="button" className="button button--secondary" onClick={onLogout}>
            {t('account.logout')}
          </button>
        </div>
      </div>
    </div>
  );
}
