import type { Knex } from 'knex';

/**
 * The central apply, second version (docs/decisions.md, "Sync: contact changes, deletes,
 * pruning"; 0003 has the rules it keeps):
 * - contact_changes merge by rule like reset requests: one pending change per account (the
 *   newest UUIDv7 stays pending), wrong codes add up across kiosks and void the change at
 *   `max_code_attempts`, and a confirmation applies only from the state the kiosk saw, so a
 *   code confirmed at one kiosk cannot be confirmed again at another (`code-reuse`);
 * - deletes: applied only when central's row is exactly the kiosk's row before the delete
 *   (the version check); a row changed here since is kept, recorded as a `delete` conflict
 *   and sent back to the kiosk; a row already gone is fine. An update of a row central no
 *   longer has is a `missing` conflict and the kiosk is told to drop its copy;
 * - set-based push: per table (parents first), mutations of rows that appear once in the batch
 *   go in one INSERT / UPDATE / DELETE each, guarded by the same version check (central's row
 *   equals the kiosk's old row); whatever the guard leaves out, and every row with several
 *   mutations in the batch, goes through the per-mutation rules in sequence order.
 */
const replicated: ReadonlyArray<{ name: string; key: string; rules: boolean }> = [
  { name: 'accounts', key: 'id', rules: false },
  { name: 'contact_changes', key: 'id', rules: true },
  { name: 'password_history', key: 'key', rules: false },
  { name: 'reset_requests', key: 'id', rules: true },
  { name: 'account_locks', key: 'key', rules: false },
  { name: 'inquiries', key: 'id', rules: false },
];

async function columnsOf(knex: Knex, table: string): Promise<string[]> {
  const rows = (await knex('information_schema.columns')
    .where({ table_schema: knex.raw('current_schema()'), table_name: table })
    .orderBy('ordinal_position')
    .select('column_name')) as Array<{ column_name: string }>;
  return rows.map((c) => `"${c.column_name}"`);
}

/**
 * Static SQL per table (PL/pgSQL caches the plans of static statements; EXECUTE plans on
 * every call, 5× slower, measured for 0003).
 */
async function rowFunctions(knex: Knex): Promise<string> {
  const lock: string[] = [];
  const write: string[] = [];
  const del: string[] = [];
  const fast: string[] = [];
  for (const { name: t, key } of replicated) {
    const cols = (await columnsOf(knex, t)).join(', ');
    lock.push(`WHEN '${t}' THEN SELECT to_jsonb(x) INTO r FROM ${t} x WHERE x.${key} = p_key FOR UPDATE;`);
    write.push(`WHEN '${t}' THEN
          IF p_insert THEN
            INSERT INTO ${t} (${cols}) SELECT ${cols} FROM jsonb_populate_record(NULL::${t}, p_row) ON CONFLICT DO NOTHING;
          ELSE
            UPDATE ${t} t SET (${cols}) = (SELECT ${cols} FROM jsonb_populate_record(NULL::${t}, p_row)) WHERE t.${key} = p_row ->> '${key}';
          END IF;`);
    del.push(`WHEN '${t}' THEN DELETE FROM ${t} WHERE ${key} = p_key;`);
    // Rows that clash with an existing key or unique value are left out (DO NOTHING) and
    // handled one by one; an update or delete applies only where central's row is still
    // exactly the row the kiosk changed. Applied rows are marked in sync_batch.
    const mark = (cte: string) => `UPDATE sync_batch b SET outcome = 'applied' FROM (${cte}) a WHERE b.tbl = '${t}' AND b.single AND b.key = a.k;`;
    const pick = (op: string) => `b.tbl = '${t}' AND b.op = '${op}' AND b.single AND b.outcome IS NULL`;
    fast.push(`WHEN '${t}' THEN
          CASE p_op
            WHEN 'insert' THEN
              WITH a AS (INSERT INTO ${t} (${cols}) SELECT r.* FROM sync_batch b, jsonb_populate_record(NULL::${t}, b.new) r WHERE ${pick('insert')}
                ON CONFLICT DO NOTHING RETURNING ${t}.${key} AS k)
              ${mark('SELECT k FROM a')}
            WHEN 'update' THEN
              WITH a AS (UPDATE ${t} t SET (${cols}) = (SELECT ${cols} FROM jsonb_populate_record(t, b.bumped)) FROM sync_batch b
                WHERE ${pick('update')} AND b.bumped IS NOT NULL AND t.${key} = b.key AND to_jsonb(t) = b.old RETURNING t.${key} AS k)
              ${mark('SELECT k FROM a')}
            WHEN 'delete' THEN
              WITH a AS (DELETE FROM ${t} t USING sync_batch b WHERE ${pick('delete')} AND t.${key} = b.key AND to_jsonb(t) = b.old RETURNING t.${key} AS k)
              ${mark('SELECT k FROM a')}
          END CASE;`);
  }
  const notSynced = `ELSE RAISE EXCEPTION 'table % is not synced', p_table USING ERRCODE = '42501';`;
  return `
    CREATE OR REPLACE FUNCTION sync_lock_row(p_table text, p_key text) RETURNS jsonb LANGUAGE plpgsql AS $$
    DECLARE r jsonb;
    BEGIN
      CASE p_table
        ${lock.join('\n        ')}
        ${notSynced}
      END CASE;
      RETURN r;
    END $$;

    CREATE OR REPLACE FUNCTION sync_write_row(p_table text, p_row jsonb, p_insert boolean) RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE n integer;
    BEGIN
      CASE p_table
        ${write.join('\n        ')}
        ${notSynced}
      END CASE;
      GET DIAGNOSTICS n = ROW_COUNT;
      RETURN n;
    END $$;

    CREATE FUNCTION sync_delete_row(p_table text, p_key text) RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE n integer;
    BEGIN
      CASE p_table
        ${del.join('\n        ')}
        ${notSynced}
      END CASE;
      GET DIAGNOSTICS n = ROW_COUNT;
      RETURN n;
    END $$;

    -- The batch's rows of one table and op whose key has no other mutation in it (sync_batch.single).
    CREATE FUNCTION sync_fast_apply(p_table text, p_op text) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      CASE p_table
        ${fast.join('\n        ')}
        ${notSynced}
      END CASE;
    END $$;`;
}

export async function up(knex: Knex): Promise<void> {
  const generated = await rowFunctions(knex);
  await knex.raw(`
    __ROW_FUNCTIONS__

    -- Central no longer has the row: the kiosk that still has it drops its copy on its next pull.
    CREATE FUNCTION sync_refresh_delete(p_table text, p_key text, p_row jsonb) RETURNS void LANGUAGE sql AS $$
      INSERT INTO change_log (table_name, row_key, op, row_data, origin)
      VALUES (p_table, p_key, 'delete', p_row, current_setting('webdesk.origin', true))
    $$;

    CREATE FUNCTION sync_apply_delete(p_client uuid, p_kiosk text, m jsonb) RETURNS text LANGUAGE plpgsql AS $$
    DECLARE v_cur jsonb := sync_lock_row(m ->> 'table', m ->> 'key');
    BEGIN
      IF v_cur IS NULL THEN RETURN 'applied'; END IF; -- gone already (purged elsewhere too)
      IF v_cur = m -> 'old' THEN
        PERFORM sync_delete_row(m ->> 'table', m ->> 'key');
        RETURN 'applied';
      END IF;
      -- Changed here since the kiosk read it: central's row stays and goes back to the kiosk.
      PERFORM sync_record_conflict(p_client, p_kiosk, m, 'delete', NULL, v_cur);
      PERFORM sync_refresh(m ->> 'table', m ->> 'key', v_cur);
      RETURN 'conflict';
    END $$;

    CREATE FUNCTION sync_apply_contact_change(p_client uuid, p_kiosk text, m jsonb) RETURNS text LANGUAGE plpgsql AS $$
    DECLARE
      v_new jsonb := m -> 'row';
      v_old jsonb := m -> 'old';
      v_cur jsonb;
      merged jsonb;
      delta integer;
      total integer;
      outcome text := 'applied';
    BEGIN
      SELECT to_jsonb(c) INTO v_cur FROM contact_changes c WHERE c.id = m ->> 'key' FOR UPDATE;
      IF m ->> 'op' = 'insert' THEN
        IF v_cur IS NOT NULL THEN
          IF v_cur = v_new THEN RETURN 'applied'; END IF;
          PERFORM sync_record_conflict(p_client, p_kiosk, m, 'insert-exists', NULL, v_cur);
          PERFORM sync_refresh('contact_changes', m ->> 'key', v_cur);
          RETURN 'conflict';
        END IF;
        -- One pending change per account, whichever kiosk made it: the newest id stays open.
        PERFORM 1 FROM accounts WHERE id = v_new ->> 'account_id' FOR UPDATE;
        IF v_new ->> 'status' = 'pending' AND EXISTS (
          SELECT 1 FROM contact_changes WHERE account_id = v_new ->> 'account_id' AND status = 'pending' AND id > v_new ->> 'id'
        ) THEN
          v_new := jsonb_set(v_new, '{status}', '"superseded"');
          outcome := 'merged';
        END IF;
        UPDATE contact_changes SET status = 'superseded', version = version + 1
          WHERE account_id = v_new ->> 'account_id' AND status = 'pending' AND id < v_new ->> 'id';
        IF sync_write_row('contact_changes', v_new, true) = 0 THEN
          PERFORM sync_record_conflict(p_client, p_kiosk, m, 'duplicate', NULL, NULL);
          RETURN 'conflict';
        END IF;
        RETURN outcome;
      END IF;

      -- Wrong codes typed at any kiosk add up.
      delta := greatest(0, (v_new ->> 'attempts')::integer - (v_old ->> 'attempts')::integer);
      total := (v_cur ->> 'attempts')::integer + delta;
      merged := jsonb_set(v_cur, '{attempts}', to_jsonb(total));

      -- A kiosk's transition applies only from the status it saw: single use of the code.
      IF (v_new ->> 'status') IS NOT DISTINCT FROM (v_old ->> 'status') THEN
        NULL;
      ELSIF (v_cur ->> 'status') IS NOT DISTINCT FROM (v_old ->> 'status') THEN
        merged := merged || jsonb_build_object('status', v_new -> 'status', 'confirmed_at', v_new -> 'confirmed_at');
      ELSIF (v_cur ->> 'status') IS NOT DISTINCT FROM (v_new ->> 'status') AND v_new ->> 'status' <> 'confirmed' THEN
        NULL; -- closed the same way at two kiosks (both cancelled, both expired)
      ELSE
        -- Confirmed here after a confirmation elsewhere is a second use of the code, even
        -- though the address it sets is the same: staff see it.
        PERFORM sync_record_conflict(p_client, p_kiosk, m,
          CASE WHEN v_new ->> 'status' = 'confirmed' THEN 'code-reuse' ELSE 'status' END, ARRAY['status'], v_cur);
        outcome := 'conflict';
      END IF;

      IF delta > 0 AND merged ->> 'status' = 'pending' AND total >= sync_limit('max_code_attempts', 5) THEN
        merged := jsonb_set(merged, '{status}', '"voided"');
      END IF;

      IF merged IS DISTINCT FROM v_cur THEN
        merged := jsonb_set(merged, '{version}', to_jsonb((v_cur ->> 'version')::integer + 1));
        PERFORM sync_write_row('contact_changes', merged, false);
      ELSIF outcome = 'conflict' THEN
        PERFORM sync_refresh('contact_changes', m ->> 'key', v_cur);
      END IF;
      IF outcome = 'applied' AND (merged IS DISTINCT FROM v_new) THEN outcome := 'merged'; END IF;
      RETURN outcome;
    END $$;

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
        WHEN 'accounts', 'inquiries', 'account_locks', 'password_history' THEN RETURN sync_apply_row(p_client, p_kiosk, m);
        ELSE RAISE EXCEPTION 'table % is not synced', m ->> 'table' USING ERRCODE = '42501';
      END CASE;
    END $$;

    -- Exactly once as before (seq ≤ last_mutation_seq or already processed: skipped). The
    -- batch is loaded once into the session's temporary sync_batch; tables go parents first;
    -- within a table, rows with one mutation in the batch go set-based (sync_fast_apply) and
    -- the rest one by one in sequence order. p_isolate: no set-based step, each mutation in its
    -- own subtransaction (a refused one becomes an 'error' conflict).
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

      FOREACH t IN ARRAY ARRAY['accounts', 'contact_changes', 'password_history', 'reset_requests', 'account_locks', 'inquiries'] LOOP
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
      RETURN jsonb_build_object('lastSeq', max_seq, 'counts', counts);
    END $$;
  `.replace('__ROW_FUNCTIONS__', () => generated));
  await knex.raw(
    `REVOKE EXECUTE ON FUNCTION sync_delete_row(text, text), sync_fast_apply(text, text), sync_refresh_delete(text, text, jsonb),
       sync_apply_delete(uuid, text, jsonb), sync_apply_contact_change(uuid, text, jsonb) FROM PUBLIC`,
  );
}

export async function down(): Promise<void> {
  // sync_push and sync_apply were replaced in place; their 0003 bodies are not kept here.
  // Central migrations only go up (as the local ones): restore central from a backup instead.
  throw new Error('central migration 0006 cannot be undone in place; restore central from a backup');
}
