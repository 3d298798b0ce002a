// A store restored from an older backup keeps its client id, and central has already heard
// later sequence numbers under it: the counter's next changes must still reach central.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { startCentral, type Central } from '../support/sync-central';
import { startKioskPair, waitPushed, type KioskPair } from '../support/sync-kiosk';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';

describe('a store restored from an older backup', () => {
  let central: Central;
  let pair: KioskPair;
  let a: App;
  let b: App;

  beforeAll(async () => {
    central = await startCentral();
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES
       ('0190a000-0000-7000-8000-00000000c001', '11111111111', 'yamada@example.co.jp', 'yamada@example.co.jp', '山田 太郎', '株式会社テスト', 1, $1, $1)`,
      [NOW],
    );
    pair = await startKioskPair(central);
    ({ a, b } = pair);
  });

  afterAll(async () => {
    await pair?.close();
    await central?.stop();
  });

  it('sends the changes made after the restore, though their sequence numbers were used before', async () => {
    const id = (await findAccountByJsaId(a.db, '11111111111'))!.id;
    for (let i = 1; i <= 5; i += 1) await updateAccount(a.db, id, { company: `株式会社 ${i}` }, `2026-01-02T00:00:0${i}.000Z`);
    await waitPushed(a);
    const [heard] = await central.query<{ last: string }>(`SELECT last_mutation_seq::text AS last FROM kiosks WHERE kiosk_id = 'kiosk-a'`);
    expect(Number(heard!.last)).toBeGreaterThanOrEqual(5);
    // What a backup taken before those five writes holds: the outbox numbered from where it was then.
    await a.db.raw(`UPDATE sqlite_sequence SET seq = 0 WHERE name = 'sync_outbox'`);

    await updateAccount(a.db, id, { department: '復元後の部署' }, '2026-01-03T00:00:00.000Z');
    a.sync!.kick();
    await waitFor(async () => ((await findAccountByJsaId(b.db, '11111111111'))?.department === '復元後の部署' ? true : undefined), { what: 'the change made after the restore at B', timeoutMs: 15_000 });
    expect(await central.query(`SELECT department FROM accounts WHERE jsa_id = '11111111111'`)).toEqual([{ department: '復元後の部署' }]);
  });

  it('sends again what central skipped because a copy of the store pushed higher numbers meanwhile', async () => {
    const id = (await findAccountByJsaId(a.db, '11111111111'))!.id;
    await waitPushed(a);
    // A copy of this store on a second PC, under the same identity, has pushed 100 changes since.
    await central.query(`UPDATE kiosks SET last_mutation_seq = last_mutation_seq + 100 WHERE kiosk_id = 'kiosk-a'`);
    await updateAccount(a.db, id, { phone: '03-1111-2222' }, '2026-01-04T00:00:00.000Z');
    a.sync!.kick();
    await waitFor(async () => ((await findAccountByJsaId(b.db, '11111111111'))?.phone === '03-1111-2222' ? true : undefined), { what: 'the change at B', timeoutMs: 15_000 });
    await waitPushed(a);
  });
});
