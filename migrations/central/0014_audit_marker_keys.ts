import type { Knex } from 'knex';

/**
 * The public halves of the counters' audit-marker keys (docs/decisions.md "Audit marker keys").
 * A retention purge at a counter leaves a marker signed with that counter's own Ed25519 key;
 * `audit:verify -- --central` checks the markers of a counter's chain against the keys
 * registered here for that counter's client. Kept for ever: unlike the code keys (0011),
 * nothing here is secret and nothing is retired, so a marker written before any number of
 * code-key rotations and retirements still verifies. Append-only: a key once registered for a
 * client is never changed, moved to another client, or removed (the owner's role included).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE audit_marker_keys (
      id text PRIMARY KEY,
      client_id uuid NOT NULL REFERENCES kiosks (client_id),
      public_key text NOT NULL,
      registered_at timestamptz NOT NULL DEFAULT now(),
      CHECK (id = 'm-' || left(encode(sha256(decode(public_key, 'hex')), 'hex'), 12))
    );
    CREATE INDEX audit_marker_keys_client ON audit_marker_keys (client_id);

    CREATE FUNCTION audit_marker_keys_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_marker_keys is append-only' USING ERRCODE = '42501';
    END $$;
    CREATE TRIGGER audit_marker_keys_no_change BEFORE UPDATE OR DELETE ON audit_marker_keys
      FOR EACH ROW EXECUTE FUNCTION audit_marker_keys_append_only();
    CREATE TRIGGER audit_marker_keys_no_truncate BEFORE TRUNCATE ON audit_marker_keys
      FOR EACH STATEMENT EXECUTE FUNCTION audit_marker_keys_append_only();

    -- A kiosk registers its own key, for its own client only; again is a no-op.
    CREATE FUNCTION audit_marker_key_register(p_client uuid, p_id text, p_public text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      k kiosks%ROWTYPE;
      held audit_marker_keys%ROWTYPE;
    BEGIN
      SELECT * INTO k FROM kiosks WHERE client_id = p_client;
      IF NOT FOUND THEN RAISE EXCEPTION 'unknown client %', p_client USING ERRCODE = '42501'; END IF;
      IF k.role_name <> session_user AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        RAISE EXCEPTION 'client % belongs to role %', p_client, k.role_name USING ERRCODE = '42501';
      END IF;
      SELECT * INTO held FROM audit_marker_keys WHERE id = p_id;
      IF FOUND THEN
        IF held.client_id <> p_client OR held.public_key <> p_public THEN
          RAISE EXCEPTION 'audit marker key % is registered for another client', p_id USING ERRCODE = '23505';
        END IF;
        RETURN;
      END IF;
      INSERT INTO audit_marker_keys (id, client_id, public_key) VALUES (p_id, p_client, p_public);
    END $$;

    REVOKE ALL ON audit_marker_keys FROM PUBLIC;
    REVOKE EXECUTE ON FUNCTION audit_marker_key_register(uuid, text, text), audit_marker_keys_append_only() FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION audit_marker_key_register(uuid, text, text) TO webdesk_kiosk;
    -- Public keys: any counter checking the fleet's chains (audit:verify --central) reads them.
    GRANT SELECT ON audit_marker_keys TO webdesk_kiosk;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP FUNCTION audit_marker_key_register(uuid, text, text);
    DROP TABLE audit_marker_keys;
    DROP FUNCTION audit_marker_keys_append_only();
  `);
}
