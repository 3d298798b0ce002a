import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { InquiryKind } from './InquiryPage';

/** On ID忘れ・パスワード忘れ: the seed's two "please e-mail us" cases, as forms at the kiosk. */
export function InquiryLinks({ onInquiry }: { onInquiry: (kind: InquiryKind) => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section className="aside-block inquiry-links" aria-labelledby={headingId}>
      <h2 id={headingId} className="section-heading">
        {t('inquiry.otherHeading')}
      </h2>
      <ul className="choice-list">
        <li>
          <button type="button" className="button button--secondary button--wide" onClick={() => onInquiry('jsa_id_unknown')}>
            {t('inquiry.jsaIdUnknownLink')}
          </button>
          <p className="guide">{t('inquiry.jsaIdUnknownLead')}</p>
        </li>
        <li>
          <button type="button" className="button button--secondary button--wide" onClick={() => onInquiry('contact_change')}>
            {t('inquiry.contactChangeLink')}
          </button>
          <p className="guide">{t('inquiry.contactChangeLead')}</p>
        </li>
      </ul>
    </section>
  );
}
