import type { Knex } from 'knex';

/**
 * Central side of three sync additions (docs/decisions.md, "Sync: contact changes, deletes,
 * pruning"):
 * - `contact_changes` (マイページ e-mail changes) travel like reset requests, so a change
 *   started at one kiosk can be confirmed at another;
 * - the change log records deletes too, and is written by statement-level triggers (one
 *   INSERT … SELECT per statement over the transition table, not one per row);
 * - each kiosk's pull cursor is known here (`kiosk_cursors`, reported by `sync_pull`), so the
 *   log can be pruned below the oldest cursor of the kiosks still in touch; the horizon
 *   (`change_log_horizon`) is what a kiosk compares its cursor with to learn that it must
 *   refresh instead of reading on.
 */
const logged: ReadonlyArray<readonly [string, string]> = [
  ['accounts', 'id'],
  ['contact_changes', 'id'],
  ['password_history', 'key'],
  ['reset_requests', 'id'],
  ['account_locks', 'key'],
  ['inquiries', 'id'],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE contact_changes (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      old_email text NOT NULL,
      new_email text NOT NULL,
      code_hmac text NOT NULL,
      status text NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      locale text NOT NULL DEFAULT 'ja',
      kiosk_id text NOT NULL,
      created_by text NOT NULL,
      created_at text NOT NULL,
      expires_at text NOT NULL,
      confirmed_at text,
      version integer NOT NULL DEFAULT 1
    );
    CREATE INDEX contact_changes_account_status ON contact_changes (account_id, status);
    CREATE TRIGGER contact_changes_version BEFORE UPDATE ON contact_changes FOR EACH ROW EXECUTE FUNCTION sync_bump_version();

    -- TG_ARGV[0]: the key column. Transition tables give every row of the statement at once.
    CREATE FUNCTION sync_log_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        INSERT INTO change_log (table_name, row_key, op, row_data, origin)
        SELECT TG_TABLE_NAME, r ->> TG_ARGV[0], 'delete', r, current_setting('webdesk.origin', true) FROM (SELECT to_jsonb(o) AS r FROM old_rows o) x;
      ELSE
        INSERT INTO change_log (table_name, row_key, op, row_data, origin)
        SELECT TG_TABLE_NAME, r ->> TG_ARGV[0], lower(TG_OP), r, current_setting('webdesk.origin', true) FROM (SELECT to_jsonb(n) AS r FROM new_rows n) x;
      END IF;
      RETURN NULL;
    END $$;

    -- Where each kiosk's pull has got to, and when it last said so.
    CREATE TABLE kiosk_cursors (
      client_id uuid PRIMARY KEY REFERENCES kiosks (client_id),
      cursor_xid xid8 NOT NULL,
      cursor_id bigint NOT NULL,
      reported_at timestamptz NOT NULL DEFAULT now()
    );

    -- Every change_log entry at or below (xid, log_id) has been pruned.
    CREATE TABLE change_log_horizon (
      id integer PRIMARY KEY CHECK (id = 1),
      xid xid8 NOT NULL,
      log_id bigint NOT NULL,
      pruned_at timestamptz,
      pruned_total bigint NOT NULL DEFAULT 0
    );
    INSERT INTO change_log_horizon (id, xid, log_id) VALUES (1, '0', 0);

    CREATE FUNCTION sync_check_client(p_client uuid) RETURNS kiosks LANGUAGE plpgsql AS $$
    DECLARE k kiosks%ROWTYPE;
    BEGIN
      SELECT * INTO k FROM kiosks WHERE client_id = p_client;
      IF NOT FOUND THEN RAISE EXCEPTION 'unknown client %', p_client USING ERRCODE = '42501'; END IF;
      IF k.role_name <> session_user AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        RAISE EXCEPTION 'client % belongs to role %', p_client, k.role_name USING ERRCODE = '42501';
      END IF;
      RETURN k;
    END $$;

    -- A kiosk that has never pulled is about to page from a snapshot taken after this call:
    -- the current xmin is a cursor it cannot be behind, so the log is kept for it from here.
    CREATE OR REPLACE FUNCTION sync_register(p_client uuid, p_kiosk text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE k kiosks%ROWTYPE;
    BEGIN
      INSERT INTO kiosks (client_id, kiosk_id, role_name) VALUES (p_client, p_kiosk, session_user) ON CONFLICT (client_id) DO NOTHING;
      k := sync_check_client(p_client);
      INSERT INTO kiosk_cursors (client_id, cursor_xid, cursor_id)
      VALUES (p_client, pg_snapshot_xmin(pg_current_snapshot()), 0)
      ON CONFLICT (client_id) DO UPDATE SET reported_at = now();
      RETURN k.last_mutation_seq;
    END $$;

    /*
     * One page of the change log after the kiosk's cursor, below the oldest running
     * transaction (see puller.ts). The horizon is read after the page: a prune that committed
     * before the page was read is visible by then, so a page read across a pruned gap is
     * never returned; the kiosk gets SQLSTATE WD001 and refreshes instead.
     */
    CREATE FUNCTION sync_pull(p_client uuid, p_xid xid8, p_id bigint, p_limit integer)
    RETURNS TABLE (id text, xid text, table_name text, op text, row_data jsonb)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE h change_log_horizon%ROWTYPE;
    BEGIN
      PERFORM sync_check_client(p_client);
      RETURN QUERY SELECT c.id::text, c.xid::text, c.table_name, c.op, c.row_data
        FROM change_log c
        WHERE (c.xid, c.id) > (p_xid, p_id) AND c.xid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY c.xid, c.id
        LIMIT p_limit;
      SELECT * INTO h FROM change_log_horizon WHERE change_log_horizon.id = 1;
      IF (p_xid, p_id) < (h.xid, h.log_id) THEN
        RAISE EXCEPTION 'pull cursor (%, %) is below the pruned change log (%, %)', p_xid, p_id, h.xid, h.log_id USING ERRCODE = 'WD001';
      END IF;
      -- Idle polls write nothing; a moving cursor, or one unreported for a minute, is stored.
      INSERT INTO kiosk_cursors AS kc (client_id, cursor_xid, cursor_id) VALUES (p_client, p_xid, p_id)
      ON CONFLICT (client_id) DO UPDATE SET cursor_xid = excluded.cursor_xid, cursor_id = excluded.cursor_id, reported_at = now()
        WHERE (kc.cursor_xid, kc.cursor_id) IS DISTINCT FROM (excluded.cursor_xid, excluded.cursor_id) OR kc.reported_at < now() - interval '1 minute';
    END $$;

    /*
     * Deletes change-log entries no kiosk in touch still needs: at or below the lowest cursor
     * reported within p_silent (kiosks silent for longer are not waited for; they refresh when
     * they return), and only from finished transactions. At most p_limit entries per call, so a
     * caller loops with short transactions. Also forgets processed mutations older than
     * p_mutations (they guard only against a store restored from a backup that old).
     * Returns the entries deleted. Operator only: not granted to kiosks.
     */
    CREATE FUNCTION sync_prune_change_log(p_silent interval, p_limit integer, p_mutations interval DEFAULT interval '90 days') RETURNS bigint
    LANGUAGE plpgsql AS $$
    DECLARE
      h change_log_horizon%ROWTYPE;
      lo_xid xid8;
      lo_id bigint;
      last_xid xid8;
      last_id bigint;
      n bigint;
    BEGIN
      SELECT * INTO h FROM change_log_horizon WHERE id = 1 FOR UPDATE; -- one prune at a time
      SELECT c.cursor_xid, c.cursor_id INTO lo_xid, lo_id FROM kiosk_cursors c
        WHERE c.reported_at > now() - p_silent ORDER BY c.cursor_xid, c.cursor_id LIMIT 1;
      WITH doomed AS (
        SELECT l.id, l.xid FROM change_log l
        WHERE l.xid < pg_snapshot_xmin(pg_current_snapshot())
          AND (lo_xid IS NULL OR (l.xid, l.id) <= (lo_xid, lo_id))
        ORDER BY l.xid, l.id
        LIMIT p_limit
      ), gone AS (
        DELETE FROM change_log l USING doomed d WHERE l.id = d.id RETURNING l.xid, l.id
      )
      SELECT count(*), (array_agg(g.xid ORDER BY g.xid DESC, g.id DESC))[1], (array_agg(g.id ORDER BY g.xid DESC, g.id DESC))[1]
        INTO n, last_xid, last_id FROM gone g;
      IF n > 0 AND (last_xid, last_id) > (h.xid, h.log_id) THEN
        UPDATE change_log_horizon SET xid = last_xid, log_id = last_id, pruned_at = now(), pruned_total = pruned_total + n WHERE id = 1;
      ELSIF n > 0 THEN
        UPDATE change_log_horizon SET pruned_at = now(), pruned_total = pruned_total + n WHERE id = 1;
      END IF;
      DELETE FROM processed_mutations WHERE applied_at < now() - p_mutations;
      RETURN n;
    END $$;
  `);
  for (const [table, key] of logged) {
    if (table !== 'contact_changes') await knex.raw(`DROP TRIGGER ${table}_log ON ${table}`);
    await knex.raw(`
      CREATE TRIGGER ${table}_log_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sync_log_rows('${key}');
      CREATE TRIGGER ${table}_log_update AFTER UPDATE ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sync_log_rows('${key}');
      CREATE TRIGGER ${table}_log_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sync_log_rows('${key}');
    `);
  }
  await knex.raw(`REVOKE EXECUTE ON FUNCTION sync_check_client(uuid), sync_pull(uuid, xid8, bigint, integer), sync_prune_change_log(interval, integer, interval) FROM PUBLIC`);
  await knex.raw(`GRANT SELECT ON contact_changes TO webdesk_kiosk`);
  await knex.raw(`GRANT EXECUTE ON FUNCTION sync_pull(uuid, xid8, bigint, integer) TO webdesk_kiosk`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, key] of logged) {
    for (const op of ['insert', 'update', 'delete']) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_log_${op} ON ${table}`);
    if (table !== 'contact_changes') {
      await knex.raw(`CREATE TRIGGER ${table}_log AFTER INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION sync_log_change('${key}')`);
    }
  }
  await knex.raw(`
    DROP FUNCTION sync_prune_change_log(interval, integer, interval), sync_pull(uuid, xid8, bigint, integer), sync_log_rows();
    CREATE OR REPLACE FUNCTION sync_register(p_client uuid, p_kiosk text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE k kiosks%ROWTYPE;
    BEGIN
      INSERT INTO kiosks (client_id, kiosk_id, role_name) VALUES (p_client, p_kiosk, session_user) ON CONFLICT (client_id) DO NOTHING;
      SELECT * INTO k FROM kiosks WHERE client_id = p_client;
      IF k.role_name <> session_user AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        RAISE EXCEPTION 'client % belongs to role %', p_client, k.role_name USING ERRCODE = '42501';
      END IF;
      RETURN k.last_mutation_seq;
    END $$;
    DROP FUNCTION sync_check_client(uuid);
    DROP TABLE change_log_horizon, kiosk_cursors, contact_changes;
  `);
}
