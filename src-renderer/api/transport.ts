import { callErrorSchema, type CallName, type CallResult, type RawTransport } from '../../src-main/contract';

/** Electron: the preload's one entry point; it checks the call name against the registry too. */
function ipcTransport(bridge: WebdeskBridge): RawTransport {
  return async (name, input) => {
    try {
      return await bridge.call(name, input);
    } catch {
      // The preload answers with a CallResult; a throw means the IPC itself broke.
      return unavailable();
    }
  };
}

/**
 * Web mode: every call is a POST to the loopback server. The body is a CallResult whatever
 * the HTTP status, so the status code is not read. X-Webdesk-Request is the server's CSRF
 * check (a cross-site form cannot set it); the session cookie is the server's business.
 */
function httpTransport(): RawTransport {
  const post = async (name: CallName, input: unknown): Promise<CallResult<unknown>> => {
    let body: unknown;
    try {
      const response = await fetch(`/api/call/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1' },
        credentials: 'same-origin',
        cache: 'no-store',
        body: JSON.stringify(input),
      });
      body = await response.json();
    } catch {
      return unavailable();
    }
    return asCallResult(body);
  };

  return async (name, input) => {
    const first = await post(name, input);
    if (first.ok || first.error.code !== 'UNAUTHENTICATED') return first;
    // The server hands out the session cookie with the page. A kiosk page stays open for days,
    // and a server restart forgets its sessions: fetch the page once for a fresh cookie and
    // retry, instead of failing every call until someone reloads. The refused call never ran.
    if (!(await refreshSessionCookie())) return first;
    return post(name, input);
  };
}

async function refreshSessionCookie(): Promise<boolean> {
  try {
    const response = await fetch('/', { method: 'GET', credentials: 'same-origin', cache: 'no-store' });
    return response.ok;
  } catch {
    return false;
  }
}

/** Anything that is not a well-formed CallResult (a proxy's HTML page, say) counts as unavailable. */
function asCallResult(body: unknown): CallResult<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return unavailable();
  if (body.ok === true && 'value' in body) return { ok: true, value: body.value };
  if (body.ok === false && 'error' in body) {
    const parsed = callErrorSchema.safeParse(body.error);
    // An error code this build does not know still becomes a code the screens can word.
    return { ok: false, error: parsed.success ? parsed.data : { code: 'INTERNAL' } };
  }
  return unavailable();
}

function unavailable(): CallResult<never> {
  return { ok: false, error: { code: 'UNAVAILABLE' } };
}

export function pickTransport(): RawTransport {
  return window.webdesk ? ipcTransport(window.webdesk) : httpTransport();
}
