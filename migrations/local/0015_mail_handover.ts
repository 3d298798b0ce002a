import type { Knex } from 'knex';

/**
 * No mail twice (issue 8). A mail is now recorded as handed over (`committing`, with the
 * time in `handover_at`) in the commit made just before the SMTP end-of-data terminator
 * leaves; a restart turns such a row into `unknown` instead of sending it again, and staff
 * resolve it (services/staff-outbox-service.ts). `handover_at` tells the clerk when the
 * customer should have received it. The new index serves the worker's "oldest queued first"
 * read, which now decides what may leave (services/mail/mail-outbox.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.text('handover_at');
    t.index(['state', 'created_at', 'id'], 'mail_outbox_state_age');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.dropIndex(['state', 'created_at', 'id'], 'mail_outbox_state_age');
    t.dropColumn('handover_at');
  });
}
