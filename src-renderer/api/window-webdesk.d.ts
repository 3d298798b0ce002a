// What the Electron preload exposes (contextBridge). Absent in web mode, so it is optional.
import type { CallResult } from '../../src-main/contract';

declare global {
  interface WebdeskBridge {
    call(name: string, input: unknown): Promise<CallResult<unknown>>;
    /** Deep links (`jsa-webdesk://reset/<token>`) arrive as a path like `/reset/<token>`. */
    onDeepLink(cb: (path: string) => void): () => void;
  }

  interface Window {
    webdesk?: WebdeskBridge;
  }
}

export {};
