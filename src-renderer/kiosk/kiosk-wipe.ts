/**
 * The kiosk's last wipe (account.logout, fired by 最初に戻る or the idle timeout without the
 * screen waiting for it). What the page tells the main process about the next customer's view
 * (kiosk.holdView) waits for it: sent beside it, the logout could be handled second and forget
 * the view it was meant to precede (use-held-view.ts).
 */
let lastWipe: Promise<unknown> = Promise.resolve();

export function wipeStarted(wipe: Promise<unknown>): void {
  lastWipe = wipe.catch(() => undefined);
}

export function afterWipe(): Promise<unknown> {
  return lastWipe;
}
