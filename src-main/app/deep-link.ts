/**
 * jsa-webdesk://reset/<token> → /reset/<token> (with `?lang=en` kept from an English mail's
 * link, and nothing else from the query); anything else is ignored (never navigated to).
 */
export const DEEP_LINK_SCHEME = 'jsa-webdesk';

export function deepLinkPath(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${DEEP_LINK_SCHEME}:`) return undefined;
  // jsa-webdesk://reset/<token>: "reset" is the host, the token the path.
  const token = parsed.host === 'reset' ? parsed.pathname.replace(/^\//, '') : '';
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return undefined;
  return parsed.searchParams.get('lang') === 'en' ? `/reset/${token}?lang=en` : `/reset/${token}`;
}

export function findDeepLink(argv: readonly string[]): string | undefined {
  for (const arg of argv) {
    const path = deepLinkPath(arg);
    if (path) return path;
  }
  return undefined;
}
