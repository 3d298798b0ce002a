import type { Knex } from 'knex';

/**
 * マイページ's e-mail change code typed at an online counter is decided at central before the
 * counter answers, as a reset code is (0018) and a password (0019); docs/decisions.md "An online
 * counter claims a login at central". The push adds wrong codes only after the answers, so a
 * burst over two counters passed the void at 5, and one code could confirm at both.
 * `sync_claim_email_change` takes the change's row lock and either confirms it (pending →
 * confirmed) or counts one wrong code (void at the cap); past the cap or once closed it changes
 * nothing. It answers with the outcome and central's row, which the counter writes into its
 * replica as a pulled row (nothing travels back up). The new address reaches central with the
 * account's push, as before.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION sync_claim_email_change(p_client uuid, p_change text, p_use boolean, p_confirmed_at text, p_max_attempts integer) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      k kiosks%ROWTYPE;
      here text := nullif(current_setting('webdesk.instance', true), '');
      cur contact_changes%ROWTYPE;
      -- The stricter of the counter's setting and central's: neither may be passed.
      cap integer := least(p_max_attempts, sync_limit('max_code_attempts', 5));
      outcome text;
    BEGIN
      k := sync_check_client(p_client);
      IF here IS NOT NULL AND k.instance IS NOT NULL AND k.instance <> here THEN
        RAISE EXCEPTION 'counter % (client %) claims a code from another installation', k.kiosk_id, k.client_id USING ERRCODE = 'WD002';
      END IF;
      -- The row lock serialises every claim and every push on this change, whichever counter sends it.
      SELECT * INTO cur FROM contact_changes WHERE id = p_change FOR UPDATE;
      IF NOT FOUND THEN
        -- Made at this counter and not pushed yet: only it knows the change.
        RETURN jsonb_build_object('outcome', 'unknown');
      END IF;
      IF cur.status <> 'pending' OR cur.attempts >= cap THEN
        outcome := 'closed';
      ELSIF p_use THEN
        UPDATE contact_changes SET status = 'confirmed', confirmed_at = p_confirmed_at WHERE id = p_change;
        outcome := 'used';
      ELSE
        UPDATE contact_changes SET attempts = attempts + 1, status = CASE WHEN attempts + 1 >= cap THEN 'voided' ELSE status END
          WHERE id = p_change;
        outcome := 'counted';
      END IF;
      RETURN jsonb_build_object('outcome', outcome, 'row', (SELECT to_jsonb(c) FROM contact_changes c WHERE c.id = p_change));
    END $$;
    REVOKE EXECUTE ON FUNCTION sync_claim_email_change(uuid, text, boolean, text, integer) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION sync_claim_email_change(uuid, text, boolean, text, integer) TO webdesk_kiosk;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP FUNCTION sync_claim_email_change(uuid, text, boolean, text, integer)`);
}
