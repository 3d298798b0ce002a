import type { Knex } from 'knex';

/**
 * The audit stream to central (central migration 0012): how far central has acknowledged this
 * store's audit chain (`audit_streamed_seq`, the seq of the last row central holds), when, and
 * the last refusal, if central refused a row (a log changed here after it left). A retention
 * purge at a synced counter removes nothing above `audit_streamed_seq`, so every purged row
 * was at central first and the signed marker travels after it.
 */
const columns = ['audit_streamed_seq', 'audit_streamed_at', 'audit_stream_error'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_state', (t) => {
    t.integer('audit_streamed_seq').notNullable().defaultTo(0);
    t.text('audit_streamed_at');
    t.text('audit_stream_error');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const column of columns) await knex.raw(`ALTER TABLE sync_state DROP COLUMN ${column}`);
}
