/**
 * Where the renderer starts. Web mode has real paths (`/reset/<token>`, `/staff`); Electron
 * loads index.html from file://, so the same routes may come as a hash (`#/reset/<token>`)
 * or, for deep links, through window.webdesk.onDeepLink with the path alone.
 */
export type InitialRoute = { kind: 'top' } | { kind: 'code'; token?: string; locale?: 'en' } | { kind: 'staff' };

/** Link tokens are base64url, 16–128 characters (contract tokenField). */
const tokenPattern = /^[A-Za-z0-9_-]{16,128}$/;

/** A path, with the query an English mail's link carries (`/reset/<token>?lang=en`). */
export function routeFromPath(pathAndQuery: string): InitialRoute {
  const [path = '', query = ''] = pathAndQuery.split('?', 2);
  const clean = path.replace(/\/+$/, '');
  if (/(?:^|\/)staff$/.test(clean)) return { kind: 'staff' };
  const reset = /(?:^|\/)reset\/([^/?#]*)$/.exec(clean);
  if (reset) {
    const token = safeDecode(reset[1] ?? '');
    // A mangled link still lands on 変更権限コード, where the customer can type JSA-ID and code.
    const english = new URLSearchParams(query).get('lang') === 'en' ? ({ locale: 'en' } as const) : {};
    return tokenPattern.test(token) ? { kind: 'code', token, ...english } : { kind: 'code', ...english };
  }
  return { kind: 'top' };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return '';
  }
}

export function routeFromLocation(location: Location): InitialRoute {
  const fromHash = location.hash.startsWith('#/') ? routeFromPath(location.hash.slice(1)) : undefined;
  if (fromHash && fromHash.kind !== 'top') return fromHash;
  // Under file:// the pathname is the path of index.html, which never matches a route.
  return location.protocol === 'file:' ? { kind: 'top' } : routeFromPath(location.pathname + location.search);
}

/**
 * The token is a secret for 30 minutes: once read, take it out of the address bar and the
 * history so the next customer at this kiosk cannot go back to it.
 */
export function forgetTokenInUrl(location: Location, history: History): void {
  if (location.protocol === 'file:') {
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    return;
  }
  if (/\/reset\//.test(location.pathname) || location.hash.startsWith('#/reset/')) history.replaceState(null, '', '/');
}
