import type { Knex } from 'knex';

/**
 * Lets a writer that has the accounts in hand fold their search keys itself (first sync,
 * import, seed), instead of the 0011 triggers marking each row stale for the first search to
 * fold one by one (168 s after a million accounts). While `account_search_guard.writer_folds`
 * is 1 — only ever inside such a writer's transaction — the triggers stand aside; any other
 * write still marks its row stale as before.
 *
 * `sync_state.first_sync_set_aside` holds the CREATE INDEX statements a first sync dropped
 * while paging (the search keys' own indexes: one sort at the end beats a million inserts
 * into each); they come back in the transaction that copies the last page of accounts.
 */
const writerGuard = '(SELECT writer_folds FROM account_search_guard WHERE id = 1) = 0';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('account_search_guard', (t) => {
    t.integer('id').primary();
    t.integer('writer_folds').notNullable().defaultTo(0);
  });
  await knex('account_search_guard').insert({ id: 1, writer_folds: 0 });
  await knex.schema.alterTable('sync_state', (t) => {
    t.text('first_sync_set_aside');
  });
  await knex.raw('DROP TRIGGER accounts_search_insert');
  await knex.raw('DROP TRIGGER accounts_search_update');
  await knex.raw(`CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts WHEN ${writerGuard} BEGIN
    INSERT OR IGNORE INTO account_search(account_id, stale) VALUES (NEW.id, 1);
    UPDATE account_search SET stale = 1 WHERE account_id = NEW.id;
  END`);
  await knex.raw(`CREATE TRIGGER accounts_search_update AFTER UPDATE OF jsa_id, email, email_norm, contact_name, company, phone ON accounts WHEN ${writerGuard} BEGIN
    UPDATE account_search SET stale = 1 WHERE account_id = NEW.id;
  END`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER accounts_search_insert');
  await knex.raw('DROP TRIGGER accounts_search_update');
  await knex.raw(`CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts BEGIN
    INSERT OR IGNORE INTO account_search(account_id, stale) VALUES (NEW.id, 1);
    UPDATE account_search SET stale = 1 WHERE account_id = NEW.id;
  END`);
  await knex.raw(`CREATE TRIGGER accounts_search_update AFTER UPDATE OF jsa_id, email, email_norm, contact_name, company, phone ON accounts BEGIN
    UPDATE account_search SET stale = 1 WHERE account_id = NEW.id;
  END`);
  // Plain DROP COLUMN: knex would rebuild the table, which the capture triggers refer to.
  await knex.raw('ALTER TABLE sync_state DROP COLUMN first_sync_set_aside');
  await knex.schema.dropTable('account_search_guard');
}
