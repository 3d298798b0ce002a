import type { Knex } from 'knex';

/**
 * A mutation older than central's memory is not applied again (docs/decisions.md "A change
 * older than central remembers is a conflict, not applied").
 *
 * Exactly once rests on `processed_mutations`, which `central:prune` forgets after 90 days;
 * a counter store restored from an older backup sends again what central applied then (a
 * lifted lock came back, an old address, an old password hash). Central cannot tell such a
 * mutation from one never sent, so it applies neither: it records it as a conflict of kind
 * `expired` (both rows kept, staff decide), sends the counter central's row (or the row's
 * absence), and counts it in the push answer as `expired`.
 *
 * - `change_log_horizon.mutations_before`: the newest `applied_at` central has forgotten,
 *   moved by a trigger on every delete from processed_mutations (the prune, or an operator by
 *   hand), so the rule holds whatever retention the prune was given.
 * - A mutation's time is its UUIDv7's (the counter's clock when it was written). It is
 *   expired when not above the horizon plus a day: a counter's clock running ahead of central's
 *   would otherwise date an old mutation past the horizon (同期 alerts past 10 min already).
 * - `sync_push` becomes a step in front of 0008's push (kept as `sync_push_batch`, no longer
 *   granted to counters): the expired mutations are recorded and entered in processed_mutations
 *   first, so 0008's exactly-once check skips them and the rest of the batch is applied as before.
 * - Exactly once is by mutation id from here on; the number is 0008's fast skip. A mutation
 *   central does not know is applied even at or below `last_mutation_seq`: a second live copy
 *   of a store under one identity numbers from the same place, and 0008 skipped its changes by
 *   number while the counter dropped them as sent (docs/decisions.md "Two live copies of one
 *   store lose nothing by number").
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE change_log_horizon ADD COLUMN mutations_before timestamptz;
    -- A store pruned before this step: the default prune forgot what was applied 90 days
    -- before its last run (the retention it ran with is not recorded; 90 days is the default).
    UPDATE change_log_horizon SET mutations_before = pruned_at - interval '90 days' WHERE pruned_at IS NOT NULL;

    CREATE FUNCTION sync_forget_mutations() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE change_log_horizon h SET mutations_before = greatest(h.mutations_before, f.last)
        FROM (SELECT max(applied_at) AS last FROM forgotten) f WHERE h.id = 1 AND f.last IS NOT NULL;
      RETURN NULL;
    END $$;
    CREATE TRIGGER processed_mutations_forgotten AFTER DELETE ON processed_mutations
      REFERENCING OLD TABLE AS forgotten FOR EACH STATEMENT EXECUTE FUNCTION sync_forget_mutations();

    -- The millisecond time a UUIDv7 carries in its first 48 bits.
    CREATE FUNCTION sync_uuid7_time(p_id uuid) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
      SELECT to_timestamp(('x' || substr(replace(p_id::text, '-', ''), 1, 12))::bit(48)::bigint / 1000.0)
    $$;

    ALTER FUNCTION sync_push(uuid, jsonb, boolean) RENAME TO sync_push_batch;
    REVOKE EXECUTE ON FUNCTION sync_push_batch(uuid, jsonb, boolean) FROM webdesk_kiosk;

    CREATE FUNCTION sync_push(p_client uuid, p_mutations jsonb, p_isolate boolean DEFAULT false) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      k kiosks%ROWTYPE;
      horizon timestamptz;
      m jsonb;
      v_cur jsonb;
      n integer := 0;
      answer jsonb;
      counts jsonb;
      skipped integer;
      lowest bigint;
    BEGIN
      SELECT * INTO k FROM kiosks WHERE client_id = p_client FOR UPDATE; -- one push per replica at a time
      IF NOT FOUND THEN RAISE EXCEPTION 'unknown client %', p_client USING ERRCODE = '42501'; END IF;
      IF k.role_name <> session_user AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        RAISE EXCEPTION 'client % belongs to role %', p_client, k.role_name USING ERRCODE = '42501';
      END IF;
      PERFORM set_config('webdesk.origin', k.kiosk_id, true);
      SELECT mutations_before INTO horizon FROM change_log_horizon WHERE id = 1;
      IF horizon IS NOT NULL THEN
        FOR m IN
          SELECT x.m FROM jsonb_array_elements(p_mutations) AS x(m)
          -- A table central does not sync is left to 0008, which refuses it as a schema error.
          WHERE x.m ->> 'table' IN ('accounts', 'contact_changes', 'password_history', 'reset_requests', 'account_locks', 'limit_events', 'inquiries')
            AND sync_uuid7_time((x.m ->> 'id')::uuid) < horizon + interval '1 day'
            AND NOT EXISTS (SELECT 1 FROM processed_mutations pm WHERE pm.mutation_id = (x.m ->> 'id')::uuid)
          ORDER BY (x.m ->> 'seq')::bigint
        LOOP
          -- Limit events that old count for nothing anywhere: no one needs to decide about them.
          IF m ->> 'table' <> 'limit_events' THEN
            v_cur := sync_lock_row(m ->> 'table', m ->> 'key');
            PERFORM sync_record_conflict(p_client, k.kiosk_id, m, 'expired', NULL, v_cur);
            -- The counter's copy becomes central's: the row as central has it, or gone.
            IF v_cur IS NOT NULL THEN
              PERFORM sync_refresh(m ->> 'table', m ->> 'key', v_cur);
            ELSIF m ->> 'op' <> 'delete' THEN
              PERFORM sync_refresh_delete(m ->> 'table', m ->> 'key', m -> 'row');
            END IF;
          END IF;
          INSERT INTO processed_mutations (mutation_id, client_id, seq, table_name, row_key, outcome)
          VALUES ((m ->> 'id')::uuid, p_client, (m ->> 'seq')::bigint, m ->> 'table', m ->> 'key', 'expired');
          n := n + 1;
        END LOOP;
      END IF;

      -- Another live copy of this store under the same identity (a backup restored onto a
      -- second PC while the first runs) numbers from the same place: 0008 would skip by number
      -- mutations central never received, and the counter would drop them as sent. A mutation
      -- central does not know (and that is not older than its memory, above) is let through
      -- whatever its number; the number is put back after.
      SELECT min((x.m ->> 'seq')::bigint) INTO lowest FROM jsonb_array_elements(p_mutations) AS x(m)
        WHERE (x.m ->> 'seq')::bigint <= k.last_mutation_seq
          AND NOT EXISTS (SELECT 1 FROM processed_mutations pm WHERE pm.mutation_id = (x.m ->> 'id')::uuid);
      IF lowest IS NOT NULL THEN
        UPDATE kiosks SET last_mutation_seq = lowest - 1 WHERE client_id = p_client;
      END IF;
      answer := sync_push_batch(p_client, p_mutations, p_isolate);
      IF lowest IS NOT NULL AND (answer ->> 'lastSeq')::bigint < k.last_mutation_seq THEN
        UPDATE kiosks SET last_mutation_seq = k.last_mutation_seq WHERE client_id = p_client;
        answer := jsonb_set(answer, '{lastSeq}', to_jsonb(k.last_mutation_seq));
      END IF;
      IF n = 0 THEN RETURN answer; END IF;
      -- 0008 counted them as skipped (already processed): the answer names them apart.
      counts := answer -> 'counts';
      skipped := coalesce((counts ->> 'skipped')::integer, 0) - n;
      counts := (counts - 'skipped') || jsonb_build_object('expired', n)
        || CASE WHEN skipped > 0 THEN jsonb_build_object('skipped', skipped) ELSE '{}'::jsonb END;
      RETURN jsonb_set(answer, '{counts}', counts);
    END $$;
    REVOKE EXECUTE ON FUNCTION sync_push(uuid, jsonb, boolean) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION sync_push(uuid, jsonb, boolean) TO webdesk_kiosk;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP FUNCTION sync_push(uuid, jsonb, boolean);
    ALTER FUNCTION sync_push_batch(uuid, jsonb, boolean) RENAME TO sync_push;
    GRANT EXECUTE ON FUNCTION sync_push(uuid, jsonb, boolean) TO webdesk_kiosk;
    DROP FUNCTION sync_uuid7_time(uuid);
    DROP TRIGGER processed_mutations_forgotten ON processed_mutations;
    DROP FUNCTION sync_forget_mutations();
    ALTER TABLE change_log_horizon DROP COLUMN mutations_before;
  `);
}
