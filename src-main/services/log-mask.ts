/**
 * The second line of defence behind "services log ids, never values": whatever string
 * reaches a log line is scrubbed of things shaped like personal data or credentials.
 * - e-mail addresses (ASCII or full-width ＠) keep their first letter and domain: t***@example.co.jp
 * - credentials in URLs: smtp://user:***@host
 * - reset links: /reset/***
 * - JSA-IDs (11 digits standing alone): •••••••8901
 * - SQL statements: knex puts the statement with its values filled in before the driver's
 *   message ("select … where … match '田中' - SQLITE_ERROR: …"); only the driver's part stays
 */
const EMAIL = /([^\s@＠<>"'(),;:*[\]\\/]+)[@＠]([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]*):([^@/\s]+)@/gi;
const RESET_LINK = /\/reset\/[A-Za-z0-9_-]{8,}/g;
const JSA_ID = /(?<![0-9])[0-9]{11}(?![0-9])/g;
const SQL_KEYWORDS = /\b(?:select\s[\s\S]*\sfrom|insert\s+into|update\s[\s\S]*\sset|delete\s+from)\b/i;
// SQLite quotes the offending token ('fts5: syntax error near "田中"'): the token is the input.
const NEAR_TOKEN = /\bnear "[^"]*"/g;

function withoutSql(text: string): string {
  if (!SQL_KEYWORDS.test(text)) return text;
  const cut = text.lastIndexOf(' - ');
  return cut >= 0 && !SQL_KEYWORDS.test(text.slice(cut + 3)) ? `[sql] - ${text.slice(cut + 3)}` : '[sql]';
}

export function maskLogText(text: string): string {
  return withoutSql(text)
    .replace(NEAR_TOKEN, 'near "…"')
    .replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:***@`)
    .replace(EMAIL, (_m, local: string, domain: string) => `${local[0] ?? ''}***@${domain}`)
    .replace(RESET_LINK, '/reset/***')
    .replace(JSA_ID, (id: string) => `•••••••${id.slice(-4)}`);
}

/** Masks every string inside a log object (bounded depth); errors become plain objects first. */
export function maskLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskLogText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    // Still an Error, so pino's err serializer names its type as usual.
    const copy = new Error(maskLogText(value.message));
    copy.name = value.name;
    copy.stack = value.stack ? maskLogText(value.stack) : undefined;
    const code = (value as NodeJS.ErrnoException).code;
    if (code) (copy as NodeJS.ErrnoException).code = code;
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => maskLogValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = maskLogValue(v, depth + 1);
  return out;
}
