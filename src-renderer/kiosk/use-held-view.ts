import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KioskView } from '../../src-main/contract';
import { useApi } from '../api/api-context';
import { activityEvents } from '../components/IdleGuard';
import { defaultTouchPrefs } from '../touch/touch-prefs';
import { afterWipe } from './kiosk-wipe';

/**
 * Said again at most this often while someone touches the page: the main process gives the view
 * back only when it heard of it within the idle timeout (held-view.ts), and a customer reading
 * or typing on one screen makes no other call. 10 s: well inside the shortest timeout (15 s).
 */
const REFRESH_MS = 10_000;

const keyOf = (view: KioskView) => JSON.stringify(view);
const untouched = keyOf({ ...pick(defaultTouchPrefs), locale: 'ja' });

function pick({ textSize, contrast, voice, keyboard }: typeof defaultTouchPrefs) {
  return { textSize, contrast, voice, keyboard };
}

/**
 * Keeps the main process told how the screen looks and whether it is on 変更権限コード, so a
 * reload gives the customer the same (kiosk.resumeView). Nothing is said until the page knows
 * what was held (`known`): the first paint's defaults must not overwrite a view a reload is
 * about to resume. An untouched view is said only to replace a held one.
 */
export function useHeldView(view: KioskView, checkSession: boolean) {
  const api = useApi();
  const [known, setKnown] = useState(!checkSession);
  // After a wipe (checkSession false) account.logout has forgotten whatever was held.
  const said = useRef<{ key: string; atMs: number }>({ key: untouched, atMs: 0 });
  const key = keyOf(view);
  const latest = useRef(view);
  useLayoutEffect(() => {
    latest.current = view;
  });

  const say = useCallback(
    (next: KioskView) => {
      said.current = { key: keyOf(next), atMs: performance.now() };
      void afterWipe().then(() => api.call('kiosk.holdView', next).catch(() => undefined));
    },
    [api],
  );

  /** What the reload's kiosk.resumeView answered: from now on the page speaks for itself. */
  const resumed = useCallback((held: KioskView | null) => {
    if (held) said.current = { key: keyOf(held), atMs: performance.now() };
    setKnown(true);
  }, []);

  useEffect(() => {
    if (known && key !== said.current.key) say(latest.current);
  }, [known, key, say]);

  useEffect(() => {
    if (!known) return;
    const onActivity = () => {
      if (said.current.key !== untouched && performance.now() - said.current.atMs > REFRESH_MS) say(latest.current);
    };
    for (const name of activityEvents) window.addEventListener(name, onActivity, { capture: true, passive: true });
    return () => {
      for (const name of activityEvents) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, [known, say]);

  return { resumed };
}
