import type { Knex } from 'knex';
import { installSyncTriggers } from '../../src-main/store/sync-triggers';

/**
 * Sync, second step (docs/decisions.md, "Sync: contact changes, deletes, pruning"): the
 * capture triggers are rebuilt so deletes and `contact_changes` travel too, and the sync
 * state gets the progress of a refresh (the replica paged again after central pruned change-log
 * entries this kiosk had not read), with the keys central sent so far, so a kill resumes it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_state', (t) => {
    t.text('refresh_table'); // null: no refresh under way
    t.text('refresh_after');
    t.bigInteger('refresh_rows').notNullable().defaultTo(0);
    t.text('refresh_started_at');
  });
  await knex.raw(`CREATE TABLE sync_refresh_keys (table_name TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (table_name, key)) WITHOUT ROWID`);
  await installSyncTriggers(knex);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE sync_refresh_keys`);
  await knex.schema.alterTable('sync_state', (t) => {
    t.dropColumn('refresh_table');
    t.dropColumn('refresh_after');
    t.dropColumn('refresh_rows');
    t.dropColumn('refresh_started_at');
  });
}
