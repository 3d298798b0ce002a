import type { Knex } from 'knex';

/** Webdesk accounts as the counter knows them; `version` lets sync detect lost races. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.text('id').primary();
    t.text('jsa_id').notNullable().unique();
    t.text('email').notNullable();
    // NFKC + lower case: what lookups compare (an email may sit on several JSA-IDs: 注意1).
    t.text('email_norm').notNullable().index();
    t.text('contact_name').notNullable().defaultTo('');
    t.text('company').notNullable().defaultTo('');
    t.text('department').notNullable().defaultTo('');
    t.text('address').notNullable().defaultTo('');
    t.text('phone').notNullable().defaultTo('');
    t.text('password_hash');
    t.text('password_changed_at');
    t.integer('version').notNullable().defaultTo(1);
    t.text('created_at').notNullable();
    t.text('updated_at').notNullable();
  });
  await knex.schema.createTable('password_history', (t) => {
    t.increments('id');
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE').index();
    t.text('password_hash').notNullable();
    t.text('created_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('password_history');
  await knex.schema.dropTable('accounts');
}
