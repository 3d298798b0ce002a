import { useTranslation } from 'react-i18next';
import { useAppInfo } from '../api/app-info';

/** 「営業グループ Webdeskチーム / MAIL: …」; the address comes from settings (app.info). */
export function ContactBlock() {
  const { t } = useTranslation();
  const { supportEmail } = useAppInfo();
  return (
    <div className="contact">
      <p className="contact__team">{t('contact.team')}</p>
      <p className="contact__mail">{t('contact.mail', { email: supportEmail })}</p>
      <p className="contact__counter">{t('contact.counter')}</p>
    </div>
  );
}
