import { useTranslation } from 'react-i18next';
import { SubmitButton } from '../components/SubmitButton';

/** The buttons under a マイページ form: its one primary button, then back to the overview. */
export function MypageFormActions({ pending, label, onBack }: { pending: boolean; label: string; onBack: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <SubmitButton pending={pending} label={label} />
      <button type="button" className="button button--secondary" onClick={onBack}>
        {t('mypage.back')}
      </button>
    </div>
  );
}
