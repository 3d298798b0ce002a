// Central migration 0021 (a reset request's caps passed at central before the counter answers)
// goes down and up again on a central with events in it; a counter's role may claim only under
// its own identity and installation; a claim refuses in the cooldown and at the cap and then
// counts nothing, and counts one event per bucket when it admits.
import knex from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as c0021 from '../../../migrations/central/0021_request_claims';
import { startCentral, type Central } from '../support/sync-central';

const CLIENT = '0190a000-0000-7000-8000-0000000000e3';
const OTHER = '0190a000-0000-7000-8000-0000000000e4';
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const ID = 'req:id:77000000001';
const EMAIL = 'req:email:r@example.jp';

describe('central migration 0021_request_claims', () => {
  let central: Central;
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    await central?.stop();
  });

  let n = 0;
  /** A claim for the JSA-ID and the address (caps 2 and 10, cooldown 60 s) at `atMs`. */
  const claim = (client: pg.Client, clientId: string, atMs: number) =>
    client.query<{ a: { outcome: string; seconds?: number; events?: Array<{ key: string; bucket: string; at_ms: number }> } }>(
      `SELECT sync_claim_request($1, $2, $3, $4, $5, 60, 600000) AS a`,
      [clientId, [ID, EMAIL], [2, 10], [`request:t${++n}a`, `request:t${n}b`], atMs],
    );
  const count = async (bucket: string) => (await central.query<{ n: number }>(`SELECT count(*)::int AS n FROM limit_events WHERE bucket = $1`, [bucket]))[0]!.n;

  it('goes down and up with events in place; claims only for the caller and its installation; refuses in the cooldown and at the cap, counting nothing', async () => {
    await central.query(`INSERT INTO kiosks (client_id, kiosk_id, role_name, instance) VALUES ($1, 'kiosk-r', 'kiosk_r', 'abc123'), ($2, 'kiosk-s', 'kiosk_s', NULL)`, [CLIENT, OTHER]);
    // One request for the JSA-ID an hour and a half ago: outside the hour, it counts for nothing.
    await central.query(`INSERT INTO limit_events (key, bucket, at_ms) VALUES ('request:old', $1, $2)`, [ID, T0 - 90 * 60_000]);
    const db = knex({ client: 'pg', connection: central.url, pool: { min: 0, max: 1 } });
    try {
      await db.transaction((tx) => c0021.down(tx));
      expect(await central.query(`SELECT 1 FROM pg_proc WHERE proname = 'sync_claim_request'`)).toEqual([]);
      await db.transaction((tx) => c0021.up(tx));
    } finally {
      await db.destroy();
    }

    const copy = new pg.Client({ connectionString: await central.kioskUrl('kiosk_r'), options: '-c webdesk.instance=def456' });
    await copy.connect();
    try {
      expect(await claim(copy, CLIENT, T0).catch((e: { code?: string }) => e.code)).toBe('WD002');
    } finally {
      await copy.end();
    }
    const kiosk = new pg.Client({ connectionString: await central.kioskUrl('kiosk_r'), options: '-c webdesk.instance=abc123' });
    await kiosk.connect();
    try {
      expect(await claim(kiosk, OTHER, T0).catch((e: Error) => e.message)).toMatch(/belongs to role kiosk_s/);
      expect((await claim(kiosk, CLIENT, T0)).rows[0]!.a).toEqual({
        outcome: 'admitted',
        events: [
          { key: `request:t${n}a`, bucket: ID, at_ms: T0 },
          { key: `request:t${n}b`, bucket: EMAIL, at_ms: T0 },
        ],
      });
      expect((await claim(kiosk, CLIENT, T0 + 10_000)).rows[0]!.a).toEqual({ outcome: 'cooldown', seconds: 50 });
      expect((await claim(kiosk, CLIENT, T0 + 61_000)).rows[0]!.a).toMatchObject({ outcome: 'admitted' });
      // The JSA-ID's cap of 2 is reached: refused, and neither bucket counts the try.
      expect((await claim(kiosk, CLIENT, T0 + 122_000)).rows[0]!.a).toEqual({ outcome: 'limited' });
      expect({ id: await count(ID), email: await count(EMAIL) }).toEqual({ id: 3, email: 2 });
    } finally {
      await kiosk.end();
    }
  });
});
