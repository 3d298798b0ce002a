import type { Knex } from 'knex';

/**
 * Central copies of the tables kiosks replicate (src-main/store/sync-tables.ts). Columns
 * mirror the local ones, text timestamps included, so a replica is byte-for-byte the same
 * and a checksum can compare them. Rows from surrogate-id tables are keyed by `key`
 * (`<client id>:<local id>`, or `central:<uuid>` for rows central writes itself).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE accounts (
      id text PRIMARY KEY,
      jsa_id text NOT NULL UNIQUE,
      email text NOT NULL,
      email_norm text NOT NULL,
      contact_name text NOT NULL DEFAULT '',
      company text NOT NULL DEFAULT '',
      department text NOT NULL DEFAULT '',
      address text NOT NULL DEFAULT '',
      phone text NOT NULL DEFAULT '',
      password_hash text,
      password_changed_at text,
      version integer NOT NULL DEFAULT 1,
      created_at text NOT NULL,
      updated_at text NOT NULL
    );
    CREATE INDEX accounts_email_norm ON accounts (email_norm);

    CREATE TABLE password_history (
      key text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      password_hash text NOT NULL,
      created_at text NOT NULL
    );
    CREATE INDEX password_history_account ON password_history (account_id);

    CREATE TABLE reset_requests (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      channel text NOT NULL,
      code_hmac text NOT NULL,
      token_hmac text NOT NULL UNIQUE,
      grant_hmac text UNIQUE,
      status text NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      locale text NOT NULL DEFAULT 'ja',
      kiosk_id text NOT NULL,
      created_by text,
      created_at text NOT NULL,
      expires_at text NOT NULL,
      verified_at text,
      completed_at text,
      version integer NOT NULL DEFAULT 1
    );
    CREATE INDEX reset_requests_account_status ON reset_requests (account_id, status);

    CREATE TABLE account_locks (
      key text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      kind text NOT NULL,
      reason text NOT NULL,
      locked_at text NOT NULL,
      unlocked_at text,
      unlocked_by text
    );
    CREATE INDEX account_locks_account_kind ON account_locks (account_id, kind);

    CREATE TABLE inquiries (
      id text PRIMARY KEY,
      reference text NOT NULL UNIQUE,
      kind text NOT NULL,
      status text NOT NULL,
      data_json text NOT NULL,
      reply_email text NOT NULL,
      locale text NOT NULL DEFAULT 'ja',
      kiosk_id text NOT NULL,
      account_id text REFERENCES accounts (id) ON DELETE SET NULL,
      decided_by text,
      decided_at text,
      decision_reason text,
      created_at text NOT NULL,
      version integer NOT NULL DEFAULT 1
    );
    CREATE INDEX inquiries_status_created ON inquiries (status, created_at);

    -- Wrong codes per account, from every kiosk: the 10-per-day cap holds across counters.
    CREATE TABLE code_failures (
      id bigserial PRIMARY KEY,
      account_id text NOT NULL,
      request_id text NOT NULL,
      kiosk_id text NOT NULL,
      n integer NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX code_failures_account_at ON code_failures (account_id, at);

    -- DESIGN §6 caps as central enforces them; same defaults as the kiosk settings.
    CREATE TABLE central_limits (name text PRIMARY KEY, value integer NOT NULL);
    INSERT INTO central_limits VALUES ('max_code_attempts', 5), ('max_failures_per_day', 10);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE central_limits, code_failures, inquiries, account_locks, reset_requests, password_history, accounts`);
}
