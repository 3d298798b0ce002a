// Central migration 0016 (a mutation older than central's memory is a conflict) goes down and
// up again on a central that was pruned before it, as every step must; a counter's role calls
// the new sync_push and not the push behind it.
import knex from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as c0016 from '../../../migrations/central/0016_forgotten_mutations';
import { startCentral, type Central } from '../support/sync-central';

const CLIENT = '0190a000-0000-7000-8000-0000000000cc';

describe('central migration 0016_forgotten_mutations', () => {
  let central: Central;
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    await central?.stop();
  });

  const horizon = async () => (await central.query<{ h: Date | null }>(`SELECT mutations_before AS h FROM change_log_horizon WHERE id = 1`))[0]!.h;

  it('dates what an earlier prune may have forgotten, and puts 0008’s push back going down', async () => {
    const db = knex({ client: 'pg', connection: central.url, pool: { min: 0, max: 1 } });
    try {
      await db.transaction((tx) => c0016.down(tx));
      expect((await central.query(`SELECT proname FROM pg_proc WHERE proname LIKE 'sync_push%'`)).map((r) => r.proname)).toEqual(['sync_push']);
      await central.query(`UPDATE change_log_horizon SET pruned_at = '2026-06-01T00:00:00Z' WHERE id = 1`);
      await db.transaction((tx) => c0016.up(tx));
    } finally {
      await db.destroy();
    }
    expect((await horizon())?.toISOString()).toBe('2026-03-03T00:00:00.000Z');
    // Later forgetting moves it on, never back.
    await central.query(`INSERT INTO kiosks (client_id, kiosk_id, role_name) VALUES ($1, 'kiosk-n', 'kiosk_n')`, [CLIENT]);
    await central.query(
      `INSERT INTO processed_mutations (mutation_id, client_id, seq, table_name, row_key, outcome, applied_at) VALUES
       ('0190a000-0000-7000-8000-000000000001', $1, 1, 'accounts', 'x', 'applied', '2026-01-01T00:00:00Z'),
       ('0190a000-0000-7000-8000-000000000002', $1, 2, 'accounts', 'x', 'applied', '2026-04-01T00:00:00Z')`,
      [CLIENT],
    );
    await central.query(`DELETE FROM processed_mutations`);
    expect((await horizon())?.toISOString()).toBe('2026-04-01T00:00:00.000Z');

    const kiosk = new pg.Client({ connectionString: await central.kioskUrl('kiosk_n') });
    await kiosk.connect();
    try {
      const [r] = (await kiosk.query(`SELECT sync_push($1, '[]'::jsonb, false) AS r`, [CLIENT])).rows as Array<{ r: { lastSeq: number } }>;
      expect(r!.r.lastSeq).toBe(0);
      expect(await kiosk.query(`SELECT sync_push_batch($1, '[]'::jsonb, false)`, [CLIENT]).catch((e: Error) => e.message)).toMatch(/permission denied/);
      // An old mutation of a table central does not sync is the schema's refusal ('error'), as a new one is, not a permission failure.
      const stray = [{ seq: 1, id: '0190a000-0000-7000-8000-0000000000f1', table: 'not_synced', key: 'k', op: 'insert', row: { id: 'k' }, old: null }];
      const [isolated] = (await kiosk.query(`SELECT sync_push($1, $2::jsonb, true) AS r`, [CLIENT, JSON.stringify(stray)])).rows as Array<{ r: { counts: Record<string, number> } }>;
      expect(isolated!.r.counts).toEqual({ error: 1 });
    } finally {
      await kiosk.end();
    }
  });
});
