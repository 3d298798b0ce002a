// The app behind its real loopback HTTP transport, called as a browser (or an attacker's
// script) would: each "visitor" fetches the page for its own session cookie, then POSTs calls
// with the Origin and custom header the transport demands. For bursts of parallel requests.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../../../src-main/app/create-app';
import type { CallResult } from '../../../src-main/contract/errors';
import { createHttpTransport } from '../../../src-main/transport/http';
import { startTestApp, type TestAppOptions } from './test-app';
export { recordingSleep } from './test-app';

export interface HttpApp {
  app: App;
  base: string;
  /** A new visitor: the session cookie that comes with the page. */
  visitor(): Promise<Visitor>;
  close(): Promise<void>;
}

export interface Visitor {
  /** Updated when a login rotates the session (the answer's Set-Cookie). */
  cookie: string;
  call(name: string, body: unknown): Promise<{ status: number; text: string; result: CallResult<unknown> }>;
}

export async function startHttpApp(dir: string, options: Omit<TestAppOptions, 'dataDir'> = {}): Promise<HttpApp> {
  const staticDir = join(dir, 'renderer');
  await mkdir(staticDir, { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>webdesk</title>');
  const app = await startTestApp({ startMailWorker: false, ...options, dataDir: join(dir, 'data') });
  const http = createHttpTransport({ dispatch: app.dispatch, sessions: app.sessions, timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }), staticDir, transfers: app.transfers });
  const base = `http://127.0.0.1:${await http.listen(0)}`;

  async function visitor(): Promise<Visitor> {
    const page = await fetch(`${base}/`);
    await page.arrayBuffer();
    const v: Visitor = {
      cookie: (page.headers.get('set-cookie') ?? '').split(';')[0]!,
      async call(name, body) {
        const res = await fetch(`${base}/api/call/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1', Origin: base, Cookie: v.cookie },
          body: JSON.stringify(body),
        });
        const rotated = res.headers.get('set-cookie');
        if (rotated) v.cookie = rotated.split(';')[0]!;
        const text = await res.text();
        return { status: res.status, text, result: JSON.parse(text) as CallResult<unknown> };
      },
    };
    return v;
  }

  return {
    app,
    base,
    visitor,
    async close() {
      await http.close();
      await app.close();
    },
  };
}

/** The error code of an answer, or 'ok'. */
export const outcome = (answer: { result: CallResult<unknown> }): string => (answer.result.ok ? 'ok' : answer.result.error.code);
