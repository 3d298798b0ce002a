import type { Knex } from 'knex';

/**
 * The central apply, in the database so a batch is one round trip and one transaction, and
 * so a kiosk role needs no write grant on any table: it may only call these functions.
 *
 * sync_push(client, mutations) applies a kiosk's batch exactly once (mutations with
 * seq ≤ kiosks.last_mutation_seq, or already in processed_mutations, are skipped) and
 * enforces the rules that must hold across kiosks:
 * - rows: three-way merge against the kiosk's old row; a field changed on both sides keeps
 *   central's value and the kiosk's value is recorded in sync_conflicts (never overwritten);
 * - reset requests: one active request per account (the newest UUIDv7 wins), attempts are
 *   added up across kiosks and capped, a code spent at one kiosk cannot be spent at another.
 */
const replicated = ['accounts', 'password_history', 'reset_requests', 'account_locks', 'inquiries'];

/**
 * sync_lock_row / sync_write_row with one static statement per table, generated from the
 * columns the tables have now: PL/pgSQL caches the plans of static SQL, where EXECUTE
 * plans again on every call (5× slower for a push of row updates, measured).
 */
async function rowFunctions(knex: Knex): Promise<string> {
  const lock: string[] = [];
  const write: string[] = [];
  for (const table of replicated) {
    const columns = ((await knex('information_schema.columns')
      .where({ table_schema: knex.raw('current_schema()'), table_name: table })
      .orderBy('ordinal_position')
      .select('column_name')) as Array<{ column_name: string }>).map((c) => `"${c.column_name}"`);
    const key = table === 'password_history' || table === 'account_locks' ? 'key' : 'id';
    const cols = columns.join(', ');
    lock.push(`WHEN '${table}' THEN SELECT to_jsonb(x) INTO r FROM ${table} x WHERE x.${key} = p_key FOR UPDATE;`);
    write.push(`WHEN '${table}' THEN
          IF p_insert THEN
            INSERT INTO ${table} (${cols}) SELECT ${cols} FROM jsonb_populate_record(NULL::${table}, p_row) ON CONFLICT DO NOTHING;
          ELSE
            UPDATE ${table} t SET (${cols}) = (SELECT ${cols} FROM jsonb_populate_record(NULL::${table}, p_row)) WHERE t.${key} = p_row ->> '${key}';
          END IF;`);
  }
  return `
    CREATE FUNCTION sync_lock_row(p_table text, p_key text) RETURNS jsonb LANGUAGE plpgsql AS $$
    DECLARE r jsonb;
    BEGIN
      CASE p_table
        ${lock.join('\n        ')}
        ELSE RAISE EXCEPTION 'table % is not synced', p_table USING ERRCODE = '42501';
      END CASE;
      RETURN r;
    END $$;

    -- Writes a row given as jsonb (insert, or update by key) with the table's own columns.
    CREATE FUNCTION sync_write_row(p_table text, p_row jsonb, p_insert boolean) RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE n integer;
    BEGIN
      CASE p_table
        ${write.join('\n        ')}
        ELSE RAISE EXCEPTION 'table % is not synced', p_table USING ERRCODE = '42501';
      END CASE;
      GET DIAGNOSTICS n = ROW_COUNT;
      RETURN n;
    END $$;`;
}

export async function up(knex: Knex): Promise<void> {
  const generated = await rowFunctions(knex);
  await knex.raw(`
    CREATE FUNCTION sync_limit(p_name text, p_default integer) RETURNS integer LANGUAGE sql STABLE AS $$
      SELECT coalesce((SELECT value FROM central_limits WHERE name = p_name), p_default)
    $$;

    CREATE FUNCTION sync_key_column(p_table text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE WHEN p_table IN ('password_history', 'account_locks') THEN 'key' ELSE 'id' END
    $$;

    CREATE FUNCTION sync_now_iso() RETURNS text LANGUAGE sql STABLE AS $$
      SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    $$;

    __ROW_FUNCTIONS__

    -- Central kept its row: log it again so the kiosk that lost replaces its copy on its next pull.
    CREATE FUNCTION sync_refresh(p_table text, p_key text, p_row jsonb) RETURNS void LANGUAGE sql AS $$
      INSERT INTO change_log (table_name, row_key, op, row_data, origin)
      VALUES (p_table, p_key, 'refresh', p_row, current_setting('webdesk.origin', true))
    $$;

    CREATE FUNCTION sync_record_conflict(p_client uuid, p_kiosk text, m jsonb, p_kind text, p_fields text[], p_central jsonb, p_detail text DEFAULT NULL)
    RETURNS void LANGUAGE sql AS $$
      INSERT INTO sync_conflicts (table_name, row_key, client_id, kiosk_id, mutation_id, kind, fields, central_row, kiosk_row, base_row, detail)
      VALUES (m ->> 'table', m ->> 'key', p_client, p_kiosk, (m ->> 'id')::uuid, p_kind, p_fields, p_central, m -> 'row', m -> 'old', p_detail)
    $$;

    -- accounts, inquiries, account_locks, password_history: insert, or three-way merge by field.
    CREATE FUNCTION sync_apply_row(p_client uuid, p_kiosk text, m jsonb) RETURNS text LANGUAGE plpgsql AS $$
    DECLARE
      t text := m ->> 'table';
      keycol text := sync_key_column(m ->> 'table');
      v_new jsonb := m -> 'row';
      v_old jsonb := m -> 'old';
      v_cur jsonb;
      merged jsonb;
      f text;
      collided text[] := '{}';
    BEGIN
      v_cur := sync_lock_row(t, m ->> 'key');
      IF m ->> 'op' = 'insert' THEN
        IF v_cur IS NULL THEN
          IF sync_write_row(t, v_new, true) = 1 THEN RETURN 'applied'; END IF;
          -- Another unique value clashed, e.g. the same JSA-ID created at two kiosks.
          PERFORM sync_record_conflict(p_client, p_kiosk, m, 'duplicate', NULL, NULL);
          RETURN 'conflict';
        END IF;
        IF v_cur = v_new THEN RETURN 'applied'; END IF;
        PERFORM sync_record_conflict(p_client, p_kiosk, m, 'insert-exists', NULL, v_cur);
        PERFORM sync_refresh(t, m ->> 'key', v_cur);
        RETURN 'conflict';
      END IF;
      IF v_cur IS NULL THEN
        PERFORM sync_record_conflict(p_client, p_kiosk, m, 'missing', NULL, NULL);
        RETURN 'conflict';
      END IF;
      merged := v_cur;
      FOR f IN SELECT jsonb_object_keys(v_new) LOOP
        CONTINUE WHEN f IN ('version', 'updated_at') OR f = keycol;
        CONTINUE WHEN (v_new -> f) IS NOT DISTINCT FROM (v_old -> f); -- the kiosk left f alone
        IF (v_cur -> f) IS NOT DISTINCT FROM (v_old -> f) OR (v_cur -> f) IS NOT DISTINCT FROM (v_new -> f) THEN
          merged := jsonb_set(merged, ARRAY[f], v_new -> f);
        ELSE
          collided := collided || f; -- changed here and there: central's value stays
        END IF;
      END LOOP;
      IF merged IS DISTINCT FROM v_cur THEN
        IF jsonb_typeof(v_cur -> 'version') = 'number' THEN
          merged := jsonb_set(merged, '{version}', to_jsonb((v_cur ->> 'version')::integer + 1));
        END IF;
        IF jsonb_typeof(v_cur -> 'updated_at') = 'string' THEN
          merged := jsonb_set(merged, '{updated_at}', to_jsonb(greatest(v_cur ->> 'updated_at', v_new ->> 'updated_at')));
        END IF;
        PERFORM sync_write_row(t, merged, false);
      END IF;
      IF cardinality(collided) > 0 THEN
        PERFORM sync_record_conflict(p_client, p_kiosk, m, 'edit', collided, v_cur);
        IF merged IS NOT DISTINCT FROM v_cur THEN PERFORM sync_refresh(t, m ->> 'key', v_cur); END IF;
        RETURN 'conflict';
      END IF;
      IF (v_cur -> 'version') IS DISTINCT FROM (v_old -> 'version') THEN RETURN 'merged'; END IF;
      RETURN 'applied';
    END $$;

    CREATE FUNCTION sync_apply_reset_request(p_client uuid, p_kiosk text, m jsonb) RETURNS text LANGUAGE plpgsql AS $$
    DECLARE
      v_new jsonb := m -> 'row';
      v_old jsonb := m -> 'old';
      v_cur jsonb;
      merged jsonb;
      delta integer;
      total integer;
      failures integer;
      outcome text := 'applied';
    BEGIN
      SELECT to_jsonb(r) INTO v_cur FROM reset_requests r WHERE r.id = m ->> 'key' FOR UPDATE;
      IF m ->> 'op' = 'insert' THEN
        IF v_cur IS NOT NULL THEN
          IF v_cur = v_new THEN RETURN 'applied'; END IF;
          PERFORM sync_record_conflict(p_client, p_kiosk, m, 'insert-exists', NULL, v_cur);
          PERFORM sync_refresh('reset_requests', m ->> 'key', v_cur);
          RETURN 'conflict';
        END IF;
        -- One active request per account, whichever kiosk made it: the newest id stays open.
        PERFORM 1 FROM accounts WHERE id = v_new ->> 'account_id' FOR UPDATE;
        IF v_new ->> 'status' IN ('pending', 'verified') AND EXISTS (
          SELECT 1 FROM reset_requests WHERE account_id = v_new ->> 'account_id' AND status IN ('pending', 'verified') AND id > v_new ->> 'id'
        ) THEN
          v_new := jsonb_set(v_new, '{status}', '"superseded"');
          outcome := 'merged';
        END IF;
        UPDATE reset_requests SET status = 'superseded', version = version + 1
          WHERE account_id = v_new ->> 'account_id' AND status IN ('pending', 'verified') AND id < v_new ->> 'id';
        IF sync_write_row('reset_requests', v_new, true) = 0 THEN
          PERFORM sync_record_conflict(p_client, p_kiosk, m, 'duplicate', NULL, NULL);
          RETURN 'conflict';
        END IF;
        RETURN outcome;
      END IF;
      IF v_cur IS NULL THEN
        PERFORM sync_record_conflict(p_client, p_kiosk, m, 'missing', NULL, NULL);
        RETURN 'conflict';
      END IF;

      -- Wrong codes typed at any kiosk add up.
      delta := greatest(0, (v_new ->> 'attempts')::integer - (v_old ->> 'attempts')::integer);
      total := (v_cur ->> 'attempts')::integer + delta;
      merged := jsonb_set(v_cur, '{attempts}', to_jsonb(total));

      -- The state is (status, grant): a kiosk's transition applies only from the state it saw.
      IF (v_new ->> 'status', v_new ->> 'grant_hmac') IS NOT DISTINCT FROM (v_old ->> 'status', v_old ->> 'grant_hmac') THEN
        NULL;
      ELSIF (v_cur ->> 'status', v_cur ->> 'grant_hmac') IS NOT DISTINCT FROM (v_old ->> 'status', v_old ->> 'grant_hmac') THEN
        merged := merged || jsonb_build_object('status', v_new -> 'status', 'grant_hmac', v_new -> 'grant_hmac',
          'verified_at', v_new -> 'verified_at', 'completed_at', v_new -> 'completed_at');
      ELSIF (v_cur ->> 'status', v_cur ->> 'grant_hmac') IS NOT DISTINCT FROM (v_new ->> 'status', v_new ->> 'grant_hmac') THEN
        NULL;
      ELSE
        -- Single use: a code already spent (or the request closed) elsewhere stays so.
        PERFORM sync_record_conflict(p_client, p_kiosk, m,
          CASE WHEN v_new ->> 'status' IN ('verified', 'used') THEN 'code-reuse' ELSE 'status' END, ARRAY['status'], v_cur);
        outcome := 'conflict';
      END IF;

      IF delta > 0 THEN
        INSERT INTO code_failures (account_id, request_id, kiosk_id, n) VALUES (v_cur ->> 'account_id', v_cur ->> 'id', p_kiosk, delta);
        IF merged ->> 'status' = 'pending' AND total >= sync_limit('max_code_attempts', 5) THEN
          merged := jsonb_set(merged, '{status}', '"voided"');
        END IF;
        SELECT coalesce(sum(n), 0) INTO failures FROM code_failures
          WHERE account_id = v_cur ->> 'account_id' AND at > now() - interval '1 day';
        IF failures >= sync_limit('max_failures_per_day', 10) THEN
          IF NOT EXISTS (SELECT 1 FROM account_locks WHERE account_id = v_cur ->> 'account_id' AND kind = 'reset' AND unlocked_at IS NULL) THEN
            INSERT INTO account_locks (key, account_id, kind, reason, locked_at)
            VALUES ('central:' || gen_random_uuid(), v_cur ->> 'account_id', 'reset', 'too-many-code-failures', sync_now_iso());
          END IF;
          IF merged ->> 'status' = 'pending' THEN merged := jsonb_set(merged, '{status}', '"voided"'); END IF;
        END IF;
      END IF;

      IF merged IS DISTINCT FROM v_cur THEN
        merged := jsonb_set(merged, '{version}', to_jsonb((v_cur ->> 'version')::integer + 1));
        PERFORM sync_write_row('reset_requests', merged, false);
      ELSIF outcome = 'conflict' THEN
        PERFORM sync_refresh('reset_requests', m ->> 'key', v_cur);
      END IF;
      IF outcome = 'applied' AND (merged IS DISTINCT FROM v_new) THEN outcome := 'merged'; END IF;
      RETURN outcome;
    END $$;

    CREATE FUNCTION sync_apply(p_client uuid, p_kiosk text, m jsonb) RETURNS text LANGUAGE plpgsql AS $$
    BEGIN
      CASE m ->> 'table'
        WHEN 'reset_requests' THEN RETURN sync_apply_reset_request(p_client, p_kiosk, m);
        WHEN 'accounts', 'inquiries', 'account_locks', 'password_history' THEN RETURN sync_apply_row(p_client, p_kiosk, m);
        ELSE RAISE EXCEPTION 'table % is not synced', m ->> 'table' USING ERRCODE = '42501';
      END CASE;
    END $$;

    -- A kiosk registers its replica once; later pushes must come from the same database role.
    CREATE FUNCTION sync_register(p_client uuid, p_kiosk text) RETURNS bigint
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

    -- p_isolate: each mutation in its own subtransaction, so one the schema refuses is recorded
    -- as a conflict of kind 'error' instead of failing the batch forever. The client uses it
    -- only to retry a batch that failed, because subtransactions cost.
    CREATE FUNCTION sync_push(p_client uuid, p_mutations jsonb, p_isolate boolean DEFAULT false) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      k kiosks%ROWTYPE;
      m jsonb;
      seq bigint;
      outcome text;
      max_seq bigint;
      counts jsonb := '{}';
    BEGIN
      SELECT * INTO k FROM kiosks WHERE client_id = p_client FOR UPDATE; -- one push per replica at a time
      IF NOT FOUND THEN RAISE EXCEPTION 'unknown client %', p_client USING ERRCODE = '42501'; END IF;
      IF k.role_name <> session_user AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        RAISE EXCEPTION 'client % belongs to role %', p_client, k.role_name USING ERRCODE = '42501';
      END IF;
      PERFORM set_config('webdesk.origin', k.kiosk_id, true);
      max_seq := k.last_mutation_seq;
      FOR m IN SELECT value FROM jsonb_array_elements(p_mutations) ORDER BY (value ->> 'seq')::bigint LOOP
        seq := (m ->> 'seq')::bigint;
        IF seq <= k.last_mutation_seq OR EXISTS (SELECT 1 FROM processed_mutations WHERE mutation_id = (m ->> 'id')::uuid) THEN
          outcome := 'skipped';
        ELSIF p_isolate THEN
          BEGIN
            outcome := sync_apply(p_client, k.kiosk_id, m);
          EXCEPTION WHEN OTHERS THEN
            PERFORM sync_record_conflict(p_client, k.kiosk_id, m, 'error', NULL, NULL, SQLSTATE || ': ' || SQLERRM);
            outcome := 'error';
          END;
        ELSE
          outcome := sync_apply(p_client, k.kiosk_id, m);
        END IF;
        IF outcome <> 'skipped' THEN
          INSERT INTO processed_mutations (mutation_id, client_id, seq, table_name, row_key, outcome)
          VALUES ((m ->> 'id')::uuid, p_client, seq, m ->> 'table', m ->> 'key', outcome);
        END IF;
        counts := jsonb_set(counts, ARRAY[outcome], to_jsonb(coalesce((counts ->> outcome)::integer, 0) + 1));
        max_seq := greatest(max_seq, seq);
      END LOOP;
      UPDATE kiosks SET last_mutation_seq = max_seq, last_push_at = now() WHERE client_id = p_client;
      RETURN jsonb_build_object('lastSeq', max_seq, 'counts', counts);
    END $$;

    -- A supervisor's decision. 'central' keeps central's row (the conflict is closed);
    -- 'kiosk' writes the kiosk's values of the conflicting fields as a new version.
    CREATE FUNCTION sync_resolve_conflict(p_id bigint, p_keep text, p_by text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      c sync_conflicts%ROWTYPE;
      v_cur jsonb;
      merged jsonb;
      f text;
    BEGIN
      SELECT * INTO c FROM sync_conflicts WHERE id = p_id FOR UPDATE;
      IF NOT FOUND THEN RETURN 'not-found'; END IF;
      IF c.resolved_at IS NOT NULL THEN RETURN 'already-resolved'; END IF;
      IF p_keep = 'kiosk' THEN
        IF c.kind <> 'edit' OR c.table_name NOT IN ('accounts', 'inquiries', 'account_locks') THEN RETURN 'not-applicable'; END IF;
        PERFORM set_config('webdesk.origin', 'resolve:' || p_by, true);
        v_cur := sync_lock_row(c.table_name, c.row_key);
        IF v_cur IS NULL THEN RETURN 'not-found'; END IF;
        merged := v_cur;
        FOREACH f IN ARRAY c.fields LOOP
          merged := jsonb_set(merged, ARRAY[f], c.kiosk_row -> f);
        END LOOP;
        IF jsonb_typeof(v_cur -> 'version') = 'number' THEN
          merged := jsonb_set(merged, '{version}', to_jsonb((v_cur ->> 'version')::integer + 1));
        END IF;
        IF jsonb_typeof(v_cur -> 'updated_at') = 'string' THEN
          merged := jsonb_set(merged, '{updated_at}', to_jsonb(sync_now_iso()));
        END IF;
        PERFORM sync_write_row(c.table_name, merged, false);
      ELSIF p_keep <> 'central' THEN
        RAISE EXCEPTION 'keep must be central or kiosk' USING ERRCODE = '22023';
      END IF;
      UPDATE sync_conflicts SET resolved_at = now(), resolved_by = p_by, resolution = p_keep WHERE id = p_id;
      RETURN 'resolved';
    END $$;
  `.replace('__ROW_FUNCTIONS__', () => generated));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP FUNCTION sync_resolve_conflict(bigint, text, text), sync_push(uuid, jsonb, boolean), sync_register(uuid, text),
      sync_apply(uuid, text, jsonb), sync_apply_reset_request(uuid, text, jsonb), sync_apply_row(uuid, text, jsonb),
      sync_record_conflict(uuid, text, jsonb, text, text[], jsonb, text), sync_refresh(text, text, jsonb),
      sync_write_row(text, jsonb, boolean), sync_lock_row(text, text), sync_now_iso(), sync_key_column(text), sync_limit(text, integer);
  `);
}
