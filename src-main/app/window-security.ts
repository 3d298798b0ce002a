import type { BrowserWindow, BrowserWindowConstructorOptions, Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../transport/http';

/**
 * Electron security checklist items 3, 4, 7, 13, 14, 15 and 17 in one place, applied to
 * every window we open (Signal's handleCommonWindowEvents pattern).
 */
export function secureWindowOptions(preloadPath: string, kiosk: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 900,
    minWidth: 800,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true, // 3
      sandbox: true, // 4
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  };
}

/** Our page, and nothing else, may be shown or talk to the main process. */
export function isOwnPage(url: string, pageUrl: string): boolean {
  return url.split('#')[0] === pageUrl;
}

export function hardenWindow(win: BrowserWindow, pageUrl: string): void {
  const contents = win.webContents;
  // 13: no navigation away from our page (a link in a field, a dropped file, a redirect).
  contents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url, pageUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOwnPage(url, pageUrl)) event.preventDefault();
  });
  // 14, 15: no new windows, and nothing handed to the OS to open.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** 7: the CSP as a header too (the page also carries it as a meta tag); no permission is ever granted. */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
