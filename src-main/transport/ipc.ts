import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { callNames, ipcChannel } from '../contract/registry';
import type { SessionRegistry, SessionTimeouts, Session } from '../services/sessions';
import type { Dispatch } from './dispatch';

/**
 * The Electron transport: one ipcMain handler per contract call. Before any handler runs,
 * the sender must be one of our windows and its top frame our own page (vscode's
 * validatedIpcMain, applied to every channel rather than those someone remembered).
 */
export function serveContractOverIpc(options: {
  ipcMain: IpcMain;
  dispatch: Dispatch;
  sessions: SessionRegistry;
  timeouts(): Promise<SessionTimeouts>;
  isTrustedSender(contents: WebContents, frameUrl: string): boolean;
}): () => void {
  const sessionByContents = new Map<number, Session>();

  const sessionFor = async (contents: WebContents): Promise<Session> => {
    const existing = sessionByContents.get(contents.id);
    const found = existing ? options.sessions.find(existing.id, await options.timeouts()) : undefined;
    if (found) return found;
    const created = options.sessions.create();
    sessionByContents.set(contents.id, created);
    contents.once('destroyed', () => {
      sessionByContents.delete(contents.id);
      options.sessions.drop(created.id);
    });
    return created;
  };

  for (const name of callNames) {
    options.ipcMain.handle(ipcChannel(name), async (event: IpcMainInvokeEvent, input: unknown) => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (event.senderFrame?.parent || !options.isTrustedSender(event.sender, frameUrl)) {
        return { ok: false, error: { code: 'BAD_ORIGIN' } };
      }
      const session = await sessionFor(event.sender);
      const principal = session.principal;
      const actor = principal.staff ? `staff:${principal.staff.staffId}` : principal.customer ? `customer:${principal.customer.accountId}` : 'kiosk';
      return options.dispatch(name, input, { session, transport: 'ipc', actor });
    });
  }
  return () => {
    for (const name of callNames) options.ipcMain.removeHandler(ipcChannel(name));
  };
}
