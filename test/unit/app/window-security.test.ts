// The Electron shell's security settings without Electron (its binary cannot run on CI):
// window options, the CSP, and what hardenWindow / hardenSession / the IPC transport do with
// the events Electron would send, through minimal fakes of webContents, session and ipcMain.
// test/e2e/electron-shell.spec.ts checks the same in a real window where Electron exists.
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { BrowserWindow, IpcMain, Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { hardenSession, hardenWindow, isOwnPage, secureWindowOptions } from '../../../src-main/app/window-security';
import { callNames, ipcChannel, IPC_SAVE_DOWNLOAD } from '../../../src-main/contract/registry';
import { AppError } from '../../../src-main/contract/errors';
import { FileTransfers } from '../../../src-main/services/account-files/transfers';
import { SessionRegistry } from '../../../src-main/services/sessions';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/transport/http';
import { serveContractOverIpc } from '../../../src-main/transport/ipc';

const PAGE = 'file:///opt/jsa-webdesk/resources/app/dist/renderer/index.html';

/** webContents as far as hardenWindow uses it: events, and the window.open handler it installs. */
class FakeWebContents extends EventEmitter {
  id = 1;
  windowOpenHandler?: (details: { url: string }) => { action: string };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

function hardened() {
  const contents = new FakeWebContents();
  hardenWindow({ webContents: contents } as unknown as BrowserWindow, PAGE);
  return contents;
}

/** Emits an Electron navigation-style event; true when a listener called preventDefault. */
function prevented(contents: FakeWebContents, event: string, url?: string): boolean {
  const preventDefault = vi.fn();
  contents.emit(event, { preventDefault }, url);
  return preventDefault.mock.calls.length > 0;
}

describe('secureWindowOptions (Electron security checklist 3, 4)', () => {
  it.each([true, false])('isolates and sandboxes the page, with no Node and no webview (kiosk %s)', (kiosk) => {
    const options = secureWindowOptions('/app/preload.cjs', kiosk);
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(options.webPreferences).not.toHaveProperty('experimentalFeatures');
    expect(options.kiosk).toBe(kiosk);
  });
});

describe('the Content-Security-Policy (checklist 7)', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

  it("allows only 'self' by default and never inline or eval'd script", () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval/);
    expect(directives.get('script-src')).toEqual(["'self'"]);
  });

  it('names no other host, no wildcard and no plain http (kiosks are offline; fonts are bundled)', () => {
    for (const [, values] of directives) {
      for (const value of values) expect(value).toMatch(/^(?:'self'|'none'|data:)$/);
    }
  });

  it('forbids plugins, framing, <base> and form posts elsewhere', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });
});

describe('hardenWindow (checklist 13, 14, 15)', () => {
  it.each([
    'https://evil.example/',
    'http://127.0.0.1:5890/',
    'file:///etc/passwd',
    'file:///opt/jsa-webdesk/resources/app/dist/renderer/other.html',
    'javascript:alert(1)',
    'jsa-webdesk://reset/abc',
  ])('refuses navigation and redirects to %s', (url) => {
    const contents = hardened();
    expect(prevented(contents, 'will-navigate', url)).toBe(true);
    expect(prevented(contents, 'will-redirect', url)).toBe(true);
  });

  it('lets the page reload itself (with or without a #fragment)', () => {
    const contents = hardened();
    expect(prevented(contents, 'will-navigate', PAGE)).toBe(false);
    expect(prevented(contents, 'will-navigate', `${PAGE}#/reset`)).toBe(false);
    expect(isOwnPage(`${PAGE}?x=1`, PAGE)).toBe(false);
  });

  it('denies every window.open, whatever the URL', () => {
    const contents = hardened();
    expect(contents.windowOpenHandler).toBeDefined();
    for (const url of ['https://evil.example/', PAGE, 'about:blank', 'mailto:webdesk@jisa.or.jp']) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
  });

  it('refuses to attach a <webview>', () => {
    expect(prevented(hardened(), 'will-attach-webview')).toBe(true);
  });
});

describe('hardenSession', () => {
  function fakeSession() {
    const captured: {
      headers?: (details: { responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders: Record<string, string[]> }) => void) => void;
      request?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
      check?: () => boolean;
    } = {};
    const session = {
      webRequest: { onHeadersReceived: (listener: typeof captured.headers) => (captured.headers = listener) },
      setPermissionRequestHandler: (handler: typeof captured.request) => (captured.request = handler),
      setPermissionCheckHandler: (handler: typeof captured.check) => (captured.check = handler),
    };
    hardenSession(session as unknown as Session);
    return captured;
  }

  it('puts the CSP on every response, replacing a weaker one', () => {
    const captured = fakeSession();
    const callback = vi.fn();
    captured.headers!({ responseHeaders: { 'Content-Security-Policy': ["default-src *; script-src 'unsafe-inline'"], 'X-Other': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'X-Other': ['1'] } });
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal'])('never grants the %s permission', (permission) => {
    const captured = fakeSession();
    const callback = vi.fn();
    captured.request!({}, permission, callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(captured.check!()).toBe(false);
  });
});

describe('the IPC transport checks the sender (checklist 17)', () => {
  function served(trusted: boolean) {
    const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
    const ipcMain = { handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => handlers.set(channel, fn), removeHandler: vi.fn() };
    const dispatch = vi.fn(async () => ({ ok: true as const, value: {} }));
    serveContractOverIpc({
      ipcMain: ipcMain as unknown as IpcMain,
      dispatch,
      sessions: new SessionRegistry({ nowMs: () => Date.now() }),
      timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }),
      isTrustedSender: () => trusted,
    });
    return { handlers, dispatch };
  }
  const sender = Object.assign(new EventEmitter(), { id: 7 }) as unknown as WebContents;

  it('serves exactly the contract’s channels, one per call, and the one file channel', () => {
    expect([...served(true).handlers.keys()].sort()).toEqual([...callNames.map(ipcChannel), IPC_SAVE_DOWNLOAD].sort());
  });

  it('answers BAD_ORIGIN on the file channel to an untrusted sender, and NOT_FOUND to an unknown ticket', async () => {
    const untrusted = served(false);
    expect(await untrusted.handlers.get(IPC_SAVE_DOWNLOAD)!({ sender, senderFrame: { url: 'https://evil.example/' } }, 'ticket')).toEqual({ ok: false, error: { code: 'BAD_ORIGIN' } });
    expect(await served(true).handlers.get(IPC_SAVE_DOWNLOAD)!({ sender, senderFrame: { url: PAGE } }, 'ticket')).toEqual({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('answers BAD_ORIGIN, without dispatching, to an untrusted sender or a sub-frame', async () => {
    const untrusted = served(false);
    expect(await untrusted.handlers.get(ipcChannel('app.info'))!({ sender, senderFrame: { url: 'https://evil.example/' } }, {})).toEqual({ ok: false, error: { code: 'BAD_ORIGIN' } });
    const framed = served(true);
    expect(await framed.handlers.get(ipcChannel('app.info'))!({ sender, senderFrame: { url: PAGE, parent: {} } }, {})).toEqual({ ok: false, error: { code: 'BAD_ORIGIN' } });
    expect(untrusted.dispatch).not.toHaveBeenCalled();
    expect(framed.dispatch).not.toHaveBeenCalled();
  });

  it('dispatches a trusted top-frame call with an ipc context', async () => {
    const { handlers, dispatch } = served(true);
    await handlers.get(ipcChannel('app.info'))!({ sender, senderFrame: { url: PAGE, parent: null } }, {});
    expect(dispatch).toHaveBeenCalledWith('app.info', {}, expect.objectContaining({ transport: 'ipc', actor: 'kiosk' }));
  });
});

describe('the IPC transport keeps one session per window', () => {
  it('listens once for the window going away however often its session is replaced, and ends the current one then', async () => {
    const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
    const ipcMain = { handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => handlers.set(channel, fn), removeHandler: vi.fn() };
    const sessions = new SessionRegistry({ nowMs: () => Date.now() });
    const seen: string[] = [];
    serveContractOverIpc({
      ipcMain: ipcMain as unknown as IpcMain,
      dispatch: async (_name, _input, ctx) => {
        seen.push(ctx.session.id);
        return { ok: true as const, value: {} };
      },
      sessions,
      timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }),
      isTrustedSender: () => true,
    });
    const window = Object.assign(new EventEmitter(), { id: 9 });
    const call = () => handlers.get(ipcChannel('app.info'))!({ sender: window, senderFrame: { url: PAGE, parent: null } }, {});
    // Each session is forgotten before the next call (idled out, pruned): the window gets a new one.
    for (let i = 0; i < 15; i += 1) {
      await call();
      sessions.drop(seen.at(-1)!);
    }
    await call();
    await call();
    expect(new Set(seen).size).toBe(16);
    expect(window.listenerCount('destroyed')).toBe(1);
    expect(sessions.counts().total).toBe(1);
    window.emit('destroyed');
    expect(sessions.counts().total).toBe(0);
  });
});

describe('the IPC transport tells the shell who the window is after each call', () => {
  it('passes the session’s principal once the call is done (the kiosk comes back when staff are gone)', async () => {
    const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
    const ipcMain = { handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => handlers.set(channel, fn), removeHandler: vi.fn() };
    const sessions = new SessionRegistry({ nowMs: () => Date.now() });
    const afterCall = vi.fn();
    serveContractOverIpc({
      ipcMain: ipcMain as unknown as IpcMain,
      // staff.logout's effect, stood in for: the login ends inside the call.
      dispatch: async (name, _input, ctx) => {
        if (name === 'staff.login') sessions.loginStaff(ctx.session, 'staff-1', 'agent', false);
        if (name === 'staff.logout') sessions.logoutStaff(ctx.session);
        return { ok: true as const, value: {} };
      },
      sessions,
      timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }),
      isTrustedSender: () => true,
      afterCall,
    });
    const window = Object.assign(new EventEmitter(), { id: 11 });
    const call = (name: 'staff.login' | 'staff.logout') => handlers.get(ipcChannel(name))!({ sender: window, senderFrame: { url: PAGE, parent: null } }, {});
    await call('staff.login');
    expect(afterCall).toHaveBeenLastCalledWith(window, expect.objectContaining({ staff: expect.objectContaining({ staffId: 'staff-1' }) }));
    await call('staff.logout');
    expect(afterCall).toHaveBeenLastCalledWith(window, {});
  });
});

describe('the IPC file channel renews only the login its ticket belongs to', () => {
  it('a clerk saving exports at a PC that also holds a customer login keeps no customer logged in', async () => {
    const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
    const ipcMain = { handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => handlers.set(channel, fn), removeHandler: vi.fn() };
    let now = Date.parse('2026-12-07T09:00:00.000Z');
    const sessions = new SessionRegistry({ nowMs: () => now });
    let sessionId = '';
    serveContractOverIpc({
      ipcMain: ipcMain as unknown as IpcMain,
      // The logins' effect, stood in for.
      dispatch: async (name, _input, ctx) => {
        if (name === 'account.login') sessions.loginCustomer(ctx.session, 'account-1');
        if (name === 'staff.login') sessions.loginStaff(ctx.session, 'staff-1', 'supervisor', false);
        sessionId = ctx.session.id;
        return { ok: true as const, value: {} };
      },
      sessions,
      timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }),
      isTrustedSender: () => true,
      // A supervisor's export ticket, as accounts.export.begin issues it.
      // Its staff row is current (refusal: nothing to refuse).
      transfers: { take: () => ({ role: 'supervisor', fileName: 'accounts.csv', open: () => undefined }), refusal: async () => undefined } as unknown as FileTransfers,
      saveFile: async () => true,
    });
    const window = Object.assign(new EventEmitter(), { id: 13 });
    const event = { sender: window, senderFrame: { url: PAGE, parent: null } };
    await handlers.get(ipcChannel('account.login'))!(event, {});
    await handlers.get(ipcChannel('staff.login'))!(event, {});
    for (let i = 0; i < 3; i += 1) {
      now += 2 * 60_000;
      expect(await handlers.get(IPC_SAVE_DOWNLOAD)!(event, `ticket-${i}`)).toEqual({ ok: true, value: { saved: true } });
    }
    // 6 minutes of the clerk's saves: the customer did nothing in that time.
    const principal = sessions.find(sessionId, { customerMinutes: 5, staffMinutes: 15 }, 'none')!.principal;
    expect(principal.customer).toBeUndefined();
    expect(principal.staff?.staffId).toBe('staff-1');
  });
});

describe('the IPC file channel and the download’s audit entry', () => {
  it('opens no file and answers the refusal in words when the entry cannot be written; writes the entry before the bytes otherwise', async () => {
    const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
    const ipcMain = { handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => handlers.set(channel, fn), removeHandler: vi.fn() };
    const sessions = new SessionRegistry({ nowMs: () => Date.parse('2026-12-07T09:00:00.000Z') });
    const transfers = new FileTransfers(() => 0, async () => undefined);
    let sessionId = '';
    const steps: string[] = [];
    let auditWritable = false;
    const saved: string[] = [];
    serveContractOverIpc({
      ipcMain: ipcMain as unknown as IpcMain,
      dispatch: async (_name, _input, ctx) => {
        sessions.loginStaff(ctx.session, 'staff-1', 'supervisor', false);
        sessionId = ctx.session.id;
        return { ok: true as const, value: {} };
      },
      sessions,
      timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }),
      isTrustedSender: () => true,
      transfers,
      // As electron-main.ts: the user chose where; the bytes are opened before the file is made.
      saveFile: async (_contents, fileName, open) => {
        const bytes = await open();
        saved.push(fileName);
        bytes.destroy();
        return true;
      },
    });
    const window = Object.assign(new EventEmitter(), { id: 17 });
    const event = { sender: window, senderFrame: { url: PAGE, parent: null } };
    await handlers.get(ipcChannel('staff.login'))!(event, {});
    const ticket = () =>
      transfers.issue({
        kind: 'download',
        sessionId,
        role: 'supervisor',
        fileName: 'accounts.csv',
        contentType: 'text/csv',
        record: async () => {
          if (!auditWritable) throw new AppError('UNAVAILABLE', { params: { reason: 'audit-unwritable' } });
          steps.push('entry');
        },
        stream: () => {
          steps.push('bytes');
          return Readable.from([]);
        },
      });
    expect(await handlers.get(IPC_SAVE_DOWNLOAD)!(event, ticket())).toEqual({ ok: false, error: { code: 'UNAVAILABLE', params: { reason: 'audit-unwritable' } } });
    expect(saved).toEqual([]);
    expect(steps).toEqual([]);
    auditWritable = true;
    expect(await handlers.get(IPC_SAVE_DOWNLOAD)!(event, ticket())).toEqual({ ok: true, value: { saved: true } });
    expect(steps).toEqual(['entry', 'bytes']);
  });
});
