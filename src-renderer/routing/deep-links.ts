/**
 * Deep links from the Electron main process (jsa-webdesk://reset/<token> → "/reset/<token>").
 * The main process sends a pending link as soon as the page has loaded, which can be before
 * React has mounted and subscribed; so we listen from the first line of main.tsx and hold
 * the latest path until the app asks for it.
 */
type Listener = (path: string) => void;

let pending: string | undefined;
let listener: Listener | undefined;

export function listenForDeepLinks(): void {
  window.webdesk?.onDeepLink((path) => {
    if (listener) listener(path);
    else pending = path;
  });
}

/** One subscriber (the app shell). Gets a link that arrived before it subscribed, too. */
export function onDeepLink(cb: Listener): () => void {
  listener = cb;
  if (pending !== undefined) {
    const path = pending;
    pending = undefined;
    cb(path);
  }
  return () => {
    if (listener === cb) listener = undefined;
  };
}
