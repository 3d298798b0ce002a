import type { Knex } from 'knex';

/**
 * Folded lookup keys for staff search (width, kana, case and spacing folded in JavaScript:
 * SQLite cannot run wanakana). Triggers on `accounts` mark a row stale on every insert or
 * update of a searched column, whoever writes it (import, sync, マイページ, staff); the search
 * service folds stale rows before it answers. Substrings of 3+ characters go through an
 * FTS5 trigram index, shorter input through prefix ranges on the per-field indexes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('account_search', (t) => {
    t.increments('rid');
    t.text('account_id').notNullable().unique().references('accounts.id').onDelete('CASCADE');
    t.integer('stale').notNullable().defaultTo(1);
    t.text('jsa_id');
    t.text('email_f');
    t.text('name_f');
    t.text('name_last_f');
    t.text('company_f');
    t.text('phone_d');
    // Reversed digits: "the last four digits of the phone" becomes a prefix range.
    t.text('phone_r');
    t.index(['jsa_id']);
    t.index(['email_f']);
    t.index(['name_f']);
    t.index(['name_last_f']);
    t.index(['company_f']);
    t.index(['phone_d']);
    t.index(['phone_r']);
  });
  await knex.raw('CREATE INDEX account_search_stale ON account_search(rid) WHERE stale = 1');
  await knex.raw("CREATE VIRTUAL TABLE account_search_fts USING fts5(name, company, department, email, tokenize = 'trigram')");
  await knex.raw(`CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts BEGIN
    INSERT OR IGNORE INTO account_search(account_id, stale) VALUES (NEW.id, 1);
    UPDATE account_search SET stale = 1 WHERE account_id = NEW.id;
  END`);
  await knex.raw(`CREATE TRIGGER accounts_search_update AFTER UPDATE OF jsa_id, email, email_norm, contact_name, company, phone ON accounts BEGIN
    UPDATE account_search SET stale = 1 WHERE account_id = NEW.id;
  END`);
  await knex.raw(`CREATE TRIGGER account_search_delete AFTER DELETE ON account_search BEGIN
    DELETE FROM account_search_fts WHERE rowid = OLD.rid;
  END`);
  // Accounts that exist already are folded by the first search (in batches).
  await knex.raw('INSERT INTO account_search(account_id, stale) SELECT id, 1 FROM accounts');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS account_search_delete');
  await knex.raw('DROP TRIGGER IF EXISTS accounts_search_update');
  await knex.raw('DROP TRIGGER IF EXISTS accounts_search_insert');
  await knex.raw('DROP TABLE IF EXISTS account_search_fts');
  await knex.schema.dropTable('account_search');
}
