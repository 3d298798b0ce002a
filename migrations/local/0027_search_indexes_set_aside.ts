import type { Knex } from 'knex';

/**
 * A large import sets the non-unique `account_search` indexes aside while it writes and
 * rebuilds them at its end (docs/decisions.md, "Import speed"). Each dropped index is recorded
 * here in the transaction that drops it, and its row leaves in the transaction that builds it
 * again, so a store whose import was killed still knows what to rebuild: the next import of
 * any file, or the next start of the counter, does it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('search_indexes_set_aside', (t) => {
    t.text('name').primary();
    t.text('create_sql').notNullable();
    t.text('set_aside_by').notNullable();
    t.text('set_aside_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  // An older store never rebuilds on its own: put the indexes back before the table goes.
  for (const row of (await knex('search_indexes_set_aside').select('create_sql')) as Array<{ create_sql: string }>) {
    await knex.raw(row.create_sql.replace(/^CREATE INDEX /i, 'CREATE INDEX IF NOT EXISTS '));
  }
  await knex.schema.dropTable('search_indexes_set_aside');
}
