import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KioskDialog } from './KioskDialog';

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
const activityEvents = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input'] as const;

/**
 * Kiosk hygiene (DESIGN §1): after a quiet spell, warn, then return to トップ with all form
 * state wiped (the caller remounts the wizard). A monotonic clock is used, so changing the
 * wall clock does not end or stretch a customer's session.
 */
export function IdleGuard({ timeoutSeconds, enabled, onTimeout }: IdleGuardProps) {
  const { t } = useTranslation();
  const warnAt = Math.min(WARNING_SECONDS, Math.floor(timeoutSeconds / 2));
  const lastActivity = useRef(performance.now());
  const [remaining, setRemaining] = useState<number | null>(null);
  const warning = remaining !== null;
  // Read by the event listeners and the timer, which are set up once per enable.
  const warningRef = useRef(false);
  const onTimeoutRef = useRef(onTimeout);
  useLayoutEffect(() => {
    warningRef.current = warning;
    onTimeoutRef.current = onTimeout;
  });

  const restart = useCallback(() => {
    lastActivity.current = performance.now();
    setRemaining(null);
  }, []);

  useEffect(() => {
    if (!enabled) {
      setRemaining(null);
      return;
    }
    lastActivity.current = performance.now();
    const onActivity = () => {
      // While the warning is up, only 「続ける」 keeps the session: a tap elsewhere is not consent.
      if (!warningRef.current) lastActivity.current = performance.now();
    };
    for (const name of activityEvents) window.addEventListener(name, onActivity, { capture: true, passive: true });
    const timer = window.setInterval(() => {
      const idle = (performance.now() - lastActivity.current) / 1000;
      const left = Math.ceil(timeoutSeconds - idle);
      if (left <= 0) {
        setRemaining(null);
        onTimeoutRef.current();
      } else if (left <= warnAt) {
        setRemaining(left);
      }
    }, 250);
    return () => {
      window.clearInterval(timer);
      for (const name of activityEvents) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, [enabled, timeoutSeconds, warnAt]);

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
