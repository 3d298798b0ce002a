import type { Knex } from 'knex';

/**
 * Requests the kiosk forms create for staff (the seed's e-mail cases made into forms):
 * `jsa_id_unknown` (JSA-ID 不明) and `contact_change` (前任者退職・担当者変更). The customer's
 * data is kept as submitted; staff compare it with the registered account field by field.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('inquiries', (t) => {
    t.text('id').primary();
    t.text('reference').notNullable().unique();
    t.text('kind').notNullable(); // jsa_id_unknown | contact_change
    t.text('status').notNullable(); // open | approved | refused | withdrawn
    t.text('data_json').notNullable();
    t.text('reply_email').notNullable();
    t.text('locale').notNullable().defaultTo('ja');
    t.text('kiosk_id').notNullable();
    t.text('account_id').references('accounts.id').onDelete('SET NULL');
    t.text('decided_by');
    t.text('decided_at');
    t.text('decision_reason');
    t.text('created_at').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.index(['status', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('inquiries');
}
