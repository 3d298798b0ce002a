import { useTranslation } from 'react-i18next';
import { SiteHeader } from '../components/SiteHeader';
import { PageHeading } from '../components/PageHeading';

/**
 * Mount point for the staff tools (/staff). Built later by the staff-tools work; kept here so
 * the route, the header and the language switch already work.
 */
export function StaffApp() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <SiteHeader touchGuide={false} />
      <main className="main">
        <PageHeading>{t('staff.heading')}</PageHeading>
        <p className="lead">{t('staff.note')}</p>
      </main>
    </div>
  );
}
