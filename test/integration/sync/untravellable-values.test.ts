// A value central cannot store (PostgreSQL text holds no NUL; jsonb refuses \u0000) in a row
// written locally: the rest of the outbox still travels, and the row is named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { startCentral, type Central } from '../support/sync-central';
import { startKioskPair, waitPushed, type KioskPair } from '../support/sync-kiosk';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';

describe('a value central cannot store', () => {
  let central: Central;
  let pair: KioskPair;
  let a: App;
  let b: App;

  beforeAll(async () => {
    central = await startCentral();
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES
       ('0190a000-0000-7000-8000-00000000b001', '11111111111', 'yamada@example.co.jp', 'yamada@example.co.jp', '山田 太郎', '株式会社テスト', 1, $1, $1),
       ('0190a000-0000-7000-8000-00000000b002', '22222222222', 'kato@example.co.jp', 'kato@example.co.jp', '加藤 恵', '株式会社テスト', 1, $1, $1)`,
      [NOW],
    );
    pair = await startKioskPair(central);
    ({ a, b } = pair);
  });

  afterAll(async () => {
    await pair?.close();
    await central?.stop();
  });

  it('a NUL in one row does not hold back the rest of the outbox', async () => {
    const first = (await findAccountByJsaId(a.db, '11111111111'))!;
    const second = (await findAccountByJsaId(a.db, '22222222222'))!;
    // Written beside the app's checks (an old backup, a store edited by hand): the app's own fields refuse it.
    await updateAccount(a.db, first.id, { company: '株式会社\u0000テスト' }, '2026-01-02T00:00:00.000Z');
    await updateAccount(a.db, second.id, { company: '株式会社つぎ' }, '2026-01-02T00:00:01.000Z');
    a.sync!.kick();
    await waitFor(async () => ((await findAccountByJsaId(b.db, '22222222222'))?.company === '株式会社つぎ' ? true : undefined), { what: 'the good row at B', timeoutMs: 15_000 });
    await waitPushed(a);
    expect((await a.sync!.status()).state).toBe('online');
    // Central holds U+FFFD where the NUL was (what the import's decoder makes of unreadable bytes)…
    expect(await central.query(`SELECT company FROM accounts WHERE jsa_id = '11111111111'`)).toEqual([{ company: '株式会社\uFFFDテスト' }]);
    // …both counters end with central's row…
    for (const app of [a, b]) {
      await waitFor(async () => ((await findAccountByJsaId(app.db, '11111111111'))?.company === '株式会社\uFFFDテスト' ? true : undefined), { what: `central's row at ${app.config.kioskId}`, timeoutMs: 15_000 });
    }
    // …and the row is named in the audit log, by its JSA-ID and the field.
    const named = (await a.db('audit_log').where({ action: 'sync.value-replaced' }).select('actor', 'subject', 'detail_json')) as Array<{ actor: string; subject: string; detail_json: string }>;
    expect(named.map((e) => ({ actor: e.actor, subject: e.subject, detail: JSON.parse(e.detail_json) as unknown }))).toEqual([{ actor: 'system', subject: '11111111111', detail: { fields: 'company' } }]);
  });

  it('bytes that are not UTF-8 in a stored value travel as U+FFFD and hold nothing back', async () => {
    const second = (await findAccountByJsaId(a.db, '22222222222'))!;
    // 株 followed by a byte no UTF-8 text holds, written beside the app (its driver only writes UTF-8).
    await a.db.raw(`UPDATE accounts SET department = CAST(x'e6a0aaff' AS TEXT), version = version + 1 WHERE id = ?`, [second.id]);
    a.sync!.kick();
    await waitPushed(a);
    expect(await central.query(`SELECT department FROM accounts WHERE jsa_id = '22222222222'`)).toEqual([{ department: '株\uFFFD' }]);
    await waitFor(async () => ((await findAccountByJsaId(b.db, '22222222222'))?.department === '株\uFFFD' ? true : undefined), { what: 'the row at B', timeoutMs: 15_000 });
  });
});
