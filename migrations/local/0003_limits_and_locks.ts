import type { Knex } from 'knex';

/**
 * Sliding-window counters (requests per account/email/kiosk per hour, wrong codes per day)
 * and the locks that staff lift. Windows are counted from events, not reset by a clock tick.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('limit_events', (t) => {
    t.increments('id');
    t.text('bucket').notNullable();
    t.bigInteger('at_ms').notNullable();
    t.index(['bucket', 'at_ms']);
  });
  await knex.schema.createTable('account_locks', (t) => {
    t.increments('id');
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('kind').notNullable(); // reset | login
    t.text('reason').notNullable();
    t.text('locked_at').notNullable();
    t.text('unlocked_at');
    t.text('unlocked_by');
    t.index(['account_id', 'kind']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('account_locks');
  await knex.schema.dropTable('limit_events');
}
