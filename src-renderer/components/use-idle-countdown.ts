import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

interface IdleCountdown {
  /** From the settings: how long a quiet spell may last. */
  timeoutSeconds: number;
  /** The warning shows this long before the end (at most half the timeout). */
  warnSeconds: number;
  enabled: boolean;
  /** performance.now() of the last activity; what counts as activity is the caller's. */
  lastActivity: () => number;
  onTimeout: () => void;
}

/**
 * The seconds left while the warning is due (null before), counted on the monotonic clock so a
 * change of the wall clock neither ends nor stretches a session. `recheck` after the caller
 * moved its activity, so the warning goes at once rather than on the next tick.
 */
export function useIdleCountdown({ timeoutSeconds, warnSeconds, enabled, lastActivity, onTimeout }: IdleCountdown) {
  const warnAt = Math.min(warnSeconds, Math.floor(timeoutSeconds / 2));
  const [remaining, setRemaining] = useState<number | null>(null);
  // Read by the timer, which is set up once per enable.
  const latest = useRef({ lastActivity, onTimeout });
  useLayoutEffect(() => {
    latest.current = { lastActivity, onTimeout };
  });

  const tick = useCallback(() => {
    const idle = (performance.now() - latest.current.lastActivity()) / 1000;
    const left = Math.ceil(timeoutSeconds - idle);
    if (left <= 0) {
      setRemaining(null);
      latest.current.onTimeout();
    } else setRemaining(left <= warnAt ? left : null);
  }, [timeoutSeconds, warnAt]);

  useEffect(() => {
    if (!enabled) {
      setRemaining(null);
      return;
    }
    const timer = window.setInterval(tick, 250);
    return () => window.clearInterval(timer);
  }, [enabled, tick]);

  return { remaining, warnAt, recheck: tick };
}
