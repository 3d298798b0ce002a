// What the Electron preload exposes (contextBridge). Absent in web mode, so it is optional.
import type { CallResult } from '../../src-main/contract';

declare global {
  interface WebdeskBridge {
    call(name: string, input: unknown): Promise<CallResult<unknown>>;
    /** Deep links (`jsa-webdesk://reset/<token>`) arrive as a path like `/reset/<token>`. */
    onDeepLink(cb: (path: string) => void): () => void;
    /** A download ticket's file, saved where the user picks in the main process's dialog. */
    saveDownload(ticket: string): Promise<CallResult<{ saved: boolean }>>;
  }

  interface Window {
    webdesk?: WebdeskBridge;
  }
}

export {};
