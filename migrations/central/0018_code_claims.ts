import type { Knex } from 'knex';

/**
 * A code typed at an online counter is decided at central before the counter answers
 * (docs/decisions.md "An online counter claims a code at central"). The push adds a counter's
 * wrong codes and uses up only after the answer, and two counters each decided from their own
 * replica: tries 70 ms apart at two counters got 7 wrong codes in before the void, and one
 * code opened パスワード登録 at both. `sync_claim_code` takes the request's row lock, reads the
 * caps and the lock there, and either spends the code (pending → verified with the counter's
 * grant) or counts one wrong code (void at the request's cap, lock at the day's), in the same
 * transaction; past a cap it changes nothing. It answers with the outcome and central's row,
 * which the counter writes into its replica as a pulled row (nothing travels back up).
 *
 * An installation central refuses (0017, WD002) is refused here too: its password changes
 * would never reach central, so it must not open パスワード登録 for anybody.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION sync_claim_code(p_client uuid, p_request text, p_use boolean, p_grant_hmac text, p_verified_at text,
      p_max_attempts integer, p_max_per_day integer) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      k kiosks%ROWTYPE;
      here text := nullif(current_setting('webdesk.instance', true), '');
      cur reset_requests%ROWTYPE;
      -- The stricter of the counter's setting and central's: neither may be passed.
      cap integer := least(p_max_attempts, sync_limit('max_code_attempts', 5));
      day_cap integer := least(p_max_per_day, sync_limit('max_failures_per_day', 10));
      failures integer;
      outcome text;
    BEGIN
      k := sync_check_client(p_client);
      IF here IS NOT NULL AND k.instance IS NOT NULL AND k.instance <> here THEN
        RAISE EXCEPTION 'counter % (client %) claims a code from another installation', k.kiosk_id, k.client_id USING ERRCODE = 'WD002';
      END IF;
      -- The row lock serialises every claim and every push on this request, whichever counter sends it.
      SELECT * INTO cur FROM reset_requests WHERE id = p_request FOR UPDATE;
      IF NOT FOUND THEN
        -- Made at this counter and not pushed yet (or under a key that stays local): only it knows the request.
        RETURN jsonb_build_object('outcome', 'unknown');
      END IF;
      IF EXISTS (SELECT 1 FROM account_locks WHERE account_id = cur.account_id AND kind = 'reset' AND unlocked_at IS NULL) THEN
        outcome := 'locked';
      ELSIF cur.status <> 'pending' OR cur.attempts >= cap THEN
        outcome := 'closed';
      ELSIF p_use THEN
        UPDATE reset_requests SET status = 'verified', grant_hmac = p_grant_hmac, verified_at = p_verified_at WHERE id = p_request;
        outcome := 'used';
      ELSE
        UPDATE reset_requests SET attempts = attempts + 1, status = CASE WHEN attempts + 1 >= cap THEN 'voided' ELSE status END
          WHERE id = p_request;
        INSERT INTO code_failures (account_id, request_id, kiosk_id, n) VALUES (cur.account_id, cur.id, k.kiosk_id, 1);
        SELECT coalesce(sum(n), 0) INTO failures FROM code_failures WHERE account_id = cur.account_id AND at > now() - interval '1 day';
        outcome := 'counted';
        IF failures >= day_cap THEN
          INSERT INTO account_locks (key, account_id, kind, reason, locked_at)
          VALUES ('central:' || gen_random_uuid(), cur.account_id, 'reset', 'too-many-code-failures', sync_now_iso());
          UPDATE reset_requests SET status = 'voided' WHERE id = p_request AND status = 'pending';
          outcome := 'locked-now';
        END IF;
      END IF;
      RETURN jsonb_build_object('outcome', outcome, 'failuresToday', failures,
        'row', (SELECT to_jsonb(r) FROM reset_requests r WHERE r.id = p_request));
    END $$;
    REVOKE EXECUTE ON FUNCTION sync_claim_code(uuid, text, boolean, text, text, integer, integer) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION sync_claim_code(uuid, text, boolean, text, text, integer, integer) TO webdesk_kiosk;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP FUNCTION sync_claim_code(uuid, text, boolean, text, text, integer, integer)`);
}
