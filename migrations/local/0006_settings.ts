import type { Knex } from 'knex';

/** Run-time settings an admin changes (policy, lifetimes, limits, support address), one JSON value per key. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings', (t) => {
    t.text('key').primary();
    t.text('value_json').notNullable();
    t.text('updated_at').notNullable();
    t.text('updated_by').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('settings');
}
