import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { KioskDialog } from './KioskDialog';
import { useIdleCountdown } from './use-idle-countdown';

interface IdleGuardProps {
  /** From app.info (settings: idleTimeoutSeconds). */
  timeoutSeconds: number;
  /** Off on an untouched トップ: there is nothing to wipe there. */
  enabled: boolean;
  onTimeout: () => void;
}

/** 30 s: long enough to notice and tap 「続ける」, short against the shortest setting (15 s). */
const WARNING_SECONDS = 30;

/** What counts as someone being at the kiosk. Pointer moves do not: a bump of a mouse is no one. */
export const activityEvents = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input'] as const;

/**
 * Kiosk hygiene (DESIGN §1): after a quiet spell, warn, then return to トップ with all form
 * state wiped (the caller remounts the wizard). Activity here is someone touching the kiosk.
 */
export function IdleGuard({ timeoutSeconds, enabled, onTimeout }: IdleGuardProps) {
  const { t } = useTranslation();
  const lastActivity = useRef(performance.now());
  const { remaining, warnAt, recheck } = useIdleCountdown({ timeoutSeconds, warnSeconds: WARNING_SECONDS, enabled, lastActivity: () => lastActivity.current, onTimeout });
  const warning = remaining !== null;
  // Read by the event listeners, which are set up once per enable.
  const warningRef = useRef(false);
  useLayoutEffect(() => {
    warningRef.current = warning;
  });

  const restart = useCallback(() => {
    lastActivity.current = performance.now();
    recheck();
  }, [recheck]);

  useEffect(() => {
    if (!enabled) return;
    lastActivity.current = performance.now();
    const onActivity = () => {
      // While the warning is up, only 「続ける」 keeps the session: a tap elsewhere is not consent.
      if (!warningRef.current) lastActivity.current = performance.now();
    };
    for (const name of activityEvents) window.addEventListener(name, onActivity, { capture: true, passive: true });
    return () => {
      for (const name of activityEvents) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, [enabled]);

  return (
    <KioskDialog
      open={warning}
      title={t('idle.title')}
      actionLabel={t('idle.continue')}
      onAction={restart}
    >
      <p>{t('idle.body', { seconds: remaining ?? warnAt })}</p>
    </KioskDialog>
  );
}
