import type { Knex } from 'knex';
import { replicated, rowFunctions } from './0006_set_based_push';

/**
 * The deployment's code keys live here (issue 14; docs/decisions.md "Code keys at central"):
 * - `code_keys`: one current key, earlier ones until they are retired. Kiosks cannot read the
 *   table; they receive the set through `sync_code_keys()` over their own login, on connect and
 *   whenever the change log shows a `code_keys` entry (a rotation or a retirement; the entry
 *   carries the key id only, never the key).
 * - every stored code / token / grant HMAC names its key (`key_id` on reset_requests and
 *   contact_changes); the generated row functions are rebuilt so the column travels.
 * - a superseded key is retired (its secret erased) once `p_grace` has passed since the rotation
 *   and no open request or e-mail change names it, so codes made before a rotation, also by a
 *   kiosk that was offline across it, stay valid until they expire.
 */
const withEvents = [...replicated.slice(0, 5), { name: 'limit_events', key: 'key', rules: false }, ...replicated.slice(5)];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE reset_requests ADD COLUMN key_id text;
    ALTER TABLE contact_changes ADD COLUMN key_id text;

    CREATE TABLE code_keys (
      id text PRIMARY KEY,
      secret text,
      created_at timestamptz NOT NULL DEFAULT now(),
      superseded_at timestamptz,
      retired_at timestamptz,
      CHECK ((retired_at IS NULL) = (secret IS NOT NULL))
    );
    CREATE UNIQUE INDEX code_keys_one_current ON code_keys ((true)) WHERE superseded_at IS NULL;
    REVOKE ALL ON code_keys FROM PUBLIC;

    CREATE FUNCTION sync_log_code_keys(p_id text, p_op text) RETURNS void LANGUAGE sql AS $$
      INSERT INTO change_log (table_name, row_key, op, row_data, origin)
      VALUES ('code_keys', p_id, p_op, jsonb_build_object('id', p_id), 'central');
    $$;

    -- The set a kiosk holds: every key not retired. Only kiosk roles (and the operator) may ask.
    CREATE FUNCTION sync_code_keys() RETURNS TABLE (id text, secret text, current boolean)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      IF NOT pg_has_role(session_user, 'webdesk_kiosk', 'MEMBER') AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        RAISE EXCEPTION 'role % is not a kiosk role', session_user USING ERRCODE = '42501';
      END IF;
      RETURN QUERY SELECT k.id, k.secret, k.superseded_at IS NULL FROM code_keys k WHERE k.retired_at IS NULL ORDER BY k.created_at;
    END $$;
    REVOKE EXECUTE ON FUNCTION sync_code_keys() FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION sync_code_keys() TO webdesk_kiosk;

    -- Operator only (npm run central:migrate / central:rotate-key): a new current key.
    CREATE FUNCTION sync_rotate_code_key(p_id text, p_secret text) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE code_keys SET superseded_at = now() WHERE superseded_at IS NULL;
      INSERT INTO code_keys (id, secret) VALUES (p_id, p_secret);
      PERFORM sync_log_code_keys(p_id, 'insert');
    END $$;

    CREATE FUNCTION sync_retire_code_keys(p_grace interval) RETURNS SETOF text LANGUAGE plpgsql AS $$
    DECLARE k text;
    BEGIN
      FOR k IN
        UPDATE code_keys c SET retired_at = now(), secret = NULL
         WHERE c.superseded_at IS NOT NULL AND c.retired_at IS NULL AND c.superseded_at + p_grace <= now()
           AND NOT EXISTS (SELECT 1 FROM reset_requests r WHERE r.key_id = c.id AND r.status IN ('pending', 'verified') AND r.expires_at > sync_now_iso())
           AND NOT EXISTS (SELECT 1 FROM contact_changes x WHERE x.key_id = c.id AND x.status = 'pending' AND x.expires_at > sync_now_iso())
        RETURNING c.id
      LOOP
        PERFORM sync_log_code_keys(k, 'update');
        RETURN NEXT k;
      END LOOP;
    END $$;
    REVOKE EXECUTE ON FUNCTION sync_rotate_code_key(text, text), sync_retire_code_keys(interval), sync_log_code_keys(text, text) FROM PUBLIC;
  `);
  // The generated row functions again, now with key_id (0008 made the previous ones).
  const generated = (await rowFunctions(knex, withEvents)).replace(/CREATE FUNCTION/g, 'CREATE OR REPLACE FUNCTION');
  await knex.raw(generated);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP FUNCTION sync_retire_code_keys(interval), sync_rotate_code_key(text, text), sync_code_keys(), sync_log_code_keys(text, text);
    DROP TABLE code_keys;
    ALTER TABLE reset_requests DROP COLUMN key_id;
    ALTER TABLE contact_changes DROP COLUMN key_id;
  `);
  const generated = (await rowFunctions(knex, withEvents)).replace(/CREATE FUNCTION/g, 'CREATE OR REPLACE FUNCTION');
  await knex.raw(generated);
}
