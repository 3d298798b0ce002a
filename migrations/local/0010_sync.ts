import type { Knex } from 'knex';
import { dropSyncTriggers, installSyncTriggers } from '../../src-main/store/sync-triggers';

/**
 * Sync with central (DESIGN §7): the outbox of local mutations, the guard the capture
 * triggers read, the sync state (client id, pull cursor, first-sync progress, status), and a
 * `sync_key` on the two tables whose local INTEGER ids mean nothing on another kiosk.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sync_outbox', (t) => {
    // AUTOINCREMENT: the kiosk sequence number must never be reused, even after the rows
    // below it were pushed and deleted (central skips every seq ≤ its last_mutation_seq).
    t.increments('seq');
    t.text('mutation_id').notNullable().unique();
    t.text('table_name').notNullable();
    t.text('row_key').notNullable();
    t.text('op').notNullable(); // insert | update
    t.text('row_json').notNullable();
    t.text('old_json'); // the row before an update: central merges field by field against it
    t.integer('base_version');
    t.text('created_at').notNullable();
    t.index(['table_name', 'row_key']);
  });
  await knex.schema.createTable('sync_guard', (t) => {
    t.integer('id').primary();
    t.integer('capture').notNullable().defaultTo(0); // 1 once sync was enabled on this store
    t.integer('applying').notNullable().defaultTo(0); // 1 only inside a pull transaction
  });
  await knex('sync_guard').insert({ id: 1, capture: 0, applying: 0 });
  await knex.schema.createTable('sync_state', (t) => {
    t.integer('id').primary();
    t.text('client_id'); // UUID of this replica; central knows it in `kiosks`
    t.text('kiosk_id');
    t.text('cursor_xid'); // pull cursor: last applied change_log (xid, id)
    t.bigInteger('cursor_id');
    t.text('first_sync'); // null (not begun) | paging | done
    t.text('first_sync_start_xid');
    t.text('first_sync_table');
    t.text('first_sync_after');
    t.bigInteger('first_sync_rows').notNullable().defaultTo(0);
    t.bigInteger('first_sync_total').notNullable().defaultTo(0);
    t.text('first_sync_started_at');
    t.text('first_sync_finished_at');
    t.float('first_sync_rate');
    t.text('last_push_at');
    t.text('last_pull_at');
    t.text('offline_since');
    t.text('last_error');
    t.bigInteger('pushed_total').notNullable().defaultTo(0);
    t.bigInteger('pulled_total').notNullable().defaultTo(0);
    t.text('updated_at');
  });
  await knex('sync_state').insert({ id: 1 });
  for (const table of ['password_history', 'account_locks']) {
    await knex.schema.alterTable(table, (t) => {
      t.text('sync_key');
    });
    // NULL for rows written here (their key is derived), so a plain unique index suffices.
    await knex.raw(`CREATE UNIQUE INDEX ${table}_sync_key_unique ON ${table} (sync_key)`);
  }
  await installSyncTriggers(knex);
}

export async function down(knex: Knex): Promise<void> {
  await dropSyncTriggers(knex);
  for (const table of ['password_history', 'account_locks']) {
    await knex.raw(`DROP INDEX IF EXISTS ${table}_sync_key_unique`);
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('sync_key');
    });
  }
  await knex.schema.dropTable('sync_state');
  await knex.schema.dropTable('sync_guard');
  await knex.schema.dropTable('sync_outbox');
}
