import type { Knex } from 'knex';

/**
 * Every kiosk's audit log at central (issue 14 item 5, ASVS V16.4.3: logs kept on a separate
 * system). Rows arrive as the kiosk wrote them — seq, the hashed fields, prev_hash and hash —
 * so central holds the same per-replica hash chain and `audit:verify -- --central` can walk it
 * with the kiosk's own rules.
 *
 * The chain is enforced here, by the database, not by the kiosk's code: a BEFORE INSERT trigger
 * refuses a row whose prev_hash is not the hash of the last row central holds for that replica,
 * or whose seq does not follow it, whoever inserts it (a kiosk through audit_append, or an
 * operator's role by hand). UPDATE is refused outright; DELETE only for the prefix a retention
 * purge marker names (the `audit.purged` row, signed at the kiosk), applied when that row
 * arrives, so central forgets what the kiosk forgot (APPI) and the chain still verifies from
 * the marker on. The first row central gets for a replica may start anywhere: a counter that
 * purged while standalone joins with a log that starts after its marker, which audit:verify
 * then checks as it does locally.
 *
 * kiosk_audit_heads keeps, per replica, the last row held (the check's reference, locked per
 * insert so two pushes cannot interleave) and the head the kiosk last reported of its own log,
 * which is how a log shortened at the kiosk shows at central.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE kiosk_audit_heads (
      client_id uuid PRIMARY KEY REFERENCES kiosks (client_id),
      kiosk_id text NOT NULL,
      rows_held bigint NOT NULL DEFAULT 0,
      first_seq integer,
      last_seq integer NOT NULL DEFAULT 0,
      last_hash text,
      last_at text,
      received_at timestamptz,
      purged_through integer NOT NULL DEFAULT 0,
      local_seq integer,
      local_hash text,
      local_reported_at timestamptz,
      refusal text,
      refused_at timestamptz
    );

    CREATE TABLE kiosk_audit_log (
      client_id uuid NOT NULL REFERENCES kiosk_audit_heads (client_id),
      seq integer NOT NULL,
      at text NOT NULL,
      actor text NOT NULL,
      action text NOT NULL,
      subject text,
      detail_json text NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (client_id, seq)
    );
    CREATE INDEX kiosk_audit_log_at ON kiosk_audit_log (at);
    CREATE INDEX kiosk_audit_log_action ON kiosk_audit_log (action, at);
    CREATE INDEX kiosk_audit_log_actor ON kiosk_audit_log (actor, at);

    CREATE FUNCTION kiosk_audit_chain_check() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE h kiosk_audit_heads%ROWTYPE;
    BEGIN
      INSERT INTO kiosk_audit_heads (client_id, kiosk_id)
        SELECT NEW.client_id, k.kiosk_id FROM kiosks k WHERE k.client_id = NEW.client_id
        ON CONFLICT (client_id) DO NOTHING;
      SELECT * INTO h FROM kiosk_audit_heads WHERE client_id = NEW.client_id FOR UPDATE;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'audit row for unknown client %', NEW.client_id USING ERRCODE = '23503';
      END IF;
      IF h.last_hash IS NOT NULL THEN
        IF NEW.seq <= h.last_seq THEN
          RAISE EXCEPTION 'audit row % of % refused: central already holds the chain through seq %', NEW.seq, h.kiosk_id, h.last_seq
            USING ERRCODE = '23514';
        END IF;
        IF NEW.prev_hash <> h.last_hash THEN
          RAISE EXCEPTION 'audit row % of % refused: its previous hash is not the hash of seq %, the last one central holds', NEW.seq, h.kiosk_id, h.last_seq
            USING ERRCODE = '23514';
        END IF;
      END IF;
      UPDATE kiosk_audit_heads
         SET last_seq = NEW.seq, last_hash = NEW.hash, last_at = NEW.at, received_at = now(),
             rows_held = rows_held + 1, first_seq = coalesce(first_seq, NEW.seq)
       WHERE client_id = NEW.client_id;
      RETURN NEW;
    END $$;

    CREATE TRIGGER kiosk_audit_log_chain BEFORE INSERT ON kiosk_audit_log
      FOR EACH ROW EXECUTE FUNCTION kiosk_audit_chain_check();

    -- A retention purge at the kiosk: its signed marker row names the prefix it removed
    -- (throughSeq) and the hash of the last removed row (anchorHash). Central removes the same
    -- prefix, and only when the anchor is the hash it holds there (the marker belongs to this chain).
    CREATE FUNCTION kiosk_audit_apply_purge() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      d jsonb := NEW.detail_json::jsonb;
      through integer := (d ->> 'throughSeq')::integer;
      held text;
      removed bigint;
    BEGIN
      IF through IS NULL OR through >= NEW.seq OR d ->> 'anchorHash' IS NULL THEN
        RAISE EXCEPTION 'audit purge marker % of client % names no prefix before it', NEW.seq, NEW.client_id USING ERRCODE = '23514';
      END IF;
      SELECT hash INTO held FROM kiosk_audit_log WHERE client_id = NEW.client_id AND seq = through;
      IF held IS NOT NULL AND held <> d ->> 'anchorHash' THEN
        RAISE EXCEPTION 'audit purge marker % of client %: its anchor is not the hash central holds at seq %', NEW.seq, NEW.client_id, through
          USING ERRCODE = '23514';
      END IF;
      PERFORM set_config('webdesk.audit_purge', NEW.client_id::text || ':' || through, true);
      DELETE FROM kiosk_audit_log WHERE client_id = NEW.client_id AND seq <= through;
      GET DIAGNOSTICS removed = ROW_COUNT;
      PERFORM set_config('webdesk.audit_purge', '', true);
      UPDATE kiosk_audit_heads
         SET purged_through = greatest(purged_through, through), rows_held = rows_held - removed,
             first_seq = (SELECT min(seq) FROM kiosk_audit_log WHERE client_id = NEW.client_id)
       WHERE client_id = NEW.client_id;
      RETURN NULL;
    END $$;

    CREATE TRIGGER kiosk_audit_log_purge AFTER INSERT ON kiosk_audit_log
      FOR EACH ROW WHEN (NEW.action = 'audit.purged') EXECUTE FUNCTION kiosk_audit_apply_purge();

    CREATE FUNCTION kiosk_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE permit text := coalesce(current_setting('webdesk.audit_purge', true), '');
    BEGIN
      IF TG_OP = 'DELETE' AND permit <> ''
         AND split_part(permit, ':', 1) = OLD.client_id::text AND OLD.seq <= split_part(permit, ':', 2)::integer THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'kiosk_audit_log is append-only' USING ERRCODE = '42501';
    END $$;

    CREATE TRIGGER kiosk_audit_log_no_change BEFORE UPDATE OR DELETE ON kiosk_audit_log
      FOR EACH ROW EXECUTE FUNCTION kiosk_audit_append_only();
    CREATE TRIGGER kiosk_audit_log_no_truncate BEFORE TRUNCATE ON kiosk_audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION kiosk_audit_append_only();

    -- One batch in one transaction. Rows central already holds are skipped when their hash is
    -- the one held (a batch sent again after a crash), and refused when it differs (the kiosk's
    -- log was rewritten after it left). A refused batch adds nothing, but the refusal and the
    -- kiosk's own head (sent with every call) are kept: they are the evidence audit:verify shows.
    CREATE FUNCTION audit_append(p_client uuid, p_rows jsonb, p_local_seq integer, p_local_hash text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      k kiosks%ROWTYPE;
      h kiosk_audit_heads%ROWTYPE;
      differs integer;
      added bigint := 0;
      refused text;
    BEGIN
      SELECT * INTO k FROM kiosks WHERE client_id = p_client;
      IF NOT FOUND THEN RAISE EXCEPTION 'unknown client %', p_client USING ERRCODE = '42501'; END IF;
      IF k.role_name <> session_user AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        RAISE EXCEPTION 'client % belongs to role %', p_client, k.role_name USING ERRCODE = '42501';
      END IF;
      INSERT INTO kiosk_audit_heads (client_id, kiosk_id) VALUES (p_client, k.kiosk_id) ON CONFLICT (client_id) DO NOTHING;
      SELECT * INTO h FROM kiosk_audit_heads WHERE client_id = p_client FOR UPDATE;

      BEGIN
        SELECT min(x.seq) INTO differs
          FROM jsonb_to_recordset(p_rows) AS x(seq integer, hash text)
          JOIN kiosk_audit_log l ON l.client_id = p_client AND l.seq = x.seq
         WHERE l.hash <> x.hash;
        IF differs IS NOT NULL THEN
          RAISE EXCEPTION 'audit row % of % differs from the one central holds', differs, k.kiosk_id USING ERRCODE = '23514';
        END IF;

        INSERT INTO kiosk_audit_log (client_id, seq, at, actor, action, subject, detail_json, prev_hash, hash)
        SELECT p_client, x.seq, x.at, x.actor, x.action, x.subject, x.detail_json, x.prev_hash, x.hash
          FROM jsonb_to_recordset(p_rows) AS x(seq integer, at text, actor text, action text, subject text, detail_json text, prev_hash text, hash text)
         WHERE h.last_hash IS NULL OR x.seq > h.last_seq
         ORDER BY x.seq;
        GET DIAGNOSTICS added = ROW_COUNT;
      EXCEPTION WHEN check_violation THEN
        GET STACKED DIAGNOSTICS refused = MESSAGE_TEXT;
        added := 0;
      END;

      UPDATE kiosk_audit_heads
         SET local_seq = p_local_seq, local_hash = p_local_hash, local_reported_at = now(),
             refusal = coalesce(refused, refusal), refused_at = CASE WHEN refused IS NULL THEN refused_at ELSE now() END
       WHERE client_id = p_client RETURNING * INTO h;
      RETURN jsonb_build_object('added', added, 'lastSeq', h.last_seq, 'lastHash', h.last_hash, 'refused', refused);
    END $$;

    REVOKE EXECUTE ON FUNCTION audit_append(uuid, jsonb, integer, text), kiosk_audit_chain_check(), kiosk_audit_apply_purge(), kiosk_audit_append_only() FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION audit_append(uuid, jsonb, integer, text) TO webdesk_kiosk;
    -- Supervisors at any counter read the fleet's log (監査ログ 全窓口) and its progress (同期の状態).
    GRANT SELECT ON kiosk_audit_log, kiosk_audit_heads TO webdesk_kiosk;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP FUNCTION audit_append(uuid, jsonb, integer, text);
    DROP TABLE kiosk_audit_log;
    DROP TABLE kiosk_audit_heads;
    DROP FUNCTION kiosk_audit_chain_check(), kiosk_audit_apply_purge(), kiosk_audit_append_only();
  `);
}
