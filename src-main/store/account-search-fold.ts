import { foldLastNameToken, foldPhone, foldText, withoutLegalForm } from '../domain/search-fold';
import type { AccountRow } from './accounts-repo';
import type { Db, Queryable } from './database';

export type Searched = Pick<AccountRow, 'contact_name' | 'company' | 'phone' | 'department'>;

/** The folded keys of one account, as account_search stores them (0011; JSA-ID and address live on accounts, 0020). */
export function searchKeys(account: Searched) {
  const phone = foldPhone(account.phone);
  const name = foldText(account.contact_name);
  const company = foldText(account.company);
  return {
    keys: {
      name_f: name,
      name_last_f: foldLastNameToken(account.contact_name),
      company_f: withoutLegalForm(company),
      phone_d: phone,
      phone_r: [...phone].reverse().join(''),
    },
    // What the trigram index sees, one column per field, so a search can name the field.
    fts: {
      name,
      company,
      department: foldText(account.department),
      // Addresses are searched by prefix only (see matchingIds).
      email: '',
    },
  };
}

/**
 * One account's folded search row, in the order `writeFoldedSearchRows` reads it: account
 * id, the five keys of `account_search`, then the three trigram fields. An array, not an
 * object: the writer reads it by position, and the JSON sent is half as long.
 */
export function foldedSearchRow(account: Searched & { id: string }): string[] {
  const { keys, fts } = searchKeys(account);
  return [account.id, keys.name_f, keys.name_last_f, keys.company_f, keys.phone_d, keys.phone_r, fts.name, fts.company, fts.department];
}

const keyColumns = ['name_f', 'name_last_f', 'company_f', 'phone_d', 'phone_r'];
const ftsAt = keyColumns.length + 1;

/**
 * Writes folded rows (a JSON array of `foldedSearchRow`s) into `account_search` and its
 * trigram index, fresh (stale = 0), in three statements however many rows: the writer that
 * has the accounts in hand folds them in JavaScript and SQLite reads the result with
 * json_each. Rows indexed already are replaced, trigram entry included; `fresh` (the caller
 * knows none of these accounts had a search row) skips looking for them.
 */
export async function writeFoldedSearchRows(db: Queryable, rowsJson: string, options: { fresh?: boolean } = {}): Promise<void> {
  if (!options.fresh) {
    await db.raw('DELETE FROM account_search_fts WHERE rowid IN (SELECT s.rid FROM json_each(?) j JOIN account_search s ON s.account_id = j.value ->> 0)', [rowsJson]);
  }
  await db.raw(
    `INSERT INTO account_search (account_id, stale, ${keyColumns.join(', ')})
     SELECT value ->> 0, 0, ${keyColumns.map((_, i) => `value ->> ${i + 1}`).join(', ')} FROM json_each(?) WHERE true
     ON CONFLICT(account_id) DO UPDATE SET stale = 0, ${keyColumns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [rowsJson],
  );
  await db.raw(
    `INSERT INTO account_search_fts (rowid, name, company, department, email)
     SELECT s.rid, j.value ->> ${ftsAt}, j.value ->> ${ftsAt + 1}, j.value ->> ${ftsAt + 2}, '' FROM json_each(?) j JOIN account_search s ON s.account_id = j.value ->> 0`,
    [rowsJson],
  );
}

/**
 * Inside a writer's transaction: the 0011 triggers stand aside (0014) because the writer
 * folds the rows it writes. Always switched off again before the commit; a rollback does it too.
 */
export async function setWriterFolds(db: Queryable, on: boolean): Promise<void> {
  await db('account_search_guard').where({ id: 1 }).update({ writer_folds: on ? 1 : 0 });
}

/**
 * Drops the non-unique indexes of `account_search` and returns their CREATE statements, for
 * a bulk load to rebuild in one sort each. The unique account id index stays: upserts and
 * the trigram join need it, and ids arrive in order, so it costs little.
 */
export async function setAsideSearchIndexes(db: Queryable): Promise<string[]> {
  return (await dropSearchIndexes(db)).map((r) => r.sql);
}

async function dropSearchIndexes(db: Queryable): Promise<Array<{ name: string; sql: string }>> {
  const rows = (await db.raw(
    `SELECT m.name, m.sql FROM sqlite_master m JOIN pragma_index_list('account_search') l ON l.name = m.name
     WHERE m.type = 'index' AND l."unique" = 0 AND m.sql IS NOT NULL ORDER BY m.name`,
  )) as Array<{ name: string; sql: string }>;
  for (const row of rows) await db.raw(`DROP INDEX "${row.name}"`);
  return rows;
}

/** Rebuilds what `setAsideSearchIndexes` dropped; an index that exists again is left alone. */
export async function restoreSearchIndexes(db: Queryable, createSql: readonly string[]): Promise<void> {
  for (const sql of createSql) await db.raw(sql.replace(/^CREATE INDEX /i, 'CREATE INDEX IF NOT EXISTS '));
}

const SET_ASIDE = 'search_indexes_set_aside';

/**
 * Rows this many or more set the search indexes aside (when they are also at least half the
 * rows already searched): six B-trees updated row by row cost about as much as everything
 * else an import batch does (33.2 s against 18.9 s for 200,000 rows), one sort each at the
 * end a fraction of that. Below it, or into a store much larger than what is written, a
 * rebuild of every stored row would cost more than it saves.
 */
export const SET_ASIDE_FROM_ROWS = 50_000;

/** Whether `rows` search rows written into a store that searches `searched` go faster with the indexes set aside. */
export function setAsidePays(rows: number, searched: number): boolean {
  return rows >= SET_ASIDE_FROM_ROWS && rows >= searched / 2;
}

/** How many search rows the store has made (the highest rid: read from the key, no count). */
export async function searchRowsMade(db: Queryable): Promise<number> {
  return Number(((await db.raw('SELECT coalesce(max(rid), 0) AS n FROM account_search')) as Array<{ n: number }>)[0]!.n);
}

/**
 * `setAsideSearchIndexes` with a record (0027), in the caller's transaction: every index
 * dropped is noted there with its CREATE statement, so a writer killed before it rebuilt them
 * leaves the store knowing what is missing (`rebuildSetAsideSearchIndexes`). Returns how many
 * indexes this call dropped (none when another writer has them aside already).
 */
export async function setAsideSearchIndexesRecorded(tx: Queryable, by: string, nowIso: string): Promise<number> {
  const dropped = await dropSearchIndexes(tx);
  for (const { name, sql } of dropped) {
    await tx(SET_ASIDE).insert({ name, create_sql: sql, set_aside_by: by, set_aside_at: nowIso }).onConflict('name').ignore();
  }
  return dropped.length;
}

export async function setAsideSearchIndexCount(db: Queryable): Promise<number> {
  return Number(((await db(SET_ASIDE).count<{ n: number }[]>({ n: '*' })) as Array<{ n: number }>)[0]!.n);
}

/**
 * Builds again every index `setAsideSearchIndexesRecorded` noted, one index per transaction
 * (each is one sort of the table; a customer's call waits for one, not for all), its record
 * leaving in the same transaction. `between` runs after each (a writer in another process
 * than the counter leaves the counter's calls a gap there). Returns how many were built.
 */
export async function rebuildSetAsideSearchIndexes(db: Db, options: { between?: () => Promise<void> } = {}): Promise<number> {
  let built = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const row = (await tx(SET_ASIDE).orderBy('name').first('name', 'create_sql')) as { name: string; create_sql: string } | undefined;
      if (!row) return true;
      await restoreSearchIndexes(tx, [row.create_sql]);
      await tx(SET_ASIDE).where({ name: row.name }).delete();
      return false;
    });
    if (done) return built;
    built += 1;
    await options.between?.();
  }
}
