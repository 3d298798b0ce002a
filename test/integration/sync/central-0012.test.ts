// Central migration 0012 (the kiosks' audit chains) goes down and up again on a migrated
// central with rows in it, as every step must.
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as c0012 from '../../../migrations/central/0012_kiosk_audit_stream';
import * as c0014 from '../../../migrations/central/0014_audit_marker_keys';
import * as c0015 from '../../../migrations/central/0015_audit_gap_acceptances';
import * as c0017 from '../../../migrations/central/0017_one_installation';
import { startCentral, type Central } from '../support/sync-central';

describe('central migration 0012_kiosk_audit_stream', () => {
  let central: Central;
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    await central?.stop();
  });

  const tables = async () =>
    (await central.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE tablename LIKE 'kiosk_audit%' ORDER BY 1`)).map((r) => r.t);

  it('removes the audit tables and its function, and puts them back', async () => {
    await central.query(`INSERT INTO kiosks (client_id, kiosk_id, role_name) VALUES ('0190a000-0000-7000-8000-0000000000aa', 'kiosk-m', current_user)`);
    await central.query(`SELECT audit_append('0190a000-0000-7000-8000-0000000000aa', '[]'::jsonb, 0, NULL)`);
    expect(await tables()).toEqual(['kiosk_audit_acceptances', 'kiosk_audit_heads', 'kiosk_audit_log']);
    const db = knex({ client: 'pg', connection: central.url, pool: { min: 0, max: 1 } });
    try {
      // The later steps that build on it go first, as a rollback would take them (0017 holds the stream to one installation).
      await db.transaction((tx) => c0017.down(tx));
      await db.transaction((tx) => c0015.down(tx));
      await db.transaction((tx) => c0014.down(tx));
      await db.transaction((tx) => c0012.down(tx));
      expect(await tables()).toEqual([]);
      expect(await central.query(`SELECT proname FROM pg_proc WHERE proname LIKE '%audit%'`)).toEqual([]);
      await db.transaction((tx) => c0012.up(tx));
      await db.transaction((tx) => c0014.up(tx));
      await db.transaction((tx) => c0015.up(tx));
      await db.transaction((tx) => c0017.up(tx));
    } finally {
      await db.destroy();
    }
    expect(await tables()).toEqual(['kiosk_audit_acceptances', 'kiosk_audit_heads', 'kiosk_audit_log']);
    // The kiosk still there, its chain starts afresh.
    const [r] = await central.query<{ r: { lastSeq: number } }>(`SELECT audit_append('0190a000-0000-7000-8000-0000000000aa', '[]'::jsonb, 0, NULL) AS r`);
    expect(r!.r.lastSeq).toBe(0);
  });
});
