import { useTranslation } from 'react-i18next';
import { CheckIcon } from '../components/CheckIcon';
import { PageHeading } from '../components/PageHeading';

/** The end of the flow. No automatic login (DESIGN §1.6): the customer logs in if they want to. */
export function DonePage({ onLogin }: { onLogin: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading>
        <span className="done-mark">
          <CheckIcon ok />
        </span>
        {t('done.heading')}
      </PageHeading>
      <p className="lead">{t('done.body')}</p>
      <p className="lead">{t('done.notLoggedIn')}</p>
      <div className="actions">
        <button type="button" className="button button--primary" onClick={onLogin}>
          {t('done.toLogin')}
        </button>
      </div>
    </>
  );
}
