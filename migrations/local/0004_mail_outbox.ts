import type { Knex } from 'knex';

/**
 * Mail is never sent inline (DESIGN §6): a request writes its mail here in the same
 * transaction and a worker delivers it. Secret parts (code, link) are stored encrypted so
 * the staff outbox view can show the mail without them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mail_outbox', (t) => {
    t.text('id').primary();
    t.text('template').notNullable();
    t.text('locale').notNullable();
    t.text('to_address').notNullable();
    t.text('params_json').notNullable();
    t.text('secret_params');
    t.text('state').notNullable(); // queued | sending | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('next_attempt_ms').notNullable();
    t.text('last_error');
    t.text('message_id');
    t.text('related_id');
    t.text('created_at').notNullable();
    t.text('sent_at');
    t.index(['state', 'next_attempt_ms']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mail_outbox');
}
