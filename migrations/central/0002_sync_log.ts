import type { Knex } from 'knex';

/**
 * Sync machinery: the kiosks (one row per local replica, with the last mutation sequence
 * applied), the processed mutations, the conflicts staff resolve, and the change log that
 * triggers fill in the writing transaction. Kiosks read the log by transaction id below
 * pg_snapshot_xmin(pg_current_snapshot()), so a transaction that commits late is never
 * skipped; a NOTIFY on commit wakes them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE kiosks (
      client_id uuid PRIMARY KEY,
      kiosk_id text NOT NULL,
      role_name text NOT NULL,
      last_mutation_seq bigint NOT NULL DEFAULT 0,
      registered_at timestamptz NOT NULL DEFAULT now(),
      last_push_at timestamptz
    );

    CREATE TABLE processed_mutations (
      mutation_id uuid PRIMARY KEY,
      client_id uuid NOT NULL REFERENCES kiosks (client_id),
      seq bigint NOT NULL,
      table_name text NOT NULL,
      row_key text NOT NULL,
      outcome text NOT NULL, -- applied | merged | conflict | error
      applied_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (client_id, seq)
    );

    CREATE TABLE sync_conflicts (
      id bigserial PRIMARY KEY,
      table_name text NOT NULL,
      row_key text NOT NULL,
      client_id uuid,
      kiosk_id text,
      mutation_id uuid,
      kind text NOT NULL, -- edit | duplicate | insert-exists | missing | code-reuse | status | error
      fields text[],
      central_row jsonb, -- central's row when the mutation arrived (kept as it was)
      kiosk_row jsonb,   -- what the kiosk wrote
      base_row jsonb,    -- the kiosk's row before its write
      detail text,
      created_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz,
      resolved_by text,
      resolution text -- central | kiosk
    );
    CREATE INDEX sync_conflicts_open ON sync_conflicts (created_at) WHERE resolved_at IS NULL;

    CREATE TABLE change_log (
      id bigserial PRIMARY KEY,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      table_name text NOT NULL,
      row_key text NOT NULL,
      op text NOT NULL, -- insert | update | refresh
      row_data jsonb NOT NULL,
      origin text, -- kiosk id of the push that wrote it, for diagnosis only
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX change_log_xid_id ON change_log (xid, id);

    CREATE FUNCTION sync_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO change_log (table_name, row_key, op, row_data, origin)
      VALUES (TG_TABLE_NAME, to_jsonb(NEW) ->> TG_ARGV[0], lower(TG_OP), to_jsonb(NEW), current_setting('webdesk.origin', true));
      RETURN NULL;
    END $$;

    -- One notification per writing transaction (PostgreSQL folds equal ones), sent at commit.
    CREATE FUNCTION sync_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('webdesk_changes', '');
      RETURN NULL;
    END $$;
    CREATE TRIGGER change_log_notify AFTER INSERT ON change_log FOR EACH STATEMENT EXECUTE FUNCTION sync_notify();

    -- Versions order a row's states for the kiosks (a change log in xid order is not in commit
    -- order for one row); an edit at central that forgets the version gets one anyway.
    CREATE FUNCTION sync_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.version = OLD.version THEN NEW.version := OLD.version + 1; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER accounts_version BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION sync_bump_version();
    CREATE TRIGGER reset_requests_version BEFORE UPDATE ON reset_requests FOR EACH ROW EXECUTE FUNCTION sync_bump_version();
    CREATE TRIGGER inquiries_version BEFORE UPDATE ON inquiries FOR EACH ROW EXECUTE FUNCTION sync_bump_version();

    CREATE TRIGGER accounts_log AFTER INSERT OR UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION sync_log_change('id');
    CREATE TRIGGER password_history_log AFTER INSERT OR UPDATE ON password_history FOR EACH ROW EXECUTE FUNCTION sync_log_change('key');
    CREATE TRIGGER reset_requests_log AFTER INSERT OR UPDATE ON reset_requests FOR EACH ROW EXECUTE FUNCTION sync_log_change('id');
    CREATE TRIGGER account_locks_log AFTER INSERT OR UPDATE ON account_locks FOR EACH ROW EXECUTE FUNCTION sync_log_change('key');
    CREATE TRIGGER inquiries_log AFTER INSERT OR UPDATE ON inquiries FOR EACH ROW EXECUTE FUNCTION sync_log_change('id');
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER accounts_log ON accounts; DROP TRIGGER password_history_log ON password_history;
    DROP TRIGGER reset_requests_log ON reset_requests; DROP TRIGGER account_locks_log ON account_locks;
    DROP TRIGGER inquiries_log ON inquiries;
    DROP TRIGGER accounts_version ON accounts; DROP TRIGGER reset_requests_version ON reset_requests;
    DROP TRIGGER inquiries_version ON inquiries;
    DROP TABLE change_log, sync_conflicts, processed_mutations, kiosks;
    DROP FUNCTION sync_log_change(), sync_notify(), sync_bump_version();
  `);
}
