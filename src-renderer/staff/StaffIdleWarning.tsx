import { useTranslation } from 'react-i18next';
import { KioskDialog } from '../components/KioskDialog';
import { useIdleCountdown } from '../components/use-idle-countdown';
import { useStaff } from './staff-session';

/** 60 s: a clerk may be at the counter, not at the screen; at most half of the 1-minute minimum. */
const WARNING_SECONDS = 60;

/**
 * Before the staff login ends by inactivity: warn, and 「続ける」 keeps it with a call. The
 * countdown runs from the last call this screen sent, as the server's does, so the warning
 * comes before the server's end and never after. At the end the screen says the login
 * expired (onExpired); no logout call, which would end a login another tab of the same
 * browser is still using.
 */
export function StaffIdleWarning({ onExpired }: { onExpired: () => void }) {
  const { t } = useTranslation();
  const { me, lastCallAt, reloadMe } = useStaff();
  const { remaining, warnAt } = useIdleCountdown({ timeoutSeconds: me.sessionMinutes * 60, warnSeconds: WARNING_SECONDS, enabled: true, lastActivity: lastCallAt, onTimeout: onExpired });
  return (
    <KioskDialog open={remaining !== null} title={t('staffUx.idle.title')} actionLabel={t('staffUx.idle.continue')} onAction={() => void reloadMe().catch(() => undefined)}>
      <p>{t('staffUx.idle.body', { seconds: remaining ?? warnAt })}</p>
    </KioskDialog>
  );
}
