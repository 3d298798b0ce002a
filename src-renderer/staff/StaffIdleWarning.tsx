import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { KioskDialog } from '../components/KioskDialog';
import { useIdleCountdown } from '../components/use-idle-countdown';
import { useStaff } from './staff-session';

/** 60 s: a clerk may be at the counter, not at the screen; at most half of the 1-minute minimum. */
const WARNING_SECONDS = 60;
/** How often the idle time is read again: an admin may shorten it while this clerk works. */
const SESSION_LENGTH_READ_MS = 20_000;

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
  const api = useApi();
  const [minutes, setMinutes] = useState(me.sessionMinutes);
  useEffect(() => setMinutes(me.sessionMinutes), [me.sessionMinutes]);
  // app.info is passive: reading the length does not keep the login alive.
  useEffect(() => {
    const timer = setInterval(() => {
      api.call('app.info', {}).then(
        (info) => setMinutes(info.staffSessionMinutes),
        () => undefined, // unreachable now: the length known stands
      );
    }, SESSION_LENGTH_READ_MS);
    return () => clearInterval(timer);
  }, [api]);
  const { remaining, warnAt } = useIdleCountdown({ timeoutSeconds: minutes * 60, warnSeconds: WARNING_SECONDS, enabled: true, lastActivity: lastCallAt, onTimeout: onExpired });
  return (
    <KioskDialog open={remaining !== null} title={t('staffUx.idle.title')} actionLabel={t('staffUx.idle.continue')} onAction={() => void reloadMe().catch(() => undefined)}>
      <p>{t('staffUx.idle.body', { seconds: remaining ?? warnAt })}</p>
    </KioskDialog>
  );
}
