import { useTranslation } from 'react-i18next';
import { KioskDialog } from '../components/KioskDialog';
import { PrintSlipButton } from '../touch/ReceiptSlip';
import type { SlipData } from '../touch/slip';

/**
 * Seed step 4, the 受付完了 popup. The same words whether or not the data matched a
 * registration (no account enumeration, DESIGN §1.3); 「OK」 leads on to 変更権限コード
 * because at the kiosk the customer types the code from their phone.
 */
export function ReceivedDialog({ open, onOk, slip }: { open: boolean; onOk: () => void; slip?: SlipData }) {
  const { t } = useTranslation();
  return (
    <KioskDialog open={open} title={t('received.title')} actionLabel={t('received.ok')} onAction={onOk} secondary={open && slip ? <PrintSlipButton slip={slip} /> : undefined}>
      <p>{t('received.body')}</p>
      <p>{t('received.timing')}</p>
      <p>{t('received.next')}</p>
    </KioskDialog>
  );
}
