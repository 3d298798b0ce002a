import type { Knex } from 'knex';

/**
 * Append-only audit log. Each entry's hash covers the previous hash, so a changed or
 * removed row breaks the chain from there on; triggers refuse UPDATE and DELETE outright.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('seq');
    t.text('at').notNullable();
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('subject');
    t.text('detail_json').notNullable();
    t.text('prev_hash').notNullable();
    t.text('hash').notNullable();
    t.index(['action']);
    t.index(['subject']);
  });
  await knex.raw(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
  await knex.raw(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS audit_log_no_delete');
  await knex.raw('DROP TRIGGER IF EXISTS audit_log_no_update');
  await knex.schema.dropTable('audit_log');
}
