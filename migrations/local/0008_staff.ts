import type { Knex } from 'knex';

/**
 * Staff who work the counter (DESIGN §2): own accounts, roles agent < supervisor < admin,
 * scrypt password hashes, a forced change after a one-time password, and a lock after too
 * many wrong passwords that only an admin lifts. Identity-check decisions on inquiries keep
 * the comparison the clerk saw and any supervisor override beside the inquiry.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_users', (t) => {
    t.text('id').primary();
    // Lower case, folded: "Admin" and "admin" are one login name.
    t.text('username').notNullable().unique();
    t.text('display_name').notNullable();
    t.text('role').notNullable(); // agent | supervisor | admin
    t.text('password_hash').notNullable();
    t.integer('must_change_password').notNullable().defaultTo(1);
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.text('locked_at');
    t.text('disabled_at');
    t.text('password_changed_at');
    t.text('last_login_at');
    t.text('created_by').notNullable();
    t.text('created_at').notNullable();
    t.integer('version').notNullable().defaultTo(1);
  });
  await knex.schema.createTable('staff_password_history', (t) => {
    t.increments('id');
    t.text('staff_id').notNullable().references('staff_users.id').onDelete('CASCADE').index();
    t.text('password_hash').notNullable();
    t.text('created_at').notNullable();
  });
  await knex.schema.createTable('inquiry_reviews', (t) => {
    t.increments('id');
    t.text('inquiry_id').notNullable().references('inquiries.id').onDelete('CASCADE').index();
    t.text('account_id').references('accounts.id').onDelete('SET NULL');
    t.text('decision').notNullable(); // approved | refused
    t.text('reason_template').notNullable();
    t.text('reason_text').notNullable().defaultTo('');
    // The field-by-field verdicts as the clerk saw them when deciding.
    t.text('comparison_json').notNullable();
    t.text('override_reason');
    t.text('decided_by').notNullable();
    t.text('decided_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('inquiry_reviews');
  await knex.schema.dropTable('staff_password_history');
  await knex.schema.dropTable('staff_users');
}
