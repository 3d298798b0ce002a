/**
 * The first start's `admin` one-time password, printed once to the console of whoever
 * started the app (DESIGN §5). It is never logged to a file or stored in clear; the first
 * login must replace it.
 */
export function firstAdminNotice(first: { username: string; password: string }): string {
  return [
    '',
    '──────────────────────────────────────────────────────────────',
    ' Staff tools: first start. A one-time password for the staff user',
    ` "${first.username}" (shown only this once; change it at the first login):`,
    '',
    `     user: ${first.username}`,
    `     one-time password: ${first.password}`,
    '──────────────────────────────────────────────────────────────',
    '',
  ].join('\n');
}
