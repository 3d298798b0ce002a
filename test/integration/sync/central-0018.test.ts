// Central migration 0018 (a code claimed at central before the counter answers) goes down and up
// again on a central with a request in it; a counter's role may claim only under its own
// identity and installation, and a claim changes nothing past the caps.
import knex from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as c0018 from '../../../migrations/central/0018_code_claims';
import { startCentral, type Central } from '../support/sync-central';

const CLIENT = '0190a000-0000-7000-8000-0000000000d1';
const OTHER = '0190a000-0000-7000-8000-0000000000d2';
const ACCOUNT = '0190a000-0000-7000-8000-0000000000a1';
const REQUEST = '0190a000-0000-7000-8000-0000000000b1';
const NOW = '2026-01-01T00:00:00.000Z';

describe('central migration 0018_code_claims', () => {
  let central: Central;
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    await central?.stop();
  });

  const claim = (client: pg.Client, clientId: string, use: boolean) =>
    client.query<{ a: { outcome: string; row?: { attempts: number; status: string } } }>(`SELECT sync_claim_code($1, $2, $3, $4, $5, 5, 10) AS a`, [clientId, REQUEST, use, use ? 'g'.repeat(64) : null, use ? NOW : null]);

  it('goes down and up with a request in place; claims only for the caller, its installation, and under the caps', async () => {
    await central.query(`INSERT INTO kiosks (client_id, kiosk_id, role_name, instance) VALUES ($1, 'kiosk-p', 'kiosk_p', 'abc123'), ($2, 'kiosk-q', 'kiosk_q', NULL)`, [CLIENT, OTHER]);
    await central.query(`INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES ($1, '73000000001', 'c@example.jp', 'c@example.jp', 'x', 'y', 1, $2, $2)`, [ACCOUNT, NOW]);
    await central.query(
      `INSERT INTO reset_requests (id, account_id, channel, code_hmac, token_hmac, status, attempts, kiosk_id, created_at, expires_at, version) VALUES ($1, $2, 'jsa_id', 'c', 't', 'pending', 3, 'kiosk-p', $3, '2099-01-01T00:00:00.000Z', 1)`,
      [REQUEST, ACCOUNT, NOW],
    );
    const db = knex({ client: 'pg', connection: central.url, pool: { min: 0, max: 1 } });
    try {
      await db.transaction((tx) => c0018.down(tx));
      expect(await central.query(`SELECT 1 FROM pg_proc WHERE proname = 'sync_claim_code'`)).toEqual([]);
      await db.transaction((tx) => c0018.up(tx));
    } finally {
      await db.destroy();
    }

    const copy = new pg.Client({ connectionString: await central.kioskUrl('kiosk_p'), options: '-c webdesk.instance=def456' });
    await copy.connect();
    try {
      expect(await claim(copy, CLIENT, true).catch((e: { code?: string }) => e.code)).toBe('WD002');
    } finally {
      await copy.end();
    }
    const kiosk = new pg.Client({ connectionString: await central.kioskUrl('kiosk_p'), options: '-c webdesk.instance=abc123' });
    await kiosk.connect();
    try {
      expect(await claim(kiosk, OTHER, false).catch((e: Error) => e.message)).toMatch(/belongs to role kiosk_q/);
      // The 4th and 5th wrong codes: the 5th voids; a 6th and the right code change nothing.
      expect((await claim(kiosk, CLIENT, false)).rows[0]!.a).toMatchObject({ outcome: 'counted', row: { attempts: 4, status: 'pending' } });
      expect((await claim(kiosk, CLIENT, false)).rows[0]!.a).toMatchObject({ outcome: 'counted', row: { attempts: 5, status: 'voided' } });
      expect((await claim(kiosk, CLIENT, false)).rows[0]!.a).toMatchObject({ outcome: 'closed', row: { attempts: 5, status: 'voided' } });
      expect((await claim(kiosk, CLIENT, true)).rows[0]!.a).toMatchObject({ outcome: 'closed', row: { status: 'voided' } });
    } finally {
      await kiosk.end();
    }
    expect(await central.query(`SELECT coalesce(sum(n), 0)::int AS n FROM code_failures WHERE account_id = $1`, [ACCOUNT])).toEqual([{ n: 2 }]);
  });
});
