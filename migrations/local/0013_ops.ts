import type { Knex } from 'knex';

/**
 * Retention (APPI) may remove old audit entries, but only through a purge that leaves a
 * signed marker (services/retention.ts). The delete trigger now lets a DELETE through only
 * for rows covered by a permit that the purge inserts and removes in its own transaction;
 * UPDATE stays forbidden outright. Everything else about the log is unchanged.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_purge_permit', (t) => {
    t.integer('through_seq').notNullable();
  });
  await knex.raw('DROP TRIGGER IF EXISTS audit_log_no_delete');
  await knex.raw(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit WHERE OLD.seq <= through_seq)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS audit_log_no_delete');
  await knex.raw(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
  await knex.schema.dropTable('audit_purge_permit');
}
