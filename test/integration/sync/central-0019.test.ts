// Central migration 0019 (a password claimed at central before the counter answers) goes down
// and up again on a central with an account in it; a counter's role may claim only under its own
// identity and installation, a claim counts nothing past the cap, and a JSA-ID on no account is
// counted under what was typed, without a lock row.
import knex from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as c0019 from '../../../migrations/central/0019_login_claims';
import { startCentral, type Central } from '../support/sync-central';

const CLIENT = '0190a000-0000-7000-8000-0000000000e1';
const OTHER = '0190a000-0000-7000-8000-0000000000e2';
const ACCOUNT = '0190a000-0000-7000-8000-0000000000f1';
const JSA_ID = '74000000001';
const NOW = '2026-01-01T00:00:00.000Z';

describe('central migration 0019_login_claims', () => {
  let central: Central;
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    await central?.stop();
  });

  let n = 0;
  const claim = (client: pg.Client, clientId: string, jsaId: string, failed: boolean) =>
    client.query<{ a: { outcome: string; failures: number; lock: unknown; event: unknown } }>(`SELECT sync_claim_login($1, $2, $3, $4, $5, 3) AS a`, [
      clientId,
      jsaId,
      failed,
      `login:test-${(n += 1)}`,
      Date.now(),
    ]);

  it('goes down and up with an account in place; claims only for the caller, its installation, and under the cap', async () => {
    await central.query(`INSERT INTO kiosks (client_id, kiosk_id, role_name, instance) VALUES ($1, 'kiosk-p', 'kiosk_p', 'abc123'), ($2, 'kiosk-q', 'kiosk_q', NULL)`, [CLIENT, OTHER]);
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, password_hash, password_changed_at, version, created_at, updated_at)
       VALUES ($1, $2, 'l@example.jp', 'l@example.jp', 'x', 'y', 'h', '2020-01-01T00:00:00.000Z', 1, $3, $3)`,
      [ACCOUNT, JSA_ID, NOW],
    );
    const db = knex({ client: 'pg', connection: central.url, pool: { min: 0, max: 1 } });
    try {
      await db.transaction((tx) => c0019.down(tx));
      expect(await central.query(`SELECT 1 FROM pg_proc WHERE proname = 'sync_claim_login'`)).toEqual([]);
      await db.transaction((tx) => c0019.up(tx));
    } finally {
      await db.destroy();
    }

    const copy = new pg.Client({ connectionString: await central.kioskUrl('kiosk_p'), options: '-c webdesk.instance=def456' });
    await copy.connect();
    try {
      expect(await claim(copy, CLIENT, JSA_ID, true).catch((e: { code?: string }) => e.code)).toBe('WD002');
    } finally {
      await copy.end();
    }
    const kiosk = new pg.Client({ connectionString: await central.kioskUrl('kiosk_p'), options: '-c webdesk.instance=abc123' });
    await kiosk.connect();
    try {
      expect(await claim(kiosk, OTHER, JSA_ID, true).catch((e: Error) => e.message)).toMatch(/belongs to role kiosk_q/);
      // Under the counter's cap of 3 (stricter than central's 10): the 3rd locks; past it nothing counts.
      expect((await claim(kiosk, CLIENT, JSA_ID, true)).rows[0]!.a).toMatchObject({ outcome: 'counted', failures: 1, lock: null });
      expect((await claim(kiosk, CLIENT, JSA_ID, false)).rows[0]!.a).toMatchObject({ outcome: 'open', event: null });
      expect((await claim(kiosk, CLIENT, JSA_ID, true)).rows[0]!.a).toMatchObject({ outcome: 'counted', failures: 2 });
      expect((await claim(kiosk, CLIENT, JSA_ID, true)).rows[0]!.a).toMatchObject({ outcome: 'locked-now', failures: 3, lock: { account_id: ACCOUNT, kind: 'login' } });
      expect((await claim(kiosk, CLIENT, JSA_ID, true)).rows[0]!.a).toMatchObject({ outcome: 'locked', event: null });
      expect((await claim(kiosk, CLIENT, JSA_ID, false)).rows[0]!.a).toMatchObject({ outcome: 'locked' });
      // A JSA-ID on no account: the same steps, no lock row (there is no account to hold it).
      for (const expected of ['counted', 'counted', 'locked-now', 'locked']) {
        expect((await claim(kiosk, CLIENT, '74000000099', true)).rows[0]!.a).toMatchObject({ outcome: expected, lock: null });
      }
    } finally {
      await kiosk.end();
    }
    expect(await central.query(`SELECT count(*)::int AS n FROM limit_events WHERE bucket = $1`, [`loginfail:${ACCOUNT}`])).toEqual([{ n: 3 }]);
    expect(await central.query(`SELECT count(*)::int AS n FROM limit_events WHERE bucket = 'loginfail-id:74000000099'`)).toEqual([{ n: 3 }]);
    expect(await central.query(`SELECT count(*)::int AS n FROM account_locks WHERE account_id = $1 AND kind = 'login'`, [ACCOUNT])).toEqual([{ n: 1 }]);
  });
});
