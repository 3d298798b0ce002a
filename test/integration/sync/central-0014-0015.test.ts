// Central migrations 0014 (audit marker keys) and 0015 (accepted audit gaps) go down and up
// again on a migrated central with rows in them, as every step must; going down, 0015 puts
// back 0012's chain check and audit_append.
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as c0014 from '../../../migrations/central/0014_audit_marker_keys';
import * as c0015 from '../../../migrations/central/0015_audit_gap_acceptances';
import { newMarkerKey } from '../../../src-main/services/audit-marker-keys';
import { startCentral, type Central } from '../support/sync-central';

const CLIENT = '0190a000-0000-7000-8000-0000000000bb';

describe('central migrations 0014_audit_marker_keys and 0015_audit_gap_acceptances', () => {
  let central: Central;
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    await central?.stop();
  });

  const objects = async () => ({
    tables: (await central.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE tablename IN ('audit_marker_keys', 'kiosk_audit_acceptances') ORDER BY 1`)).map((r) => r.t),
    refusedLink: (await central.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'kiosk_audit_heads' AND column_name = 'refused_link'`)).length === 1,
    functions: (await central.query<{ p: string }>(`SELECT proname AS p FROM pg_proc WHERE proname IN ('audit_marker_key_register', 'audit_accept_gap') ORDER BY 1`)).map((r) => r.p),
  });

  it('removes the marker keys and the acceptances, puts 0012 back as it was, and puts them back', async () => {
    await central.query(`INSERT INTO kiosks (client_id, kiosk_id, role_name) VALUES ($1, 'kiosk-n', current_user)`, [CLIENT]);
    const key = newMarkerKey(new Date().toISOString());
    await central.query(`SELECT audit_marker_key_register($1, $2, $3)`, [CLIENT, key.id, key.publicKey]);
    expect(await objects()).toEqual({ tables: ['audit_marker_keys', 'kiosk_audit_acceptances'], refusedLink: true, functions: ['audit_accept_gap', 'audit_marker_key_register'] });
    const db = knex({ client: 'pg', connection: central.url, pool: { min: 0, max: 1 } });
    try {
      await db.transaction((tx) => c0015.down(tx));
      await db.transaction((tx) => c0014.down(tx));
      expect(await objects()).toEqual({ tables: [], refusedLink: false, functions: [] });
      // 0012's audit_append works without the column 0015 added.
      const [r] = await central.query<{ r: { lastSeq: number } }>(`SELECT audit_append($1, '[]'::jsonb, 0, NULL) AS r`, [CLIENT]);
      expect(r!.r.lastSeq).toBe(0);
      await db.transaction((tx) => c0014.up(tx));
      await db.transaction((tx) => c0015.up(tx));
    } finally {
      await db.destroy();
    }
    expect(await objects()).toEqual({ tables: ['audit_marker_keys', 'kiosk_audit_acceptances'], refusedLink: true, functions: ['audit_accept_gap', 'audit_marker_key_register'] });
    expect(await central.query(`SELECT audit_accept_gap($1, 'operator:x', 'why', 'kiosk-n')`, [CLIENT]).catch((e: Error) => e.message)).toMatch(/has no gap to accept/);
  });
});
