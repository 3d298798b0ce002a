import type { Knex } from 'knex';
import { installSyncTriggers } from '../../src-main/store/sync-triggers';

/**
 * Staff login failures are counted as limit events keyed on the user name typed (issue 13:
 * unknown and existing names answer alike, lock included). Staff accounts are per kiosk, so
 * the `stafflogin:` bucket joins the local-only prefixes of sync-tables.ts; the capture
 * trigger of limit_events is rebuilt so its WHEN clause leaves those rows at this kiosk.
 */
export async function up(knex: Knex): Promise<void> {
  await installSyncTriggers(knex);
}

/** The trigger as 0018 built it would send staff names to central: drop the staff events first. */
export async function down(knex: Knex): Promise<void> {
  await knex('limit_events').where('bucket', 'like', 'stafflogin:%').delete();
}
