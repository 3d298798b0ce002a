import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { activityOf, activityOfRole, callNames, ipcChannel, IPC_SAVE_DOWNLOAD, type Activity } from '../contract/registry';
import type { Principal } from '../contract/roles';
import { AppError, type CallResult } from '../contract/errors';
import type { FileTransfers } from '../services/account-files/transfers';
import type { Readable } from 'node:stream';
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
  /** Downloads (export, rejected rows): the ticket's stream into a file the user picks in the shell's save dialog. */
  transfers?: FileTransfers;
  /** Asks where to save, then `open()`s the bytes (their audit entry committed first) into the file; a refused open creates no file. */
  saveFile?(contents: WebContents, fileName: string, open: () => Promise<Readable>): Promise<boolean>;
  /** After each call: who the window's session is now (the shell restores kiosk mode when staff are gone). */
  afterCall?(contents: WebContents, principal: Principal): void;
}): () => void {
  const sessionByContents = new Map<number, Session>();

  const sessionFor = async (contents: WebContents, activity?: Activity): Promise<Session> => {
    const existing = sessionByContents.get(contents.id);
    const found = existing ? options.sessions.find(existing.id, await options.timeouts(), activity) : undefined;
    if (found) return found;
    const created = options.sessions.create();
    // One listener per window, for whichever session it holds when it goes: a listener per
    // replaced session piled up (Node warns past ten) and kept every old session reachable.
    if (!existing) {
      contents.once('destroyed', () => {
        const last = sessionByContents.get(contents.id);
        sessionByContents.delete(contents.id);
        if (last) options.sessions.drop(last.id);
      });
    }
    sessionByContents.set(contents.id, created);
    return created;
  };

  for (const name of callNames) {
    options.ipcMain.handle(ipcChannel(name), async (event: IpcMainInvokeEvent, input: unknown) => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (event.senderFrame?.parent || !options.isTrustedSender(event.sender, frameUrl)) {
        return { ok: false, error: { code: 'BAD_ORIGIN' } };
      }
      const session = await sessionFor(event.sender, activityOf(name));
      const principal = session.principal;
      const actor = principal.staff ? `staff:${principal.staff.staffId}` : principal.customer ? `customer:${principal.customer.accountId}` : 'kiosk';
      const result = await options.dispatch(name, input, { session, transport: 'ipc', actor });
      options.afterCall?.(event.sender, session.principal);
      return result;
    });
  }
  // The same sender check and session as the calls; the ticket was issued to this window's session.
  options.ipcMain.handle(IPC_SAVE_DOWNLOAD, async (event: IpcMainInvokeEvent, ticketId: unknown): Promise<CallResult<{ saved: boolean }>> => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (event.senderFrame?.parent || !options.isTrustedSender(event.sender, frameUrl)) return { ok: false, error: { code: 'BAD_ORIGIN' } };
    const { transfers, saveFile } = options;
    if (typeof ticketId !== 'string' || !transfers || !saveFile) return { ok: false, error: { code: 'BAD_REQUEST' } };
    // Nobody's idle clock moves until the ticket says whose work this is (registry activityOf).
    const session = await sessionFor(event.sender, 'none');
    const ticket = transfers.take(ticketId, 'download', session.id);
    if (!ticket) return { ok: false, error: { code: 'NOT_FOUND' } };
    const refused = await transfers.refusal(ticket, session, 'ipc');
    if (refused) return { ok: false, error: refused };
    options.sessions.find(session.id, await options.timeouts(), activityOfRole(ticket.role));
    try {
      return { ok: true, value: { saved: await saveFile(event.sender, ticket.fileName, () => transfers.open(ticket)) } };
    } catch (error) {
      // A refusal in words (the audit entry could not be written) reaches the screen as it is.
      return { ok: false, error: error instanceof AppError ? error.toCallError() : { code: 'UNAVAILABLE' } };
    }
  });
  return () => {
    for (const name of callNames) options.ipcMain.removeHandler(ipcChannel(name));
    options.ipcMain.removeHandler(IPC_SAVE_DOWNLOAD);
  };
}
