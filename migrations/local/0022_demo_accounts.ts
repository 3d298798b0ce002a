import type { Knex } from 'knex';

/**
 * Demo accounts are marked as such (issue 13, ASVS 5.0 V6.3.2): one of them has a password
 * printed in the README, so they must be visible as demo data, and go away at the first real
 * import or sync or when an admin removes them on 初期設定. A store from before this step may
 * hold the three README accounts (app/demo-data.ts); they are marked when all three still
 * carry exactly the demo JSA-ID, address and name, so a real account is never taken for one.
 */
const readmeAccounts = [
  ['12345678901', 'tanaka@example.co.jp', '田中 一郎'],
  ['23456789012', 'shared@example.co.jp', '佐藤 花子'],
  ['34567890123', 'shared@example.co.jp', '鈴木 次郎'],
] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('demo_accounts', (t) => {
    t.text('account_id').primary().references('accounts.id').onDelete('CASCADE');
    t.text('added_at').notNullable();
  });
  const found = (await knex('accounts')
    .whereIn(
      ['jsa_id', 'email_norm', 'contact_name'],
      readmeAccounts.map((a) => [...a]),
    )
    .select('id', 'created_at')) as Array<{ id: string; created_at: string }>;
  if (found.length === readmeAccounts.length) {
    await knex('demo_accounts').insert(found.map((a) => ({ account_id: a.id, added_at: a.created_at })));
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('demo_accounts');
}
