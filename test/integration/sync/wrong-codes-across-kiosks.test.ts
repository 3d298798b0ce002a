// DESIGN §6 "5 wrong codes void the request" across counters: a customer's wrong codes at
// kiosk A and kiosk B, both synced to central, add up to exactly what was typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { kiosk } from '../support/test-app';
import { startCentral, type Central } from '../support/sync-central';
import { codeFromMaildrop, startKioskPair, waitPushed, type KioskPair } from '../support/sync-kiosk';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';
const JSA_ID = '55555555555';
const EMAIL = 'ayamari@example.co.jp';
// A second customer: a new request for the first would wait out its 60 s cooldown.
const JSA_ID_2 = '55555555556';
const EMAIL_2 = 'ayamari2@example.co.jp';

describe('wrong codes across two kiosks', () => {
  let central: Central;
  let pair: KioskPair;
  let a: App;
  let b: App;

  beforeAll(async () => {
    central = await startCentral();
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES
       ('0190a000-0000-7000-8000-00000000e001', $2, $3, $3, '誤 入力', '株式会社テスト', 1, $1, $1),
       ('0190a000-0000-7000-8000-00000000e002', $4, $5, $5, '誤 二郎', '株式会社テスト', 1, $1, $1)`,
      [NOW, JSA_ID, EMAIL, JSA_ID_2, EMAIL_2],
    );
    pair = await startKioskPair(central);
    ({ a, b } = pair);
  });

  afterAll(async () => {
    await pair?.close();
    await central?.stop();
  });

  const attemptsAt = async (app: App, id: string) => ((await app.db('reset_requests').where({ id }).first('attempts', 'status')) as { attempts: number; status: string } | undefined);

  it('voids the request at the 5th wrong code typed over A and B, and the right code is refused at both', async () => {
    await kiosk(a).ok('reset.request', { jsaId: JSA_ID, email: EMAIL, locale: 'ja' });
    const { code } = await codeFromMaildrop(a, EMAIL, new Set());
    const requestId = ((await a.db('reset_requests').first('id')) as { id: string }).id;
    for (let i = 0; i < 3; i += 1) await kiosk(a).call('reset.verifyCode', { identifier: JSA_ID, code: 'ZZZZZZZZZZ' });
    await waitPushed(a);
    await waitFor(async () => ((await attemptsAt(b, requestId))?.attempts === 3 ? true : undefined), { what: '3 attempts at B' });
    for (let i = 0; i < 2; i += 1) await kiosk(b).call('reset.verifyCode', { identifier: JSA_ID, code: 'ZZZZZZZZZZ' });
    await waitPushed(b);
    const [atCentral] = await central.query<{ attempts: number; status: string }>(`SELECT attempts, status FROM reset_requests WHERE id = $1`, [requestId]);
    expect(atCentral).toEqual({ attempts: 5, status: 'voided' });
    await waitFor(async () => ((await attemptsAt(a, requestId))?.status === 'voided' ? true : undefined), { what: 'voided at A' });
    expect((await kiosk(a).call('reset.verifyCode', { identifier: JSA_ID, code })).ok).toBe(false);
    expect((await kiosk(b).call('reset.verifyCode', { identifier: JSA_ID, code })).ok).toBe(false);
  }, 60_000);

  it('voids at the 5th wrong code typed in turn at A and B, and counts no 6th at either', async () => {
    await kiosk(b).ok('reset.request', { jsaId: JSA_ID_2, email: EMAIL_2, locale: 'ja' });
    const requestId = ((await b.db('reset_requests').orderBy('id', 'desc').first('id')) as { id: string }).id;
    await waitPushed(b);
    await waitFor(async () => ((await attemptsAt(a, requestId)) ? true : undefined), { what: 'the request at A' });
    // Each try reaches the other kiosk before the next, as a customer walking between them would.
    for (let i = 1; i <= 6; i += 1) {
      const [here, there] = i % 2 === 1 ? [a, b] : [b, a];
      expect((await kiosk(here).call('reset.verifyCode', { identifier: JSA_ID_2, code: 'ZZZZZZZZZZ' })).ok).toBe(false);
      await waitPushed(here);
      const want = Math.min(i, 5);
      await waitFor(async () => ((await attemptsAt(there, requestId))?.attempts === want ? true : undefined), { what: `${want} attempts at ${there.config.kioskId}` });
    }
    const [atCentral] = await central.query<{ attempts: number; status: string }>(`SELECT attempts, status FROM reset_requests WHERE id = $1`, [requestId]);
    expect(atCentral).toEqual({ attempts: 5, status: 'voided' });
    for (const app of [a, b]) expect(await attemptsAt(app, requestId)).toEqual({ attempts: 5, status: 'voided' });
  }, 60_000);
});
