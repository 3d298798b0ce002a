import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { useAppInfo } from '../api/app-info';
import type { SlipData } from './slip';

function formatTime(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language === 'en' ? 'en-GB' : 'ja-JP', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/**
 * The slip itself: on screen it is not shown (display: none); the print stylesheet shows it
 * alone, 72 mm wide on 80 mm receipt paper and larger on A4. Rendered into <body> so it
 * prints the same from a dialog or a page.
 */
export function ReceiptSlip({ slip }: { slip: SlipData }) {
  const { t, i18n } = useTranslation();
  const { kioskId, supportEmail, codeLifetimeMinutes } = useAppInfo();
  const kind = slip.kind === 'reset' ? t('slip.kindReset') : slip.kind === 'jsa_id_unknown' ? t('slip.kindJsaIdUnknown') : t('slip.kindContactChange');
  return createPortal(
    <section className="slip" aria-hidden="true" data-testid="receipt-slip">
      <p className="slip__issuer">{t('slip.issuer')}</p>
      <h2 className="slip__title">{t('slip.title')}</h2>
      <dl className="slip__facts">
        <dt>{t('slip.subject')}</dt>
        <dd>{kind}</dd>
        <dt>{t('slip.receivedAt')}</dt>
        <dd>{formatTime(slip.receivedAt, i18n.language)}</dd>
        {kioskId && (
          <>
            <dt>{t('slip.counter')}</dt>
            <dd>{kioskId}</dd>
          </>
        )}
        {slip.kind === 'reset' ? (
          <>
            <dt>{t('slip.jsaId')}</dt>
            <dd className="slip__reference">{slip.maskedJsaId ?? t('slip.noJsaId')}</dd>
          </>
        ) : (
          <>
            <dt>{t('slip.reference')}</dt>
            <dd className="slip__reference">{slip.reference}</dd>
          </>
        )}
      </dl>
      <h3 className="slip__heading">{t('slip.next')}</h3>
      <p>{slip.kind === 'reset' ? t('slip.nextReset', { minutes: codeLifetimeMinutes }) : `${t('inquiry.done.timing')} ${t('slip.nextInquiry')}`}</p>
      <h3 className="slip__heading">{t('slip.contact')}</h3>
      <p>{t('contact.team')}</p>
      <p>{t('contact.mail', { email: supportEmail })}</p>
      <p className="slip__keep">{t('slip.keep')}</p>
    </section>,
    document.body,
  );
}

type PrintState = 'idle' | 'printing' | 'printed' | 'failed';

/**
 * 「受付票を印刷」. In the Electron app the shell prints silently to the printer named on
 * 初期設定 (app.printSlip); in web mode (and where the shell has no printer set) the
 * browser's print with the print stylesheet.
 */
export function PrintSlipButton({ slip }: { slip: SlipData }) {
  const { t } = useTranslation();
  const api = useApi();
  const { transport } = useAppInfo();
  const [state, setState] = useState<PrintState>('idle');

  const print = async () => {
    if (state === 'printing') return;
    if (transport !== 'ipc') {
      window.print();
      return;
    }
    setState('printing');
    try {
      const result = await api.call('app.printSlip', {});
      if (result.done) setState('printed');
      else if (result.reason === 'failed') setState('failed');
      else {
        // No printer named on 初期設定: the system print dialog instead.
        setState('idle');
        window.print();
      }
    } catch {
      setState('failed');
    }
  };

  return (
    <div className="slip-action">
      <button type="button" className="button button--secondary" onClick={() => void print()} disabled={state === 'printing'}>
        {t('slip.print')}
      </button>
      <p className="slip-action__status" role="status">
        {state === 'printing' ? t('slip.printing') : state === 'printed' ? t('slip.printed') : state === 'failed' ? t('slip.printFailed') : ''}
      </p>
      <ReceiptSlip slip={slip} />
    </div>
  );
}
