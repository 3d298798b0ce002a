import type { Knex } from 'knex';

/**
 * No mail twice (issue 8). A mail is now recorded as handed over (`committing`, with the
 * time in `handover_at`) in the commit made just before the SMTP end-of-data terminator
 * leaves; a restart turns such a row into `unknown` instead of sending it again, and staff
 * resolve it (services/staff-outbox-service.ts). `handover_at` tells the clerk when the
 * customer should have received it.
 *
 * The worker now reads the queue strictly oldest first and a per-mail `next_attempt_ms` only
 * marks the few mails the peer refused, so the index walks (state, age) and stops after a
 * pass's 20; the old (state, next_attempt_ms) index made SQLite sort every due row instead.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.text('handover_at');
    t.dropIndex(['state', 'next_attempt_ms']);
    t.index(['state', 'created_at', 'id'], 'mail_outbox_state_age');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.dropIndex(['state', 'created_at', 'id'], 'mail_outbox_state_age');
    t.index(['state', 'next_attempt_ms']);
    t.dropColumn('handover_at');
  });
}
