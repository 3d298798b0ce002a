import { useTranslation } from 'react-i18next';

/**
 * The one primary button of a form screen. While the call is on its way it is disabled and
 * says 送信中, so a second tap at the kiosk cannot send the request twice.
 */
export function SubmitButton({ pending, label }: { pending: boolean; label: string }) {
  const { t } = useTranslation();
  return (
    <button type="submit" className="button button--primary" disabled={pending}>
      {pending ? t('app.sending') : label}
    </button>
  );
}
