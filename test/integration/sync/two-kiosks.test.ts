// Two kiosks and one PostgreSQL on this machine (issue 6): a reset begun at A finished at B,
// a contact change at A seen at B, and central's change log read without skipping a
// transaction that commits late.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { kiosk, loginTestStaff } from '../support/test-app';
import { startCentral, type Central } from '../support/sync-central';
import { codeFromMaildrop, startKioskPair, waitPushed, type KioskPair } from '../support/sync-kiosk';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';

describe('two kiosks online', () => {
  let central: Central;
  let pair: KioskPair;
  let a: App;
  let b: App;

  beforeAll(async () => {
    central = await startCentral();
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES
       ('0190a000-0000-7000-8000-00000000a001', '11111111111', 'yamada@example.co.jp', 'yamada@example.co.jp', '山田 太郎', '株式会社テスト', 1, $1, $1),
       ('0190a000-0000-7000-8000-00000000a002', '22222222222', 'kato@example.co.jp', 'kato@example.co.jp', '加藤 恵', '株式会社テスト', 1, $1, $1),
       ('0190a000-0000-7000-8000-00000000a003', '33333333333', 'late@example.co.jp', 'late@example.co.jp', '遅 一', '株式会社テスト', 1, $1, $1),
       ('0190a000-0000-7000-8000-00000000a004', '44444444444', 'early@example.co.jp', 'early@example.co.jp', '早 二', '株式会社テスト', 1, $1, $1)`,
      [NOW],
    );
    pair = await startKioskPair(central);
    ({ a, b } = pair);
  });

  afterAll(async () => {
    await pair?.close();
    await central?.stop();
  });

  it('copies central accounts to both kiosks and adds no demo accounts', async () => {
    for (const app of [a, b]) {
      const rows = (await app.db('accounts').orderBy('jsa_id').select('jsa_id')) as Array<{ jsa_id: string }>;
      expect(rows.map((r) => r.jsa_id)).toEqual(['11111111111', '22222222222', '33333333333', '44444444444']);
    }
  });

  it('finishes at kiosk B a reset requested at kiosk A, and the code cannot be used again at A', async () => {
    await kiosk(a).ok('reset.request', { jsaId: '11111111111', email: 'yamada@example.co.jp', locale: 'ja' });
    const { code } = await codeFromMaildrop(a, 'yamada@example.co.jp', new Set());
    const requestId = ((await a.db('reset_requests').first('id')) as { id: string }).id;
    await waitFor(async () => ((await b.db('reset_requests').where({ id: requestId }).first()) ? true : undefined), { what: 'request at B' });

    const verified = await kiosk(b).ok('reset.verifyCode', { identifier: '11111111111', code });
    await kiosk(b).ok('reset.complete', { grant: verified.grant, password: 'kawasemi-no-sora-2031', confirm: 'kawasemi-no-sora-2031' });
    const atB = await findAccountByJsaId(b.db, '11111111111');
    expect(atB?.password_hash).toMatch(/^\$scrypt\$/);

    // A learns the new password and that the request is used.
    await waitFor(async () => ((await findAccountByJsaId(a.db, '11111111111'))?.password_hash === atB!.password_hash ? true : undefined), {
      what: 'password at A',
    });
    await waitFor(async () => ((await a.db('reset_requests').where({ id: requestId }).first('status'))?.status === 'used' ? true : undefined), {
      what: 'request used at A',
    });
    // Typed with the JSA-ID the refusal says no more than "not correct"; the request row says why.
    const again = await kiosk(a).call('reset.verifyCode', { identifier: '11111111111', code });
    expect(again).toEqual({ ok: false, error: { code: 'CODE_INVALID', params: { via: 'identifier' } } });
    expect((await a.db('reset_requests').where({ id: requestId }).first('status'))?.status).toBe('used');

    const [centralRequest] = await central.query<{ status: string; kiosk_id: string }>(`SELECT status, kiosk_id FROM reset_requests WHERE id = $1`, [requestId]);
    expect(centralRequest).toEqual({ status: 'used', kiosk_id: 'kiosk-a' });
    expect(await central.query(`SELECT count(*)::int AS n FROM password_history WHERE account_id = '0190a000-0000-7000-8000-00000000a001'`)).toEqual([{ n: 1 }]);
    expect(await central.query(`SELECT count(*)::int AS n FROM sync_conflicts`)).toEqual([{ n: 0 }]);
  });

  it('shows a contact change made at A at kiosk B while both are online', async () => {
    const timings: number[] = [];
    for (let i = 1; i <= 5; i += 1) {
      const account = (await findAccountByJsaId(a.db, '22222222222'))!;
      const started = performance.now();
      await updateAccount(a.db, account.id, { contact_name: `加藤 恵 ${i}`, phone: `03-1111-000${i}` }, new Date().toISOString());
      await waitFor(async () => ((await findAccountByJsaId(b.db, '22222222222'))?.contact_name === `加藤 恵 ${i}` ? true : undefined), {
        what: 'contact change at B',
        intervalMs: 2,
      });
      timings.push(performance.now() - started);
    }
    console.log(`contact change A→B after commit: ${timings.map((t) => t.toFixed(0)).join(', ')} ms`);
    const atB = await findAccountByJsaId(b.db, '22222222222');
    expect(atB).toMatchObject({ contact_name: '加藤 恵 5', phone: '03-1111-0005', version: 6 });
  });

  it('does not skip a transaction that took its id first and commits after a later one', async () => {
    const early = await central.client();
    const late = await central.client();
    try {
      await early.query('BEGIN');
      // The write gives `early` its transaction id now; it stays open.
      await early.query(`UPDATE accounts SET contact_name = '遅 一 (更新)', version = version + 1 WHERE jsa_id = '33333333333'`);
      await late.query(`UPDATE accounts SET contact_name = '早 二 (更新)', version = version + 1 WHERE jsa_id = '44444444444'`);
      // Kiosk B is woken (NOTIFY) for the later commit, but must not read past the open transaction.
      // A pass finished after this read may have begun before the commit; the one after it has not.
      const pulls = b.sync!.pulls;
      b.sync!.kick();
      await waitFor(() => (b.sync!.pulls >= pulls + 2 ? true : undefined), { what: 'a pull at B begun after the later commit' });
      expect((await findAccountByJsaId(b.db, '44444444444'))?.contact_name).toBe('早 二');
      await early.query('COMMIT');
      await waitFor(async () => ((await findAccountByJsaId(b.db, '33333333333'))?.contact_name === '遅 一 (更新)' ? true : undefined), {
        what: 'late transaction at B',
      });
      await waitFor(async () => ((await findAccountByJsaId(b.db, '44444444444'))?.contact_name === '早 二 (更新)' ? true : undefined), {
        what: 'early-committed transaction at B',
      });
    } finally {
      await early.end();
      await late.end();
    }
  });

  it('reports sync status through the staff call', async () => {
    await waitPushed(a);
    const staff = kiosk(a);
    await loginTestStaff(a, staff.session, 'test', 'agent');
    const status = await staff.ok('sync.status', {});
    expect(status).toMatchObject({ mode: 'synced', state: 'online', kioskId: 'kiosk-a', outboxDepth: 0, offlineSince: null });
    if (status.mode === 'synced') expect(status.firstSync.state).toBe('done');
  });
});
