import type { Knex } from 'knex';

/**
 * `webdesk_kiosk`: the group role every kiosk's login role joins (DESIGN §7, "one database
 * role per kiosk, allowed only what sync needs"). It may read the replicated tables, the
 * change log and the conflicts, and call the three sync functions; it has no INSERT, UPDATE
 * or DELETE on any table. Create a kiosk's login with (see docs/operations-sync.md):
 *   CREATE ROLE kiosk_a LOGIN PASSWORD '…' IN ROLE webdesk_kiosk;
 */
const helpers = [
  'sync_limit(text, integer)',
  'sync_key_column(text)',
  'sync_now_iso()',
  'sync_write_row(text, jsonb, boolean)',
  'sync_lock_row(text, text)',
  'sync_refresh(text, text, jsonb)',
  'sync_record_conflict(uuid, text, jsonb, text, text[], jsonb, text)',
  'sync_apply_row(uuid, text, jsonb)',
  'sync_apply_reset_request(uuid, text, jsonb)',
  'sync_apply(uuid, text, jsonb)',
];
const entryPoints = ['sync_register(uuid, text)', 'sync_push(uuid, jsonb, boolean)', 'sync_resolve_conflict(bigint, text, text)'];

export async function up(knex: Knex): Promise<void> {
  // Roles are per cluster: another database of the same cluster may have made it already.
  await knex.raw(`DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'webdesk_kiosk') THEN CREATE ROLE webdesk_kiosk NOLOGIN; END IF;
  END $$`);
  await knex.raw(`REVOKE EXECUTE ON FUNCTION ${[...helpers, ...entryPoints].join(', ')} FROM PUBLIC`);
  await knex.raw(`GRANT USAGE ON SCHEMA public TO webdesk_kiosk`);
  await knex.raw(`GRANT SELECT ON accounts, password_history, reset_requests, account_locks, inquiries, change_log, sync_conflicts TO webdesk_kiosk`);
  await knex.raw(`GRANT EXECUTE ON FUNCTION ${entryPoints.join(', ')} TO webdesk_kiosk`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`REVOKE ALL ON accounts, password_history, reset_requests, account_locks, inquiries, change_log, sync_conflicts FROM webdesk_kiosk`);
  await knex.raw(`REVOKE ALL ON FUNCTION ${entryPoints.join(', ')} FROM webdesk_kiosk`);
  await knex.raw(`REVOKE USAGE ON SCHEMA public FROM webdesk_kiosk`);
}
