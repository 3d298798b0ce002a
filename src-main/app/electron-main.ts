import { createWriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, session as electronSession } from 'electron';
import { serveContractOverIpc } from '../transport/ipc';
import { sessionTimeouts } from '../services/sessions';
import { installProcessGuard } from './process-guard';
import { createApp, type App } from './create-app';
import { DEEP_LINK_SCHEME, deepLinkPath, findDeepLink } from './deep-link';
import { loadConfigOrExit } from './entry-support';
import { firstAdminNotice } from './first-admin';
import { createKioskReturn } from './kiosk-return';
import { createSecretStore } from './secret-store';
import { createShellPrinter } from './shell-printer';
import { hardenSession, hardenWindow, isOwnPage, secureWindowOptions } from './window-security';

const DEEP_LINK_CHANNEL = 'webdesk-event:deep-link';
const config = loadConfigOrExit();
const pageUrl = pathToFileURL(join(__dirname, '..', 'renderer', 'index.html')).href;
let mainWindow: BrowserWindow | undefined;
let pendingDeepLink = findDeepLink(process.argv);
// After 「全画面表示を終了する」, kiosk mode comes back once staff are gone or the kiosk screen shows.
const kioskReturn = createKioskReturn(config.mode, () => {
  mainWindow?.setKiosk(true);
  mainWindow?.setFullScreen(true);
});

function sendDeepLink(path: string): void {
  if (mainWindow && !mainWindow.webContents.isLoading()) mainWindow.webContents.send(DEEP_LINK_CHANNEL, path);
  else pendingDeepLink = path;
}

function createWindow(): BrowserWindow {
  const kiosk = config.mode === 'kiosk';
  const win = new BrowserWindow(secureWindowOptions(join(__dirname, 'preload.cjs'), kiosk));
  hardenWindow(win, pageUrl);
  win.once('ready-to-show', () => win.show());
  win.webContents.on('did-navigate', (_event, url) => kioskReturn.shown(url));
  win.webContents.on('did-navigate-in-page', (_event, url, isMainFrame) => {
    if (isMainFrame) kioskReturn.shown(url);
  });
  win.webContents.on('did-finish-load', () => {
    if (pendingDeepLink) {
      win.webContents.send(DEEP_LINK_CHANNEL, pendingDeepLink);
      pendingDeepLink = undefined;
    }
  });
  // A crashed or hung renderer comes back on トップ with nothing typed kept.
  win.webContents.on('render-process-gone', () => void win.loadURL(pageUrl));
  win.on('unresponsive', () => win.webContents.forcefullyCrashRenderer());
  void win.loadURL(pageUrl);
  return win;
}

async function start(): Promise<App> {
  const webdesk = await createApp(config, {
    defaultLinkBase: 'jsa-webdesk:',
    firstStart: true,
    // safeStorage works only after `ready`, which is why the store is made here.
    secretStore: createSecretStore(config.dataDir, safeStorage),
    electronVersion: process.versions.electron,
    recoverDamagedStore: process.argv.includes('--recover'),
    // Staff behind staff login leave the kiosk's full screen; the menu stays off.
    onExitKiosk: () => {
      if (!mainWindow) return;
      mainWindow.setKiosk(false);
      mainWindow.setFullScreen(false);
      kioskReturn.left(mainWindow.webContents.getURL());
    },
    // 受付票: silent print to the printer named on 初期設定.
    printer: createShellPrinter(() => mainWindow),
    // 「アカウントの取り込み」: the OS's open dialog, from the main process (the page has no file system).
    importFilePicker: {
      async chooseCsv() {
        const options = { properties: ['openFile' as const], filters: [{ name: 'CSV', extensions: ['csv', 'txt'] }] };
        const picked = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        const path = picked.canceled ? undefined : picked.filePaths[0];
        return path ? { path, name: basename(path) } : null;
      },
    },
  });
  installProcessGuard(webdesk.logger);
  if (webdesk.firstAdmin) process.stdout.write(firstAdminNotice(webdesk.firstAdmin));
  hardenSession(electronSession.defaultSession);
  if (config.mode === 'kiosk') Menu.setApplicationMenu(null);
  serveContractOverIpc({
    ipcMain,
    dispatch: webdesk.dispatch,
    sessions: webdesk.sessions,
    timeouts: async () => sessionTimeouts(await webdesk.settings.get()),
    isTrustedSender: (contents, frameUrl) => contents === mainWindow?.webContents && isOwnPage(frameUrl, pageUrl),
    afterCall: (contents, principal) => {
      if (contents === mainWindow?.webContents) kioskReturn.called(principal.staff !== undefined);
    },
    transfers: webdesk.transfers,
    // Exports and rejected rows: streamed into the file the user picks, readable by this user only.
    async saveFile(_contents, fileName, open) {
      const options = { defaultPath: join(app.getPath('downloads'), fileName), filters: [{ name: 'CSV', extensions: ['csv'] }] };
      const target = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      if (target.canceled || !target.filePath) return false;
      // The bytes first (their audit entry committed): a refused download leaves no empty file.
      const bytes = await open();
      await pipeline(bytes, createWriteStream(target.filePath, { mode: 0o600 }));
      return true;
    },
  });
  mainWindow = createWindow();
  return webdesk;
}

if (!app.requestSingleInstanceLock()) {
  // One counter app per machine: the second start hands its deep link to the first and quits.
  app.quit();
} else {
  if (process.defaultApp && process.argv[1]) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [process.argv[1]]);
  } else {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  }
  app.on('second-instance', (_event, argv) => {
    const path = findDeepLink(argv);
    if (path) sendDeepLink(path);
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const path = deepLinkPath(url);
    if (path) sendDeepLink(path);
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  let webdesk: App | undefined;
  app
    .whenReady()
    .then(async () => {
      webdesk = await start();
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`webdesk: start-up failed: ${message}\n`);
      // A kiosk has no terminal: show the one line (e.g. a damaged store and the way out) on screen.
      dialog.showErrorBox('JSA Webdesk', message);
      app.exit(1);
    });
  app.on('window-all-closed', () => {
    void (webdesk?.close() ?? Promise.resolve()).finally(() => app.quit());
  });
}
