// Central migration 0017 (one installation per counter identity) goes down and up again on a
// central with counters in it; a counter's role may take its own identity over, not another's.
import knex from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as c0017 from '../../../migrations/central/0017_one_installation';
import { startCentral, type Central } from '../support/sync-central';

const CLIENT = '0190a000-0000-7000-8000-0000000000dd';
const OTHER = '0190a000-0000-7000-8000-0000000000de';

describe('central migration 0017_one_installation', () => {
  let central: Central;
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    await central?.stop();
  });

  const instances = async () => (await central.query<{ i: string | null }>(`SELECT instance AS i FROM kiosks ORDER BY client_id`)).map((r) => r.i);

  it('goes down and up with counters registered, and takes over only the caller’s own identity', async () => {
    await central.query(`INSERT INTO kiosks (client_id, kiosk_id, role_name) VALUES ($1, 'kiosk-p', 'kiosk_p'), ($2, 'kiosk-q', 'kiosk_q')`, [CLIENT, OTHER]);
    const db = knex({ client: 'pg', connection: central.url, pool: { min: 0, max: 1 } });
    try {
      await db.transaction((tx) => c0017.down(tx));
      expect(await central.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'kiosks' AND column_name = 'instance'`)).toEqual([]);
      await db.transaction((tx) => c0017.up(tx));
    } finally {
      await db.destroy();
    }
    expect(await instances()).toEqual([null, null]);

    const kiosk = new pg.Client({ connectionString: await central.kioskUrl('kiosk_p'), options: '-c webdesk.instance=abc123' });
    await kiosk.connect();
    try {
      await kiosk.query(`SELECT sync_push($1, '[]'::jsonb, false)`, [CLIENT]);
      expect(await instances()).toEqual(['abc123', null]);
      await kiosk.query(`SELECT sync_take_over($1)`, [CLIENT]);
      expect(await kiosk.query(`SELECT sync_take_over($1)`, [OTHER]).catch((e: Error) => e.message)).toMatch(/belongs to role kiosk_q/);
    } finally {
      await kiosk.end();
    }
    const copy = new pg.Client({ connectionString: await central.kioskUrl('kiosk_p'), options: '-c webdesk.instance=def456' });
    await copy.connect();
    try {
      expect(await copy.query(`SELECT sync_push($1, '[]'::jsonb, false)`, [CLIENT]).catch((e: { code?: string }) => e.code)).toBe('WD002');
      // Its audit rows are refused the same way: the chain at central stays the keeping PC's.
      const row = { seq: 1, at: '2026-01-01T00:00:00.000Z', actor: 'system', action: 'app.started', subject: null, detail_json: '{}', prev_hash: '0'.repeat(64), hash: 'a'.repeat(64) };
      expect(await copy.query(`SELECT audit_append($1, $2::jsonb, 1, NULL)`, [CLIENT, JSON.stringify([row])]).catch((e: { code?: string }) => e.code)).toBe('WD002');
      expect(await central.query(`SELECT count(*)::int AS n FROM kiosk_audit_log`)).toEqual([{ n: 0 }]);
    } finally {
      await copy.end();
    }
  });
});
