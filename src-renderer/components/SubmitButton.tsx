import { useTranslation } from 'react-i18next';

/**
 * The one primary button of a form screen. While the call is on its way it is disabled and
 * says 送信中, so a second tap at the kiosk cannot send the request twice. Staff screens word
 * the wait as 処理しています… (`pendingLabel`).
 */
export function SubmitButton({ pending, label, pendingLabel }: { pending: boolean; label: string; pendingLabel?: string }) {
  const { t } = useTranslation();
  return (
    <button type="submit" className="button button--primary" disabled={pending}>
      {pending ? (pendingLabel ?? t('app.sending')) : label}
    </button>
  );
}
