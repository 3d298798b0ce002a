import type { Knex } from 'knex';

/**
 * One installation pushes under a counter's identity (docs/decisions.md "One installation per
 * counter identity").
 *
 * A copy of a counter's store (a backup restored onto a second PC while the first still runs,
 * a data folder copied by hand) has the same client id; its rows with local ids travel under
 * the same keys (`<client id>:<id>`) as the first's, so each side's new locks, password history
 * and limit events collide with the other's at central. A counter names its installation on
 * every connection (`webdesk.instance`: a hash of its host name and data folder, which a copy
 * cannot carry with it); the first installation that pushes under a client id keeps it, and a
 * push from another is refused with WD002 until an administrator at the counter that should
 * keep the identity takes it over (`sync_take_over`, `npm run sync -- --take-over`). The audit
 * stream (kiosk_audit_log) is held to the same installation. Counters of an earlier version
 * name none and are let through as before.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE kiosks ADD COLUMN instance text;

    -- Every push records itself on its kiosks row (last_mutation_seq, last_push_at): the one
    -- place all pushes pass, whichever version of sync_push made it.
    CREATE FUNCTION sync_one_instance() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE here text := nullif(current_setting('webdesk.instance', true), '');
    BEGIN
      IF here IS NULL THEN RETURN NEW; END IF;
      IF OLD.instance IS NULL THEN
        NEW.instance := here;
      ELSIF OLD.instance <> here THEN
        RAISE EXCEPTION 'counter % (client %) pushes from another installation', OLD.kiosk_id, OLD.client_id
          USING ERRCODE = 'WD002', HINT = 'take the identity over at the counter that should keep it, or start the other with an empty data folder';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER kiosks_one_instance BEFORE UPDATE OF last_mutation_seq, last_push_at ON kiosks
      FOR EACH ROW EXECUTE FUNCTION sync_one_instance();

    -- The audit stream too: the chain at central for this identity is the keeping PC's, and a
    -- copy's rows would make that PC's own next rows look like a rewrite. The first
    -- installation that streams may claim the identity as a push does.
    CREATE FUNCTION sync_one_instance_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE here text := nullif(current_setting('webdesk.instance', true), '');
    BEGIN
      IF here IS NULL THEN RETURN NULL; END IF;
      UPDATE kiosks k SET instance = here FROM (SELECT DISTINCT client_id FROM streamed) s WHERE k.client_id = s.client_id AND k.instance IS NULL;
      IF EXISTS (SELECT 1 FROM kiosks k JOIN (SELECT DISTINCT client_id FROM streamed) s USING (client_id) WHERE k.instance <> here) THEN
        RAISE EXCEPTION 'audit rows from another installation of a counter' USING ERRCODE = 'WD002';
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER kiosk_audit_log_one_instance AFTER INSERT ON kiosk_audit_log
      REFERENCING NEW TABLE AS streamed FOR EACH STATEMENT EXECUTE FUNCTION sync_one_instance_audit();

    -- An administrator's decision at the counter that keeps the identity: from now on, its pushes.
    CREATE FUNCTION sync_take_over(p_client uuid) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      k kiosks%ROWTYPE;
      here text := nullif(current_setting('webdesk.instance', true), '');
    BEGIN
      IF here IS NULL THEN RAISE EXCEPTION 'no installation named (webdesk.instance)' USING ERRCODE = '22023'; END IF;
      SELECT * INTO k FROM kiosks WHERE client_id = p_client FOR UPDATE;
      IF NOT FOUND THEN RAISE EXCEPTION 'unknown client %', p_client USING ERRCODE = '42501'; END IF;
      IF k.role_name <> session_user AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        RAISE EXCEPTION 'client % belongs to role %', p_client, k.role_name USING ERRCODE = '42501';
      END IF;
      UPDATE kiosks SET instance = here WHERE client_id = p_client;
      RETURN coalesce(k.instance, '');
    END $$;
    REVOKE EXECUTE ON FUNCTION sync_take_over(uuid), sync_one_instance(), sync_one_instance_audit() FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION sync_take_over(uuid) TO webdesk_kiosk;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP FUNCTION sync_take_over(uuid);
    DROP TRIGGER kiosk_audit_log_one_instance ON kiosk_audit_log;
    DROP FUNCTION sync_one_instance_audit();
    DROP TRIGGER kiosks_one_instance ON kiosks;
    DROP FUNCTION sync_one_instance();
    ALTER TABLE kiosks DROP COLUMN instance;
  `);
}
