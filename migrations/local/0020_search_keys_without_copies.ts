import type { Knex } from 'knex';

/**
 * JSA-ID and address lookups read the accounts' own indexes (accounts.jsa_id, email_norm),
 * so `account_search` stops keeping copies of them: two columns and two indexes fewer to
 * write for every account (first sync, import), and the lookup finds an account as soon as
 * it is stored. A first sync that set the two indexes aside forgets them too.
 */
const dropped = ['jsa_id', 'email_f'];
const indexOf = (column: string) => `account_search_${column}_index`;

export async function up(knex: Knex): Promise<void> {
  for (const column of dropped) {
    await knex.raw(`DROP INDEX IF EXISTS ${indexOf(column)}`);
    await knex.raw(`ALTER TABLE account_search DROP COLUMN ${column}`);
  }
  const row = (await knex('sync_state').where({ id: 1 }).first('first_sync_set_aside')) as { first_sync_set_aside: string | null } | undefined;
  if (row?.first_sync_set_aside) {
    const kept = (JSON.parse(row.first_sync_set_aside) as string[]).filter((sql) => !dropped.some((c) => sql.includes(indexOf(c))));
    await knex('sync_state').where({ id: 1 }).update({ first_sync_set_aside: JSON.stringify(kept) });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const column of dropped) {
    await knex.raw(`ALTER TABLE account_search ADD COLUMN ${column} TEXT`);
    await knex.raw(`CREATE INDEX ${indexOf(column)} ON account_search (${column})`);
  }
  // The copies are empty now: the next search folds every row again.
  await knex('account_search').update({ stale: 1 });
}
