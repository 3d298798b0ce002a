import type { Knex } from 'knex';

/**
 * One row per 「サポートメール依頼」 that matched an account. Code, link token and grant are
 * kept only as HMACs (DESIGN §6); `status` moves pending → verified → used, or to a dead end.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('reset_requests', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('channel').notNullable(); // jsa_id | email_only | staff
    t.text('code_hmac').notNullable();
    t.text('token_hmac').notNullable().unique();
    t.text('grant_hmac').unique();
    t.text('status').notNullable(); // pending | verified | used | voided | expired | cancelled | superseded
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('locale').notNullable().defaultTo('ja');
    t.text('kiosk_id').notNullable();
    t.text('created_by');
    t.text('created_at').notNullable();
    t.text('expires_at').notNullable();
    t.text('verified_at');
    t.text('completed_at');
    t.integer('version').notNullable().defaultTo(1);
    t.index(['account_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('reset_requests');
}
