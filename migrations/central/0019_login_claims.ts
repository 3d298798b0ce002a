import type { Knex } from 'knex';

/**
 * A password typed at an online counter is decided at central before the counter answers, as
 * a code is (0018; docs/decisions.md "An online counter claims a login at central"). The push
 * adds a counter's login failures only after its answers, and each counter read the count from
 * its own replica: 10 + 10 wrong passwords at once at two counters got 16-18 LOGIN_FAILED
 * against a lock at 10. `sync_claim_login` takes the subject's lock (the account's row; for a
 * JSA-ID on no account, a transaction lock on its bucket), reads the lock and the count there,
 * and either counts one failure (locking at the cap) or lets a right password through, in the
 * same transaction; past the cap it changes nothing. It answers with the outcome and the rows it
 * wrote, which the counter writes into its replica as pulled rows (nothing travels back up).
 * A JSA-ID on no account takes the same steps, so the round trip does not tell the two apart.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION sync_claim_login(p_client uuid, p_jsa_id text, p_failed boolean, p_key text, p_at_ms bigint, p_max integer) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      k kiosks%ROWTYPE;
      here text := nullif(current_setting('webdesk.instance', true), '');
      acc accounts%ROWTYPE;
      -- The stricter of the counter's setting and central's: neither may be passed.
      cap integer := least(p_max, sync_limit('max_login_failures', 10));
      now_ms bigint := floor(extract(epoch FROM now()) * 1000);
      v_bucket text;
      since bigint;
      failures integer;
      lock_row jsonb;
      outcome text;
    BEGIN
      k := sync_check_client(p_client);
      IF here IS NOT NULL AND k.instance IS NOT NULL AND k.instance <> here THEN
        RAISE EXCEPTION 'counter % (client %) claims a login from another installation', k.kiosk_id, k.client_id USING ERRCODE = 'WD002';
      END IF;
      -- The row lock serialises every claim on this account, whichever counter sends it (and sync_lock_logins' push).
      SELECT * INTO acc FROM accounts WHERE jsa_id = p_jsa_id AND password_hash IS NOT NULL FOR UPDATE;
      IF FOUND THEN
        v_bucket := 'loginfail:' || acc.id;
        -- As account-service.ts and sync_lock_logins count: the last 24 h, since the password and the last unlock.
        since := greatest(now_ms - 86400000,
          floor(extract(epoch FROM acc.password_changed_at::timestamptz) * 1000)::bigint - 1,
          (SELECT floor(extract(epoch FROM max(l.unlocked_at)::timestamptz) * 1000)::bigint FROM account_locks l WHERE l.account_id = acc.id AND l.kind = 'login'));
      ELSE
        v_bucket := 'loginfail-id:' || p_jsa_id;
        PERFORM pg_advisory_xact_lock(hashtext(v_bucket));
        since := now_ms - 86400000;
      END IF;
      SELECT count(*) INTO failures FROM limit_events WHERE limit_events.bucket = v_bucket AND at_ms > since;
      IF acc.id IS NOT NULL AND EXISTS (SELECT 1 FROM account_locks WHERE account_id = acc.id AND kind = 'login' AND unlocked_at IS NULL) OR failures >= cap THEN
        outcome := 'locked';
      ELSIF NOT p_failed THEN
        outcome := 'open';
      ELSE
        INSERT INTO limit_events (key, bucket, at_ms) VALUES (p_key, v_bucket, p_at_ms);
        failures := failures + 1;
        outcome := 'counted';
        IF failures >= cap THEN
          outcome := 'locked-now';
          IF acc.id IS NOT NULL THEN
            INSERT INTO account_locks (key, account_id, kind, reason, locked_at)
            VALUES ('central:' || gen_random_uuid(), acc.id, 'login', 'too-many-login-failures', sync_now_iso())
            RETURNING to_jsonb(account_locks.*) INTO lock_row;
          END IF;
        END IF;
      END IF;
      RETURN jsonb_build_object('outcome', outcome, 'failures', failures, 'lock', lock_row,
        'event', CASE WHEN outcome IN ('counted', 'locked-now') THEN jsonb_build_object('key', p_key, 'bucket', v_bucket, 'at_ms', p_at_ms) END);
    END $$;
    REVOKE EXECUTE ON FUNCTION sync_claim_login(uuid, text, boolean, text, bigint, integer) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION sync_claim_login(uuid, text, boolean, text, bigint, integer) TO webdesk_kiosk;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP FUNCTION sync_claim_login(uuid, text, boolean, text, bigint, integer)`);
}
