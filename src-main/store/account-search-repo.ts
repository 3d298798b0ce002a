import { normalizeEmail } from '../domain/email';
import { foldCompany, foldPhone, foldText, searchShape, stripNumberSeparators } from '../domain/search-fold';
import { foldedSearchRow, writeFoldedSearchRows, type Searched } from './account-search-fold';
import type { AccountRow } from './accounts-repo';
import { APPLY_GOAL_MS, applyPace, paceAfter, type ApplyPace } from './apply-pace';
import { letCallersIn, type Db, type Queryable } from './database';

/**
 * Folds every row the triggers marked stale, in batches, each batch in one transaction (the
 * single connection means no write interleaves between reading and writing the keys). The
 * pass runs while the counter serves, so the search indexes stay on however many rows are
 * stale (a central import pulled in): set aside, each came back as one CREATE INDEX, a sort of
 * the whole table that held the store for seconds at a million rows with a customer's call
 * queued behind it (docs/decisions.md "The serving fold keeps its search indexes"). Indexes
 * another writer set aside (an import beside this one) are left to that writer.
 */
export async function refreshStaleSearchRows(db: Db, options: { pace?: ApplyPace; shouldStop?: () => boolean } = {}): Promise<number> {
  const stop = options.shouldStop ?? (() => false);
  const stale = await staleSearchRows(db);
  if (stale === 0 || stop()) return 0;
  const pace = options.pace ?? applyPace(APPLY_GOAL_MS);
  const total = await foldStaleAfter(db, pace, stop);
  // Rows marked stale behind the pass while it went (a pull, a clerk's edit), by the stale index.
  return total + (await foldStaleAfter(db, pace, stop));
}

/**
 * One pass over the stale rows in rid order, a batch per transaction of `pace` (about 25 ms),
 * calls queued meanwhile let in between: a fixed 1,000 rows took 50–250 ms on a busy host, and
 * each statement of a customer's reset.request could wait behind one. A batch reads and clears
 * its rows' stale mark in its own transaction, so a kill between two leaves exactly the rest
 * stale. The pass walks on from the last rid it folded: with the stale index set aside (by an import),
 * starting from the first stale row each time would read every row folded so far again
 * (1,000,000 stale rows: 59 s, not 22.6 s).
 */
async function foldStaleAfter(db: Db, pace: ApplyPace, stop: () => boolean): Promise<number> {
  let total = 0;
  let after = 0;
  while (!stop()) {
    const batch = pace.entries;
    const began = performance.now();
    const rows = await db.transaction(async (tx) => {
      const stale = (await tx('account_search as s')
        .join('accounts as a', 'a.id', 's.account_id')
        .where('s.stale', 1)
        .where('s.rid', '>', after)
        .orderBy('s.rid')
        .limit(batch)
        .select('s.rid', 'a.id', 'a.contact_name', 'a.company', 'a.phone', 'a.department')) as Array<{ rid: number; id: string } & Searched>;
      if (stale.length > 0) await writeFoldedSearchRows(tx, JSON.stringify(stale.map(foldedSearchRow)));
      return stale;
    });
    total += rows.length;
    if (rows.length < batch) return total;
    paceAfter(pace, rows.length, performance.now() - began);
    after = rows[rows.length - 1]!.rid;
    await letCallersIn(db);
  }
  return total;
}

const folding = new WeakMap<Db, Promise<number>>();
const closing = new WeakSet<Db>();

/**
 * `refreshStaleSearchRows`, one pass per store at a time: whoever asks while a pass runs (a
 * search, the sync engine after a pull, an inquiry's candidates) waits for that pass.
 */
export function foldStaleSearchRows(db: Db): Promise<number> {
  let pass = folding.get(db);
  if (!pass) {
    pass = refreshStaleSearchRows(db, { shouldStop: () => closing.has(db) }).finally(() => folding.delete(db));
    folding.set(db, pass);
  }
  return pass;
}

/**
 * The store is closing: a fold pass stops after the batch in hand (a million stale rows would
 * hold the close for half a minute); what is left stays stale for the next start. Returns the pass, for the close to wait for.
 */
export function stopFoldingSearchRows(db: Db): Promise<number> {
  closing.add(db);
  return folding.get(db) ?? Promise.resolve(0);
}

/** More than `rows` search rows wait to be folded: read on the partial index, no further than that. */
export async function moreStaleThan(db: Queryable, rows: number): Promise<boolean> {
  const found = (await db.raw('SELECT 1 FROM account_search WHERE stale = 1 LIMIT 1 OFFSET ?', [rows])) as unknown[];
  return found.length > 0;
}

export async function staleSearchRows(db: Queryable): Promise<number> {
  const row = (await db('account_search').where('stale', 1).count<{ n: number }[]>({ n: '*' }).first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

export const searchFields = ['any', 'jsaId', 'email', 'name', 'company', 'phone'] as const;
export type SearchField = (typeof searchFields)[number];

// Above every code point: `col >= q AND col < q || TOP` is "starts with q" on a plain index.
const TOP = '\u{10FFFF}';

/**
 * An FTS5 phrase: the folded text in double quotes, inner quotes doubled, so AND/OR/NOT, `*`,
 * `^`, `:` and parentheses are letters. The contract refuses control characters, but the
 * query is built safely on its own: NUL would end the string inside FTS5's parser
 * ("unterminated string") and a lone surrogate cannot be bound as UTF-8.
 */
// eslint-disable-next-line no-control-regex
const phrase = (text: string) => `"${text.toWellFormed().replace(/\u0000/g, '').replace(/"/g, '""')}"`;

/**
 * One SELECT of account ids per key that could match, combined with UNION (each arm uses
 * its own index; UNION removes duplicates). Returns undefined when the input folds to nothing.
 */
export function matchingIds(db: Queryable, input: string, field: SearchField) {
  const text = foldText(input);
  if (text === '') return undefined;
  const shape = searchShape(text);
  const digits = stripNumberSeparators(text);
  const arms: Array<{ sql: string; bindings: string[] }> = [];
  const prefix = (column: string, value: string) => {
    if (value !== '') arms.push({ sql: `SELECT account_id FROM account_search WHERE ${column} >= ? AND ${column} < ?`, bindings: [value, value + TOP] });
  };
  // JSA-ID and address need no folding beyond what the account row holds: they are looked up
  // on the accounts' own indexes, so they find an account from the moment it is stored, even
  // before its search keys are folded (first sync's index stage, a row marked stale).
  const accountPrefix = (column: 'jsa_id' | 'email_norm', value: string) => {
    if (value !== '') arms.push({ sql: `SELECT id AS account_id FROM accounts WHERE ${column} >= ? AND ${column} < ?`, bindings: [value, value + TOP] });
  };
  // Substring arms run after every prefix arm: DISTINCT … LIMIT stops reading once it has
  // enough, and a broad query ("ためし") fills the cap from a prefix range before a trigram
  // query walks a long posting list (in the name column, mostly to find nothing there).
  const substringArms: typeof arms = [];
  const trigram = (columns: string, value: string) => {
    if ([...value].length >= 3) {
      substringArms.push({
        sql: 'SELECT s.account_id FROM account_search_fts f JOIN account_search s ON s.rid = f.rowid WHERE account_search_fts MATCH ?',
        bindings: [`{${columns}} : ${phrase(value)}`],
      });
    }
  };
  const want = (f: SearchField) => field === 'any' || field === f;
  if (want('jsaId') && (field === 'jsaId' || shape === 'digits')) accountPrefix('jsa_id', digits);
  if (want('phone') && (field === 'phone' || shape === 'digits')) {
    const phone = foldPhone(input);
    prefix('phone_d', phone);
    if (phone.length >= 4) prefix('phone_r', [...phone].reverse().join(''));
  }
  if (want('email') && (field === 'email' || shape !== 'digits')) {
    // Prefix only: every address shares "@example…" trigrams, which makes a trigram query slow.
    accountPrefix('email_norm', normalizeEmail(input));
  }
  if (want('name') && (field === 'name' || shape === 'text')) {
    prefix('name_f', text);
    prefix('name_last_f', text);
    trigram('name', text);
  }
  if (want('company') && (field === 'company' || shape === 'text')) {
    prefix('company_f', foldCompany(input));
    trigram(field === 'company' ? 'company department' : 'company', text);
  }
  arms.push(...substringArms);
  if (arms.length === 0) return undefined;
  return { sql: arms.map((a) => a.sql).join(' UNION ALL '), bindings: arms.flatMap((a) => a.bindings) };
}

/** Above this many matches the list says "1,000 or more": refine the query, do not page on. */
export const SEARCH_MATCH_CAP = 1000;

/**
 * Up to SEARCH_MATCH_CAP + 1 distinct matching ids, streamed from the index arms (DISTINCT
 * with LIMIT stops early, so "サンプル" over 100,000 accounts costs as much as a narrow query),
 * then one page of them in JSA-ID order.
 */
export async function searchAccounts(
  db: Queryable,
  input: string,
  field: SearchField,
  page: number,
  pageSize: number,
): Promise<{ total: number; capped: boolean; rows: AccountRow[] }> {
  const arms = matchingIds(db, input, field);
  if (!arms) return { total: 0, capped: false, rows: [] };
  const found = (await db.raw(`SELECT DISTINCT account_id FROM (${arms.sql}) LIMIT ?`, [...arms.bindings, SEARCH_MATCH_CAP + 1])) as Array<{ account_id: string }>;
  const capped = found.length > SEARCH_MATCH_CAP;
  const ids = found.slice(0, SEARCH_MATCH_CAP).map((r) => r.account_id);
  if (ids.length === 0) return { total: 0, capped, rows: [] };
  const rows = (await db<AccountRow>('accounts')
    .whereIn('id', ids)
    .orderBy('jsa_id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)) as AccountRow[];
  return { total: ids.length, capped, rows };
}

/** Accounts an inquiry may be about: same phone, same (folded) name, or same company. */
export async function candidateAccountIds(db: Queryable, keys: { phone: string; names: string[]; company: string }, limit: number): Promise<string[]> {
  const arms: Array<{ sql: string; bindings: string[] }> = [];
  const phone = foldPhone(keys.phone);
  if (phone.length >= 6) arms.push({ sql: 'SELECT account_id FROM account_search WHERE phone_d = ?', bindings: [phone] });
  for (const name of keys.names.map(foldText).filter((n) => n !== '')) arms.push({ sql: 'SELECT account_id FROM account_search WHERE name_f = ?', bindings: [name] });
  const company = foldCompany(keys.company);
  if (company !== '') arms.push({ sql: 'SELECT account_id FROM account_search WHERE company_f = ?', bindings: [company] });
  if (arms.length === 0) return [];
  const rows = (await db.raw(`SELECT account_id FROM (${arms.map((a) => a.sql).join(' UNION ')}) LIMIT ?`, [...arms.flatMap((a) => a.bindings), limit])) as Array<{
    account_id: string;
  }>;
  return rows.map((r) => r.account_id);
}
