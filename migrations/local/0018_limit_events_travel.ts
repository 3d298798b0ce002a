import type { Knex } from 'knex';
import { installSyncTriggers } from '../../src-main/store/sync-triggers';

/**
 * The DESIGN §6 caps across kiosks (issue 8, docs/decisions.md "Caps across kiosks"):
 * `limit_events` joins sync as an insert-only surrogate table, so it gets the `sync_key` the
 * other surrogate tables got in 0010 (the key a pulled event arrived with), and the capture
 * triggers are rebuilt to cover its inserts. Events written before this step stay local.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('limit_events', (t) => {
    t.text('sync_key');
  });
  await knex.raw(`CREATE UNIQUE INDEX limit_events_sync_key_unique ON limit_events (sync_key)`);
  await installSyncTriggers(knex);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TRIGGER IF EXISTS sync_capture_limit_events_insert`);
  await knex.raw(`DROP INDEX IF EXISTS limit_events_sync_key_unique`);
  await knex.schema.alterTable('limit_events', (t) => {
    t.dropColumn('sync_key');
  });
}
