import type { Knex } from 'knex';

/**
 * Why the counter last lost central, as a stable code beside the driver's message
 * (`last_error`): the staff screen words the code in Japanese or English; the message stays
 * for the log and the operator's `sync --status`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_state', (t) => {
    t.text('last_error_code');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE sync_state DROP COLUMN last_error_code');
}
