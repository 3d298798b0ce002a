import type { Knex } from 'knex';
import { installSyncTriggers } from '../../src-main/store/sync-triggers';

/**
 * Every stored code / link-token / grant HMAC names the key it was made with (issue 14;
 * docs/decisions.md "Code keys at central"): the deployment's key comes from central and is
 * rotated there, so a row must say which key checks it. Rows written before this step keep
 * NULL, which means this counter's own key (WEBDESK_SECRET or secret.key), the only key there
 * was. The capture triggers are rebuilt so the column travels.
 */
const tables = ['reset_requests', 'contact_changes'];

export async function up(knex: Knex): Promise<void> {
  for (const table of tables) {
    await knex.schema.alterTable(table, (t) => {
      t.text('key_id');
    });
  }
  await installSyncTriggers(knex);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of tables) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('key_id');
    });
  }
  await installSyncTriggers(knex);
}
