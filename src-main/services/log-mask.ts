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
// Each of these is searched from its anchor (the @, the "://", the keyword) outwards: the plain
// regexes (/([^…]+)[@＠]…/g, /\b[a-z][a-z0-9+.-]*:\/\//gi, /select\s[\s\S]*\sfrom/) retry from every
// position of a long run, so one unbroken 10 kB string cost 100–300 ms and a 1 MB one minutes.
const EMAIL_LOCAL_CHAR = /[^\s@＠<>"'(),;:*[\]\\/]/;
const EMAIL_DOMAIN = /[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/y;
const URL_SCHEME_CHAR = /[a-z0-9+.-]/i;
const URL_SCHEME_START = /[a-z]/i;
const WORD_CHAR = /\w/;
const URL_USER_PASSWORD = /([^:@/\s]*):([^@/\s]+)@/y;
const RESET_LINK = /\/reset\/[A-Za-z0-9_-]{8,}/g;
const JSA_ID = /(?<![0-9])[0-9]{11}(?![0-9])/g;
// "select … from" and "update … set" are two words apart; insert into / delete from are one.
const SQL_PAIRS: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [/\bselect\s/gi, /\sfrom\b/gi],
  [/\bupdate\s/gi, /\sset\b/gi],
];
const SQL_PHRASE = /\b(?:insert\s+into|delete\s+from)\b/i;
// SQLite quotes the offending token ('fts5: syntax error near "田中"'): the token is the input.
const NEAR_TOKEN = /\bnear "[^"]*"/g;

function hasSql(text: string): boolean {
  if (SQL_PHRASE.test(text)) return true;
  return SQL_PAIRS.some(([first, second]) => {
    first.lastIndex = 0;
    const opening = first.exec(text);
    if (!opening) return false;
    second.lastIndex = opening.index + opening[0].length;
    return second.exec(text) !== null;
  });
}

function withoutSql(text: string): string {
  if (!hasSql(text)) return text;
  const cut = text.lastIndexOf(' - ');
  return cut >= 0 && !hasSql(text.slice(cut + 3)) ? `[sql] - ${text.slice(cut + 3)}` : '[sql]';
}

/** e-mail addresses: the local part is the run of address characters before each @ (not reaching back into the last match). */
function maskEmails(text: string): string {
  let out = '';
  let done = 0;
  for (let at = 0; at < text.length; at++) {
    if (text[at] !== '@' && text[at] !== '＠') continue;
    let start = at;
    while (start > done && EMAIL_LOCAL_CHAR.test(text[start - 1] ?? '')) start--;
    if (start === at) continue;
    EMAIL_DOMAIN.lastIndex = at + 1;
    const domain = EMAIL_DOMAIN.exec(text);
    if (!domain) continue;
    out += `${text.slice(done, start)}${text[start] ?? ''}***@${domain[0]}`;
    done = EMAIL_DOMAIN.lastIndex;
    at = done - 1;
  }
  return out + text.slice(done);
}

/** smtp://user:password@host: the scheme is the earliest word-start of the scheme characters before each "://". */
function maskUrlCredentials(text: string): string {
  let out = '';
  let done = 0;
  for (let colon = text.indexOf('://'); colon >= 0; colon = text.indexOf('://', colon + 1)) {
    let runStart = colon;
    while (runStart > done && URL_SCHEME_CHAR.test(text[runStart - 1] ?? '')) runStart--;
    let start = runStart;
    while (start < colon && !(URL_SCHEME_START.test(text[start] ?? '') && (start === 0 || !WORD_CHAR.test(text[start - 1] ?? '')))) start++;
    if (start === colon) continue;
    URL_USER_PASSWORD.lastIndex = colon + 3;
    const credentials = URL_USER_PASSWORD.exec(text);
    if (!credentials) continue;
    out += `${text.slice(done, colon + 3)}${credentials[1] ?? ''}:***@`;
    done = URL_USER_PASSWORD.lastIndex;
    colon = done - 1;
  }
  return out + text.slice(done);
}

export function maskLogText(text: string): string {
  return maskEmails(maskUrlCredentials(withoutSql(text).replace(NEAR_TOKEN, 'near "…"')))
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
