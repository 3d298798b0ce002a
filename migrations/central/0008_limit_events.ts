import type { Knex } from 'knex';
import { replicated, rowFunctions } from './0006_set_based_push';

/**
 * The DESIGN §6 caps across kiosks (issue 8; docs/decisions.md "Caps across kiosks"):
 * - `limit_events` (request caps per JSA-ID, per e-mail, e-mail changes, inquiries per
 *   address, login failures) arrive from every kiosk and go out to every kiosk, so a cap
 *   counted at one kiosk counts what the others saw. Insert-only: the change log records
 *   inserts alone, and central drops events past the longest window (24 h) by age in the prune
 *   job (`sync_purge_limit_events`), which no kiosk hears about — each replica purges its own.
 * - the login lock holds across kiosks: after a push brings login failures, an account whose
 *   failures in the window reach `max_login_failures` gets a `login` lock here, which travels
 *   as any lock does. Two kiosks that were offline with 6 failures each end locked. The push
 *   answer names the accounts central locked, so the kiosk whose push it was sends the notice.
 */
const withEvents = [...replicated.slice(0, 5), { name: 'limit_events', key: 'key', rules: false }, ...replicated.slice(5)];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE limit_events (
      key text PRIMARY KEY,
      bucket text NOT NULL,
      at_ms bigint NOT NULL
    );
    CREATE INDEX limit_events_bucket_at ON limit_events (bucket, at_ms);
    CREATE INDEX limit_events_at ON limit_events (at_ms);
    CREATE TRIGGER limit_events_log_insert AFTER INSERT ON limit_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sync_log_rows('key');
    GRANT SELECT ON limit_events TO webdesk_kiosk;
    -- The kiosks' default maxLoginFailures (DESIGN §6 "lock after 10").
    INSERT INTO central_limits VALUES ('max_login_failures', 10) ON CONFLICT (name) DO NOTHING;
  `);
  // The generated row functions again, now with limit_events (0006 created them).
  const generated = (await rowFunctions(knex, withEvents)).replace(/CREATE FUNCTION/g, 'CREATE OR REPLACE FUNCTION');
  await knex.raw(`
    __ROW_FUNCTIONS__

    CREATE OR REPLACE FUNCTION sync_key_column(p_table text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE WHEN p_table IN ('password_history', 'account_locks', 'limit_events') THEN 'key' ELSE 'id' END
    $$;

    CREATE OR REPLACE FUNCTION sync_apply(p_client uuid, p_kiosk text, m jsonb) RETURNS text LANGUAGE plpgsql AS $$
    BEGIN
      IF m ->> 'op' = 'delete' THEN RETURN sync_apply_delete(p_client, p_kiosk, m); END IF;
      IF m ->> 'op' = 'update' AND sync_lock_row(m ->> 'table', m ->> 'key') IS NULL THEN
        PERFORM sync_record_conflict(p_client, p_kiosk, m, 'missing', NULL, NULL);
        PERFORM sync_refresh_delete(m ->> 'table', m ->> 'key', m -> 'row');
        RETURN 'conflict';
      END IF;
      CASE m ->> 'table'
        WHEN 'reset_requests' THEN RETURN sync_apply_reset_request(p_client, p_kiosk, m);
        WHEN 'contact_changes' THEN RETURN sync_apply_contact_change(p_client, p_kiosk, m);
        WHEN 'accounts', 'inquiries', 'account_locks', 'password_history', 'limit_events' THEN RETURN sync_apply_row(p_client, p_kiosk, m);
        ELSE RAISE EXCEPTION 'table % is not synced', m ->> 'table' USING ERRCODE = '42501';
      END CASE;
    END $$;

    /*
     * The login lock across kiosks, after the batch's limit_events are in: for each account
     * with login failures in the batch and no active login lock, the failures counted as the
     * kiosks count them (account-service.ts: the last 24 h, not before the password was last
     * registered nor before the login lock was last lifted) reach the cap → a lock. Returns
     * the accounts locked here. The account rows are locked first, in id order: a second push
     * with failures for the same account waits, and its count (a new snapshot in READ
     * COMMITTED) then includes the first push's events, so 6 + 6 from two kiosks pushed at the
     * same moment still lock, and only once.
     */
    CREATE FUNCTION sync_lock_logins() RETURNS jsonb LANGUAGE plpgsql AS $$
    DECLARE
      v_accounts text[];
      v_now_ms bigint := floor(extract(epoch FROM now()) * 1000);
      v_locked jsonb;
    BEGIN
      SELECT array_agg(x.account_id ORDER BY x.account_id) INTO v_accounts FROM (
        SELECT DISTINCT substr(b.new ->> 'bucket', length('loginfail:') + 1) AS account_id FROM sync_batch b
        WHERE b.tbl = 'limit_events' AND b.op = 'insert' AND b.outcome IN ('applied', 'merged') AND starts_with(b.new ->> 'bucket', 'loginfail:')
      ) x;
      IF v_accounts IS NULL THEN RETURN '[]'; END IF;
      PERFORM 1 FROM accounts WHERE id = ANY (v_accounts) ORDER BY id FOR UPDATE;
      WITH counted AS (
        SELECT a.id, (
          SELECT count(*) FROM limit_events e
          WHERE e.bucket = 'loginfail:' || a.id AND e.at_ms > greatest(
            v_now_ms - 86400000,
            floor(extract(epoch FROM a.password_changed_at::timestamptz) * 1000)::bigint - 1,
            (SELECT floor(extract(epoch FROM max(l.unlocked_at)::timestamptz) * 1000)::bigint FROM account_locks l WHERE l.account_id = a.id AND l.kind = 'login'))
        ) AS n
        FROM accounts a
        WHERE a.id = ANY (v_accounts)
          AND NOT EXISTS (SELECT 1 FROM account_locks l WHERE l.account_id = a.id AND l.kind = 'login' AND l.unlocked_at IS NULL)
      ), locked AS (
        INSERT INTO account_locks (key, account_id, kind, reason, locked_at)
        SELECT 'central:' || gen_random_uuid(), c.id, 'login', 'too-many-login-failures', sync_now_iso() FROM counted c
        WHERE c.n >= sync_limit('max_login_failures', 10)
        RETURNING account_id
      )
      SELECT coalesce(jsonb_agg(account_id ORDER BY account_id), '[]') INTO v_locked FROM locked;
      RETURN v_locked;
    END $$;

    -- Events past the longest window count for nothing. Not logged: each kiosk purges its own.
    CREATE FUNCTION sync_purge_limit_events(p_older interval, p_limit integer) RETURNS bigint LANGUAGE sql AS $$
      WITH doomed AS (
        SELECT key FROM limit_events WHERE at_ms < floor(extract(epoch FROM now() - p_older) * 1000)::bigint LIMIT p_limit
      ), gone AS (
        DELETE FROM limit_events l USING doomed d WHERE l.key = d.key RETURNING 1
      )
      SELECT count(*) FROM gone
    $$;

    -- 0006's sync_push with limit_events after account_locks (a kiosk's own lock in the same
    -- batch is in before the login count, so central does not lock a second time) and the
    -- login lock step after them; the answer names the accounts central locked.
    CREATE OR REPLACE FUNCTION sync_push(p_client uuid, p_mutations jsonb, p_isolate boolean DEFAULT false) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      k kiosks%ROWTYPE;
      t text;
      op text;
      m jsonb;
      m_id uuid;
      v_outcome text;
      max_seq bigint;
      counts jsonb;
      login_locks jsonb := '[]';
    BEGIN
      SELECT * INTO k FROM kiosks WHERE client_id = p_client FOR UPDATE; -- one push per replica at a time
      IF NOT FOUND THEN RAISE EXCEPTION 'unknown client %', p_client USING ERRCODE = '42501'; END IF;
      IF k.role_name <> session_user AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        RAISE EXCEPTION 'client % belongs to role %', p_client, k.role_name USING ERRCODE = '42501';
      END IF;
      PERFORM set_config('webdesk.origin', k.kiosk_id, true);

      IF to_regclass('pg_temp.sync_batch') IS NULL THEN
        CREATE TEMP TABLE sync_batch (
          seq bigint, id uuid, tbl text, key text, op text, new jsonb, old jsonb,
          single boolean, -- no other mutation of the same row in this batch
          bumped jsonb,   -- for an update that changes a field: the row sync_apply_row's merge writes when central's row is the old one
          outcome text
        ) ON COMMIT DELETE ROWS;
      END IF;
      DELETE FROM sync_batch;
      INSERT INTO sync_batch (seq, id, tbl, key, op, new, old, single, bumped, outcome)
      SELECT x.seq, x.id, x."table", x.key, x.op, x.row, x.old,
             count(*) OVER (PARTITION BY x."table", x.key) = 1,
             CASE WHEN x.op = 'update' AND x.row - 'version' - 'updated_at' <> x.old - 'version' - 'updated_at' THEN
               x.row
               || CASE WHEN jsonb_typeof(x.old -> 'version') = 'number' THEN jsonb_build_object('version', (x.old ->> 'version')::integer + 1) ELSE '{}' END
               || CASE WHEN jsonb_typeof(x.old -> 'updated_at') = 'string' THEN jsonb_build_object('updated_at', greatest(x.old ->> 'updated_at', x.row ->> 'updated_at')) ELSE '{}' END
             END,
             CASE WHEN x.seq <= k.last_mutation_seq OR EXISTS (SELECT 1 FROM processed_mutations pm WHERE pm.mutation_id = x.id) THEN 'skipped' END
        FROM jsonb_to_recordset(p_mutations) AS x(seq bigint, id uuid, "table" text, key text, op text, row jsonb, old jsonb);
      -- A temporary table has no statistics: without them the planner joins a large batch to
      -- a synced table by scanning that table once per batch row. A few rows do not need them.
      IF jsonb_array_length(p_mutations) > 50 THEN ANALYZE sync_batch; END IF;
      SELECT greatest(k.last_mutation_seq, max(b.seq)) INTO max_seq FROM sync_batch b;

      FOREACH t IN ARRAY ARRAY['accounts', 'contact_changes', 'password_history', 'reset_requests', 'account_locks', 'limit_events', 'inquiries'] LOOP
        IF NOT p_isolate THEN
          FOREACH op IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
            -- Reset requests and contact changes merge by rule (sync_apply_*); only their deletes go here.
            CONTINUE WHEN op <> 'delete' AND t IN ('reset_requests', 'contact_changes');
            PERFORM sync_fast_apply(t, op);
          END LOOP;
        END IF;
        FOR m_id, m IN
          SELECT b.id, jsonb_build_object('seq', b.seq, 'id', b.id, 'table', b.tbl, 'key', b.key, 'op', b.op, 'row', b.new, 'old', b.old)
          FROM sync_batch b WHERE b.tbl = t AND b.outcome IS NULL ORDER BY b.seq
        LOOP
          IF p_isolate THEN
            BEGIN
              v_outcome := sync_apply(p_client, k.kiosk_id, m);
            EXCEPTION WHEN OTHERS THEN
              PERFORM sync_record_conflict(p_client, k.kiosk_id, m, 'error', NULL, NULL, SQLSTATE || ': ' || SQLERRM);
              v_outcome := 'error';
            END;
          ELSE
            v_outcome := sync_apply(p_client, k.kiosk_id, m);
          END IF;
          UPDATE sync_batch SET outcome = v_outcome WHERE id = m_id;
        END LOOP;
        IF t = 'limit_events' THEN login_locks := sync_lock_logins(); END IF;
      END LOOP;

      -- A table this version does not sync: refused like any other schema error.
      FOR m_id, m IN
        SELECT b.id, jsonb_build_object('seq', b.seq, 'id', b.id, 'table', b.tbl, 'key', b.key, 'op', b.op, 'row', b.new, 'old', b.old)
        FROM sync_batch b WHERE b.outcome IS NULL ORDER BY b.seq
      LOOP
        IF NOT p_isolate THEN RAISE EXCEPTION 'table % is not synced', m ->> 'table' USING ERRCODE = '22023'; END IF;
        PERFORM sync_record_conflict(p_client, k.kiosk_id, m, 'error', NULL, NULL, 'table ' || (m ->> 'table') || ' is not synced');
        UPDATE sync_batch SET outcome = 'error' WHERE id = m_id;
      END LOOP;

      INSERT INTO processed_mutations (mutation_id, client_id, seq, table_name, row_key, outcome)
      SELECT b.id, p_client, b.seq, b.tbl, b.key, b.outcome FROM sync_batch b WHERE b.outcome <> 'skipped';
      SELECT coalesce(jsonb_object_agg(z.outcome, z.n), '{}') INTO counts FROM (SELECT b.outcome, count(*) AS n FROM sync_batch b GROUP BY 1) z;
      UPDATE kiosks SET last_mutation_seq = max_seq, last_push_at = now() WHERE client_id = p_client;
      RETURN jsonb_build_object('lastSeq', max_seq, 'counts', counts, 'loginLocks', login_locks);
    END $$;
  `.replace('__ROW_FUNCTIONS__', () => generated));
  await knex.raw(`REVOKE EXECUTE ON FUNCTION sync_lock_logins(), sync_purge_limit_events(interval, integer) FROM PUBLIC`);
}

export async function down(): Promise<void> {
  // Like 0006: sync_push and the row functions were replaced in place.
  throw new Error('central migration 0008 cannot be undone in place; restore central from a backup');
}
