import type { Knex } from 'knex';

/**
 * First sync in two stages (docs/decisions.md, "First sync: copy, then the search index"):
 * `first_sync` may now be `indexing` — every row is copied and the replica serves, while
 * the staff search keys are folded from the local accounts in id order. The index stage keeps
 * its own progress (last account id folded, how many, rate) so a kill resumes it, and
 * `first_sync_copied_at` says when the copy ended.
 */
const columns = ['first_sync_copied_at', 'first_sync_index_after', 'first_sync_indexed', 'first_sync_index_total', 'first_sync_index_rate'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_state', (t) => {
    t.text('first_sync_copied_at');
    t.text('first_sync_index_after');
    t.bigInteger('first_sync_indexed').notNullable().defaultTo(0);
    t.bigInteger('first_sync_index_total').notNullable().defaultTo(0);
    t.float('first_sync_index_rate');
  });
}

export async function down(knex: Knex): Promise<void> {
  // A store left in the index stage goes back to the copy of its last page, which the older
  // code redoes together with the index rebuild.
  await knex('sync_state').where({ first_sync: 'indexing' }).update({ first_sync: 'paging' });
  for (const column of columns) await knex.raw(`ALTER TABLE sync_state DROP COLUMN ${column}`);
}
