import type { Knex } from 'knex';

/**
 * An admin's acceptance of a cut counter log (docs/operations-sync.md §5 "When a kiosk is named").
 * `audit:verify -- --central` names a counter whose newest entries were removed after they
 * reached central; after investigating, an admin accepts that gap (`npm run audit:accept`, or
 * 同期の状態). The acceptance is a row of its own append-only hash chain here: who, at which
 * counter, which counter's entries (from_seq–to_seq, still held here and shown), the refusal it
 * answers, why and when (central's clock). From then on:
 * - verification reports the gap as accepted instead of failing;
 * - the counter's stream resumes: its next entry links to the last entry it kept (anchor_hash),
 *   which the chain check allows once, right after the accepted gap (to_seq);
 * - anything later — another cut, a rewrite — is named as before.
 * audit_append now also keeps the link of the first row it refused (refused_link), which is how
 * central finds where a counter's log was cut when the counter wrote on before it reported.
 */
/** 0012's chain check; with `accepted`, the one link right after an accepted gap is allowed too. */
const chainCheck = (accepted: boolean) => `
CREATE OR REPLACE FUNCTION kiosk_audit_chain_check() RETURNS trigger LANGUAGE plpgsql AS $$
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
        IF NEW.prev_hash <> h.last_hash${accepted ? ` AND NOT EXISTS (
             SELECT 1 FROM kiosk_audit_acceptances a
              WHERE a.client_id = NEW.client_id AND a.to_seq = h.last_seq AND a.anchor_hash = NEW.prev_hash)` : ''} THEN
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
`;

/** 0012's audit_append; with `withLink`, the link of the first refused row is kept. */
const auditAppend = (withLink: boolean) => `
CREATE OR REPLACE FUNCTION audit_append(p_client uuid, p_rows jsonb, p_local_seq integer, p_local_hash text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      k kiosks%ROWTYPE;
      h kiosk_audit_heads%ROWTYPE;
      differs integer;
      added bigint := 0;
      refused text;
      link text;
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
${withLink ? `        SELECT x.prev_hash INTO link FROM jsonb_to_recordset(p_rows) AS x(seq integer, prev_hash text)
         WHERE h.last_hash IS NULL OR x.seq > h.last_seq ORDER BY x.seq LIMIT 1;
` : ''}      END;

      UPDATE kiosk_audit_heads
         SET local_seq = p_local_seq, local_hash = p_local_hash, local_reported_at = now(),
             refusal = coalesce(refused, refusal), refused_at = CASE WHEN refused IS NULL THEN refused_at ELSE now() END
${withLink ? `             , refused_link = CASE WHEN refused IS NULL THEN refused_link ELSE link END
` : ''}       WHERE client_id = p_client RETURNING * INTO h;
      RETURN jsonb_build_object('added', added, 'lastSeq', h.last_seq, 'lastHash', h.last_hash, 'refused', refused);
    END $$;
`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE kiosk_audit_heads ADD COLUMN refused_link text;

    CREATE TABLE kiosk_audit_acceptances (
      id bigserial PRIMARY KEY,
      client_id uuid NOT NULL REFERENCES kiosk_audit_heads (client_id),
      kiosk_id text NOT NULL,
      from_seq integer NOT NULL,
      to_seq integer NOT NULL,
      anchor_hash text NOT NULL,
      refusal text,
      accepted_by text NOT NULL,
      accepted_at_kiosk text NOT NULL,
      -- The database login that recorded it (the counter's role, or the operator's): not the caller's word.
      accepted_role text NOT NULL,
      accepted_at text NOT NULL,
      reason text NOT NULL CHECK (length(btrim(reason)) > 0),
      prev_hash text NOT NULL,
      hash text NOT NULL,
      UNIQUE (client_id, to_seq),
      CHECK (from_seq <= to_seq)
    );

    -- The bytes the chain hashes: each field as <length>:<value>, so no separator can be forged.
    CREATE FUNCTION audit_acceptance_digest(p_prev text, p_fields text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT encode(sha256(convert_to(p_prev || string_agg(length(f)::text || ':' || f, '' ORDER BY i), 'UTF8')), 'hex')
        FROM unnest(p_fields) WITH ORDINALITY AS u(f, i)
    $$;

    -- Whoever inserts (the function below, or an operator by hand), the row is chained here.
    CREATE FUNCTION kiosk_audit_acceptance_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('kiosk_audit_acceptances'));
      NEW.prev_hash := coalesce((SELECT hash FROM kiosk_audit_acceptances ORDER BY id DESC LIMIT 1), repeat('0', 64));
      NEW.accepted_at := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
      NEW.accepted_role := session_user;
      NEW.hash := audit_acceptance_digest(NEW.prev_hash, ARRAY['audit.accept.v1', NEW.id::text, NEW.client_id::text, NEW.kiosk_id,
        NEW.from_seq::text, NEW.to_seq::text, NEW.anchor_hash, coalesce(NEW.refusal, ''), NEW.accepted_by, NEW.accepted_at_kiosk,
        NEW.accepted_role, NEW.accepted_at, NEW.reason]);
      RETURN NEW;
    END $$;
    CREATE TRIGGER kiosk_audit_acceptances_chain BEFORE INSERT ON kiosk_audit_acceptances
      FOR EACH ROW EXECUTE FUNCTION kiosk_audit_acceptance_chain();

    CREATE FUNCTION kiosk_audit_acceptances_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'kiosk_audit_acceptances is append-only' USING ERRCODE = '42501';
    END $$;
    CREATE TRIGGER kiosk_audit_acceptances_no_change BEFORE UPDATE OR DELETE ON kiosk_audit_acceptances
      FOR EACH ROW EXECUTE FUNCTION kiosk_audit_acceptances_append_only();
    CREATE TRIGGER kiosk_audit_acceptances_no_truncate BEFORE TRUNCATE ON kiosk_audit_acceptances
      FOR EACH STATEMENT EXECUTE FUNCTION kiosk_audit_acceptances_append_only();

    -- The chain check of 0012, plus: right after an accepted gap, the counter's next entry links
    -- to the last entry it kept (the acceptance's anchor), not to central's last.
    ${chainCheck(true)}

    -- 0012's audit_append, keeping the link of the first refused row (where the counter's log continues from).
    ${auditAppend(true)}

    -- An admin accepts the gap central sees for one counter, after investigating it.
    CREATE FUNCTION audit_accept_gap(p_client uuid, p_by text, p_reason text, p_at_kiosk text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      h kiosk_audit_heads%ROWTYPE;
      cut integer;
      link text;
      a kiosk_audit_acceptances%ROWTYPE;
    BEGIN
      IF p_reason IS NULL OR length(btrim(p_reason)) = 0 THEN
        RAISE EXCEPTION 'a reason is required' USING ERRCODE = '22023';
      END IF;
      SELECT * INTO h FROM kiosk_audit_heads WHERE client_id = p_client FOR UPDATE;
      IF NOT FOUND THEN RAISE EXCEPTION 'no audit stream from client %', p_client USING ERRCODE = 'P0002'; END IF;
      IF h.local_seq IS NOT NULL AND h.local_seq < h.last_seq THEN
        cut := h.local_seq;
        link := h.local_hash;
      ELSIF h.refusal IS NOT NULL AND h.refused_link IS NOT NULL THEN
        link := h.refused_link;
        SELECT seq INTO cut FROM kiosk_audit_log WHERE client_id = p_client AND hash = link;
      ELSE
        RAISE EXCEPTION 'the audit log of % has no gap to accept', h.kiosk_id USING ERRCODE = 'P0002';
      END IF;
      IF cut IS NULL OR link IS NULL OR cut >= h.last_seq
         OR NOT EXISTS (SELECT 1 FROM kiosk_audit_log WHERE client_id = p_client AND seq = cut AND hash = link) THEN
        RAISE EXCEPTION 'the audit log of % does not continue from an entry central holds (rewritten, not cut): it cannot be accepted; give the counter a new data folder', h.kiosk_id
          USING ERRCODE = '23514';
      END IF;
      INSERT INTO kiosk_audit_acceptances (client_id, kiosk_id, from_seq, to_seq, anchor_hash, refusal, accepted_by, accepted_at_kiosk, accepted_role, accepted_at, reason, prev_hash, hash)
      VALUES (p_client, h.kiosk_id, cut + 1, h.last_seq, link, h.refusal, p_by, p_at_kiosk, '', '', btrim(p_reason), '', '')
      RETURNING * INTO a;
      UPDATE kiosk_audit_heads SET refusal = NULL, refused_at = NULL, refused_link = NULL WHERE client_id = p_client;
      RETURN jsonb_build_object('id', a.id, 'kioskId', a.kiosk_id, 'fromSeq', a.from_seq, 'toSeq', a.to_seq, 'acceptedAt', a.accepted_at);
    END $$;

    REVOKE ALL ON kiosk_audit_acceptances FROM PUBLIC;
    REVOKE EXECUTE ON FUNCTION audit_accept_gap(uuid, text, text, text), kiosk_audit_acceptance_chain(), kiosk_audit_acceptances_append_only() FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION audit_accept_gap(uuid, text, text, text) TO webdesk_kiosk;
    GRANT SELECT ON kiosk_audit_acceptances TO webdesk_kiosk;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP FUNCTION audit_accept_gap(uuid, text, text, text);
    ${chainCheck(false)}
    ${auditAppend(false)}
    DROP TABLE kiosk_audit_acceptances;
    DROP FUNCTION kiosk_audit_acceptance_chain(), kiosk_audit_acceptances_append_only(), audit_acceptance_digest(text, text[]);
    ALTER TABLE kiosk_audit_heads DROP COLUMN refused_link;
  `);
}
