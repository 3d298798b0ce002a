import { useTranslation } from 'react-i18next';
import { CheckIcon } from '../components/CheckIcon';
import { ContactBlock } from '../components/ContactBlock';
import { PageHeading } from '../components/PageHeading';
import type { InquiryReceipt } from './InquiryPage';
import { PrintSlipButton } from '../touch/ReceiptSlip';
import { useState } from 'react';

/** The receipt: the reference in large type and what happens next; nothing about a match. */
export function InquiryDonePage({ receipt, onTop }: { receipt: InquiryReceipt; onTop: () => void }) {
  const { t } = useTranslation();
  // The time the receipt was shown stands for the time of the request (it came a moment ago).
  const [receivedAt] = useState(() => new Date().toISOString());
  return (
    <>
      <PageHeading>
        <span className="done-mark">
          <CheckIcon ok />
        </span>
        {t('inquiry.done.heading')}
      </PageHeading>
      <div className="reference">
        <p className="reference__label">{t('inquiry.done.reference')}</p>
        <p className="reference__value" data-testid="inquiry-reference" lang="en">
          {receipt.reference}
        </p>
        <p className="note">{t('inquiry.done.referenceNote')}</p>
      </div>
      <p className="lead">{t('inquiry.done.mailSent', { email: receipt.maskedReplyEmail })}</p>
      <p className="lead">{receipt.kind === 'contact_change' ? t('inquiry.done.nextContactChange') : t('inquiry.done.nextJsaIdUnknown')}</p>
      <p className="guide">{t('inquiry.done.timing')}</p>
      <ContactBlock />
      <PrintSlipButton slip={{ kind: receipt.kind, receivedAt, reference: receipt.reference }} />
      <div className="actions">
        <button type="button" className="button button--primary" onClick={onTop}>
          {t('inquiry.done.toTop')}
        </button>
      </div>
    </>
  );
}
