// A counter store restored from a backup older than central's memory of applied mutations
// (processed_mutations, pruned after 90 days by central:prune) sends again changes central
// applied long ago. The time span is faked: central's processed rows are dated 100 days back
// and pruned, and the restored outbox row carries a UUIDv7 of 100 days ago, as the backup's did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { activeLock, addLock, liftLocks } from '../../../src-main/store/limits-repo';
import { startCentral, type Central } from '../support/sync-central';
import { startKioskPair, waitPushed, type KioskPair } from '../support/sync-kiosk';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';
const DAY_MS = 86_400_000;

/** The same UUIDv7 with its 48-bit millisecond time moved `ms` back. */
function uuidv7Earlier(id: string, ms: number): string {
  const hex = id.replaceAll('-', '');
  const time = (parseInt(hex.slice(0, 12), 16) - ms).toString(16).padStart(12, '0');
  const all = time + hex.slice(12);
  return `${all.slice(0, 8)}-${all.slice(8, 12)}-${all.slice(12, 16)}-${all.slice(16, 20)}-${all.slice(20)}`;
}

describe('a store restored from a backup older than central remembers', () => {
  let central: Central;
  let pair: KioskPair;
  let a: App;
  let b: App;

  beforeAll(async () => {
    central = await startCentral();
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES
       ('0190a000-0000-7000-8000-00000000c101', '22222222222', 'sato@example.co.jp', 'sato@example.co.jp', '佐藤 花子', '株式会社テスト', 1, $1, $1)`,
      [NOW],
    );
    pair = await startKioskPair(central);
    ({ a, b } = pair);
  });

  afterAll(async () => {
    await pair?.close();
    await central?.stop();
  });

  it('does not bring back a lock lifted and purged since: central records the old change for staff', async () => {
    const id = (await findAccountByJsaId(a.db, '22222222222'))!.id;
    // What the backup holds: the outbox as it stood before its rows were pushed.
    await a.db.raw(`CREATE TABLE outbox_backup AS SELECT * FROM sync_outbox WHERE 0`);
    await a.db.raw(`CREATE TRIGGER outbox_backup_copy AFTER INSERT ON sync_outbox BEGIN INSERT INTO outbox_backup SELECT * FROM sync_outbox WHERE seq = NEW.seq; END`);
    await addLock(a.db, id, 'reset', 'too-many-code-failures', '2026-01-02T00:00:00.000Z');
    await waitPushed(a);
    await waitFor(async () => ((await activeLock(b.db, id, 'reset')) ? true : undefined), { what: 'the lock at B' });
    await a.db.raw(`DROP TRIGGER outbox_backup_copy`);
    const [backup] = (await a.db('outbox_backup').where({ table_name: 'account_locks', op: 'insert' })) as Array<Record<string, unknown>>;
    expect(backup).toBeDefined();

    // Staff lift the lock; later the retention purge removes the lifted lock everywhere.
    await liftLocks(a.db, id, 'reset', 'staff', '2026-01-03T00:00:00.000Z');
    await a.db('account_locks').where({ account_id: id }).delete();
    await waitPushed(a);
    await waitFor(async () => ((await b.db('account_locks').where({ account_id: id }).first()) ? undefined : true), { what: 'the purge at B' });

    // 100 days on, central:prune forgets the mutations it applied (90 days by default).
    await central.query(`UPDATE processed_mutations SET applied_at = now() - interval '100 days'`);
    await central.query(`SELECT sync_prune_change_log(interval '7 days', 100000)`);
    expect(await central.query(`SELECT count(*)::int AS n FROM processed_mutations`)).toEqual([{ n: 0 }]);

    // The backup restored: its outbox row goes to central again, above central's numbers.
    const { seq: _seq, ...row } = backup!;
    await a.db('sync_outbox').insert({ ...row, mutation_id: uuidv7Earlier(String(row.mutation_id), 100 * DAY_MS) });
    a.sync!.kick();
    await waitPushed(a);

    expect(await central.query(`SELECT count(*)::int AS n FROM account_locks WHERE account_id = $1 AND unlocked_at IS NULL`, [id])).toEqual([{ n: 0 }]);
    expect(await central.query(`SELECT kind, table_name, kiosk_id FROM sync_conflicts WHERE kiosk_id = 'kiosk-a'`)).toEqual([
      { kind: 'expired', table_name: 'account_locks', kiosk_id: 'kiosk-a' },
    ]);
    // Named where the admin looks at the counter (監査ログ), with how many were held back.
    const entry = (await a.db('audit_log').where({ action: 'sync.changes-expired' }).first()) as { detail_json: string } | undefined;
    expect(entry && JSON.parse(entry.detail_json)).toEqual({ changes: 1 });
  });

  it('still applies a change made after the restore', async () => {
    const id = (await findAccountByJsaId(a.db, '22222222222'))!.id;
    await updateAccount(a.db, id, { department: '復元後の部署' }, '2026-01-04T00:00:00.000Z');
    a.sync!.kick();
    await waitFor(async () => ((await findAccountByJsaId(b.db, '22222222222'))?.department === '復元後の部署' ? true : undefined), { what: 'the change at B', timeoutMs: 15_000 });
  });
});
