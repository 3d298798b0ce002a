/**
 * The way back to kiosk mode after staff left it (「全画面表示を終了する」, app.exitKiosk): the
 * next customer must never find a normal window with a close button. On a kiosk deployment,
 * kiosk mode comes back as soon as the window's session has no staff login (logout,
 * 「キオスクに戻る」, an idle timeout) or the kiosk screen is shown again (a reload, a hash
 * change). Pure, so it is tested without Electron; electron-main.ts feeds it the window's events.
 */
export type ShownScreen = 'kiosk' | 'staff';

/**
 * Which screen a URL of our page shows: the staff tools are `#/staff` under file://
 * (src-renderer/routing/initial-route.ts). Anything else is the kiosk, so a doubt restores.
 */
export function screenOf(url: string): ShownScreen {
  const hash = url.includes('#') ? url.slice(url.indexOf('#') + 1).replace(/\/+$/, '') : '';
  return hash.startsWith('/') && /(?:^|\/)staff$/.test(hash) ? 'staff' : 'kiosk';
}

/** Kiosk mode is wanted on a kiosk deployment except while logged-in staff look at their tools. */
export function kioskWanted(state: { deployment: 'kiosk' | 'staff'; staffLoggedIn: boolean; screen: ShownScreen }): boolean {
  return state.deployment === 'kiosk' && !(state.staffLoggedIn && state.screen === 'staff');
}

export interface KioskReturn {
  /** app.exitKiosk left kiosk mode, with the window showing this URL. */
  left(url: string): void;
  /** The window showed a URL of our page (a load or an in-page navigation). */
  shown(url: string): void;
  /** A call from the window finished: does its session still have a staff login? */
  called(staffLoggedIn: boolean): void;
}

export function createKioskReturn(deployment: 'kiosk' | 'staff', restore: () => void): KioskReturn {
  let out = false;
  let staffLoggedIn = false;
  let screen: ShownScreen = 'kiosk';
  const check = () => {
    if (!out || !kioskWanted({ deployment, staffLoggedIn, screen })) return;
    out = false;
    restore();
  };
  return {
    left(url) {
      out = true;
      // Only logged-in staff may leave (app.exitKiosk is an agent's call).
      staffLoggedIn = true;
      screen = screenOf(url);
      check();
    },
    shown(url) {
      screen = screenOf(url);
      check();
    },
    called(loggedIn) {
      staffLoggedIn = loggedIn;
      check();
    },
  };
}
