import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { callNames, ipcChannel, IPC_SAVE_DOWNLOAD, type CallName } from '../contract/registry';

/**
 * The page gets three functions and nothing else: make a contract call, hear deep links, and
 * save a download ticket's file through the main process's save dialog.
 * Names outside the registry are refused here before anything reaches the main process.
 */
const allowed = new Set<string>(callNames);
const DEEP_LINK_CHANNEL = 'webdesk-event:deep-link';

contextBridge.exposeInMainWorld('webdesk', {
  call(name: string, input: unknown): Promise<unknown> {
    if (!allowed.has(name)) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    return ipcRenderer.invoke(ipcChannel(name as CallName), input);
  },
  saveDownload(ticket: string): Promise<unknown> {
    if (typeof ticket !== 'string') return Promise.resolve({ ok: false, error: { code: 'BAD_REQUEST' } });
    return ipcRenderer.invoke(IPC_SAVE_DOWNLOAD, ticket);
  },
  onDeepLink(callback: (path: string) => void): () => void {
    const listener = (_event: IpcRendererEvent, path: unknown) => {
      if (typeof path === 'string') callback(path);
    };
    ipcRenderer.on(DEEP_LINK_CHANNEL, listener);
    return () => ipcRenderer.removeListener(DEEP_LINK_CHANNEL, listener);
  },
});
