import type { Knex } from 'knex';

/**
 * E-mail changes from マイページ waiting for the code sent to the new address (DESIGN §1
 * 担当者変更, §6). The code is kept only as an HMAC; `status` moves pending → confirmed, or to
 * a dead end (voided after too many wrong codes, superseded by a newer request, cancelled,
 * expired). `version` lets sync turn a lost race into a conflict, as on every synced row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contact_changes', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('old_email').notNullable();
    t.text('new_email').notNullable();
    t.text('code_hmac').notNullable();
    t.text('status').notNullable(); // pending | confirmed | voided | superseded | cancelled | expired
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('locale').notNullable().defaultTo('ja');
    t.text('kiosk_id').notNullable();
    t.text('created_by').notNullable();
    t.text('created_at').notNullable();
    t.text('expires_at').notNullable();
    t.text('confirmed_at');
    t.integer('version').notNullable().defaultTo(1);
    t.index(['account_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('contact_changes');
}
