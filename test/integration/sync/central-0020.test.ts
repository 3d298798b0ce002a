// Central migration 0020 (an e-mail change code claimed at central before the counter answers)
// goes down and up again on a central with a change in it; a counter's role may claim only under
// its own identity and installation, and a claim changes nothing past the cap or once closed.
import knex from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as c0020 from '../../../migrations/central/0020_email_change_claims';
import { startCentral, type Central } from '../support/sync-central';

const CLIENT = '0190a000-0000-7000-8000-0000000000e1';
const OTHER = '0190a000-0000-7000-8000-0000000000e2';
const ACCOUNT = '0190a000-0000-7000-8000-0000000000f1';
const CHANGE = '0190a000-0000-7000-8000-0000000000f9';
const NOW = '2026-01-01T00:00:00.000Z';

describe('central migration 0020_email_change_claims', () => {
  let central: Central;
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    await central?.stop();
  });

  const claim = (client: pg.Client, clientId: string, id: string, use: boolean) =>
    client.query<{ a: { outcome: string; row?: { attempts: number; status: string } } }>(`SELECT sync_claim_email_change($1, $2, $3, $4, 5) AS a`, [
      clientId,
      id,
      use,
      use ? NOW : null,
    ]);

  it('goes down and up with a change in place; claims only for the caller, its installation, and under the cap', async () => {
    await central.query(`INSERT INTO kiosks (client_id, kiosk_id, role_name, instance) VALUES ($1, 'kiosk-p', 'kiosk_p', 'abc123'), ($2, 'kiosk-q', 'kiosk_q', NULL)`, [CLIENT, OTHER]);
    await central.query(`INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES ($1, '76000000001', 'm@example.jp', 'm@example.jp', 'x', 'y', 1, $2, $2)`, [ACCOUNT, NOW]);
    await central.query(
      `INSERT INTO contact_changes (id, account_id, old_email, new_email, code_hmac, status, attempts, kiosk_id, created_by, created_at, expires_at) VALUES ($1, $2, 'm@example.jp', 'n@example.jp', 'c', 'pending', 3, 'kiosk-p', 'kiosk', $3, '2099-01-01T00:00:00.000Z')`,
      [CHANGE, ACCOUNT, NOW],
    );
    const db = knex({ client: 'pg', connection: central.url, pool: { min: 0, max: 1 } });
    try {
      await db.transaction((tx) => c0020.down(tx));
      expect(await central.query(`SELECT 1 FROM pg_proc WHERE proname = 'sync_claim_email_change'`)).toEqual([]);
      await db.transaction((tx) => c0020.up(tx));
    } finally {
      await db.destroy();
    }

    const copy = new pg.Client({ connectionString: await central.kioskUrl('kiosk_p'), options: '-c webdesk.instance=def456' });
    await copy.connect();
    try {
      expect(await claim(copy, CLIENT, CHANGE, true).catch((e: { code?: string }) => e.code)).toBe('WD002');
    } finally {
      await copy.end();
    }
    const kiosk = new pg.Client({ connectionString: await central.kioskUrl('kiosk_p'), options: '-c webdesk.instance=abc123' });
    await kiosk.connect();
    try {
      expect(await claim(kiosk, OTHER, CHANGE, false).catch((e: Error) => e.message)).toMatch(/belongs to role kiosk_q/);
      expect((await claim(kiosk, CLIENT, 'no-such-change', false)).rows[0]!.a).toEqual({ outcome: 'unknown' });
      // The 4th and 5th wrong codes: the 5th voids; a 6th and the right code change nothing.
      expect((await claim(kiosk, CLIENT, CHANGE, false)).rows[0]!.a).toMatchObject({ outcome: 'counted', row: { attempts: 4, status: 'pending' } });
      expect((await claim(kiosk, CLIENT, CHANGE, false)).rows[0]!.a).toMatchObject({ outcome: 'counted', row: { attempts: 5, status: 'voided' } });
      expect((await claim(kiosk, CLIENT, CHANGE, false)).rows[0]!.a).toMatchObject({ outcome: 'closed', row: { attempts: 5, status: 'voided' } });
      expect((await claim(kiosk, CLIENT, CHANGE, true)).rows[0]!.a).toMatchObject({ outcome: 'closed', row: { status: 'voided' } });
    } finally {
      await kiosk.end();
    }
  });
});
