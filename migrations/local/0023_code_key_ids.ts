import type { Knex } from 'knex';
import { dropSyncTriggers, installSyncTriggers } from '../../src-main/store/sync-triggers';

/**
 * Every stored code / link-token / grant HMAC names the key it was made with (issue 14;
 * docs/decisions.md "Code keys at central"): the deployment's key comes from central and is
 * rotated there, so a row must say which key checks it. Rows written before this step keep
 * NULL, which means this counter's own key (WEBDESK_SECRET or secret.key), the only key there
 * was. `deployment_key_ids` lists the ids of central's key set (ids only; the keys live in the
 * SecretStore): requests made under another key (the counter's own, before it joined) do not
 * travel. The capture triggers are rebuilt for both.
 */
const tables = ['reset_requests', 'contact_changes'];

export async function up(knex: Knex): Promise<void> {
  for (const table of tables) {
    await knex.schema.alterTable(table, (t) => {
      t.text('key_id');
    });
  }
  await knex.schema.createTable('deployment_key_ids', (t) => {
    t.text('id').primary();
  });
  await installSyncTriggers(knex);
}

export async function down(knex: Knex): Promise<void> {
  // The triggers name both; the sync engine's next start installs them for the schema it finds.
  await dropSyncTriggers(knex);
  await knex.schema.dropTable('deployment_key_ids');
  for (const table of tables) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('key_id');
    });
  }
}
