import type { Knex } from 'knex';

/**
 * A staff unlock of the reset path ends the day's count of wrong codes at central too.
 *
 * Kiosks count wrong codes from the last unlock on; central counted every failure of the last
 * 24 hours (code_failures, 0003), so after a clerk lifted a reset lock the customer's next
 * wrong code pushed from any kiosk locked the path again. The unlock travels as an update of
 * account_locks (set-based or per mutation, or made at central by an operator), so a trigger on
 * that table catches every path. The failures are central-only bookkeeping (never replicated),
 * so they are simply dropped: no clock of a kiosk is compared with central's.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION sync_unlock_ends_code_failures() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM code_failures WHERE account_id = NEW.account_id;
      RETURN NULL;
    END $$;

    CREATE TRIGGER account_locks_reset_unlocked AFTER UPDATE OF unlocked_at ON account_locks
      FOR EACH ROW WHEN (OLD.unlocked_at IS NULL AND NEW.unlocked_at IS NOT NULL AND NEW.kind = 'reset')
      EXECUTE FUNCTION sync_unlock_ends_code_failures();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER IF EXISTS account_locks_reset_unlocked ON account_locks;
    DROP FUNCTION IF EXISTS sync_unlock_ends_code_failures();
  `);
}
