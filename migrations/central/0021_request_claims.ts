import type { Knex } from 'knex';

/**
 * A reset request sent at an online counter passes the request caps at central before the
 * counter answers, as a code (0018) and a login (0019) are decided there (docs/decisions.md
 * "An online counter claims a request's caps at central"). Each counter checked the caps on its
 * own replica and pushed its events after the answer: 3 + 3 requests at two counters at once
 * passed the 60 s cooldown at both, and rounds of such bursts got 6 requests for one JSA-ID
 * through against the cap of 5. `sync_claim_request` takes a transaction lock on each bucket
 * (the typed JSA-ID's and address's, in one order), reads the cooldown and the hour's count
 * there, and either refuses (nothing counted: a refused try must not extend the wait) or counts
 * one event per bucket under the counter's keys, in the same transaction. The buckets are what
 * was typed, so a made-up JSA-ID or address takes the same steps as a real one. The counter
 * writes the events into its replica as pulled rows (nothing travels back up).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION sync_claim_request(p_client uuid, p_buckets text[], p_caps integer[], p_keys text[], p_at_ms bigint,
      p_cooldown_s integer, p_skew_ms bigint) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      k kiosks%ROWTYPE;
      here text := nullif(current_setting('webdesk.instance', true), '');
      b text;
      i integer;
      newest bigint;
      wait integer;
      events jsonb := '[]'::jsonb;
    BEGIN
      k := sync_check_client(p_client);
      IF here IS NOT NULL AND k.instance IS NOT NULL AND k.instance <> here THEN
        RAISE EXCEPTION 'counter % (client %) claims a request from another installation', k.kiosk_id, k.client_id USING ERRCODE = 'WD002';
      END IF;
      IF coalesce(array_length(p_buckets, 1), 0) = 0 OR array_length(p_caps, 1) IS DISTINCT FROM array_length(p_buckets, 1)
        OR array_length(p_keys, 1) IS DISTINCT FROM array_length(p_buckets, 1) THEN
        RAISE EXCEPTION 'a request claim needs one cap and one key per bucket' USING ERRCODE = '22023';
      END IF;
      -- Locks taken in one order: a claim for (JSA-ID, address) and one for (another JSA-ID, the same address) cannot deadlock.
      FOR b IN SELECT x FROM unnest(p_buckets) x ORDER BY x LOOP
        PERFORM pg_advisory_xact_lock(hashtext(b));
      END LOOP;
      -- As limits-service.ts admitResetRequest: the cooldown first, bucket by bucket in the counter's order, then the hour's caps.
      FOR i IN 1 .. array_length(p_buckets, 1) LOOP
        SELECT max(at_ms) INTO newest FROM limit_events WHERE bucket = p_buckets[i] AND at_ms <= p_at_ms + p_skew_ms;
        IF newest IS NOT NULL THEN
          wait := greatest(0, ceil((least(newest, p_at_ms) + p_cooldown_s * 1000 - p_at_ms) / 1000.0)::integer);
          IF wait > 0 THEN
            RETURN jsonb_build_object('outcome', 'cooldown', 'seconds', wait);
          END IF;
        END IF;
      END LOOP;
      FOR i IN 1 .. array_length(p_buckets, 1) LOOP
        IF (SELECT count(*) FROM limit_events WHERE bucket = p_buckets[i] AND at_ms > p_at_ms - 3600000) >= p_caps[i] THEN
          RETURN jsonb_build_object('outcome', 'limited');
        END IF;
      END LOOP;
      FOR i IN 1 .. array_length(p_buckets, 1) LOOP
        INSERT INTO limit_events (key, bucket, at_ms) VALUES (p_keys[i], p_buckets[i], p_at_ms);
        events := events || jsonb_build_object('key', p_keys[i], 'bucket', p_buckets[i], 'at_ms', p_at_ms);
      END LOOP;
      RETURN jsonb_build_object('outcome', 'admitted', 'events', events);
    END $$;
    REVOKE EXECUTE ON FUNCTION sync_claim_request(uuid, text[], integer[], text[], bigint, integer, bigint) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION sync_claim_request(uuid, text[], integer[], text[], bigint, integer, bigint) TO webdesk_kiosk;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP FUNCTION sync_claim_request(uuid, text[], integer[], text[], bigint, integer, bigint)`);
}
