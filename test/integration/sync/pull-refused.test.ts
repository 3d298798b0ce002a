// A row from central that the local store refuses (here: a JSA-ID a local account not yet
// pushed already holds) is passed over by the pull, whose cursor moves on: the counter lacks
// that row until it changes again. It must be named where staff look, not only in a log file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { pullBatch } from '../../../src-main/services/sync/puller';
import { insertAccount } from '../../../src-main/store/accounts-repo';
import { startCentral, type Central } from '../support/sync-central';
import { startKioskPair, type KioskPair } from '../support/sync-kiosk';

const NOW = '2026-01-01T00:00:00.000Z';

describe('a pulled row the local store refuses', () => {
  let central: Central;
  let pair: KioskPair;
  let a: App;

  beforeAll(async () => {
    central = await startCentral();
    pair = await startKioskPair(central);
    ({ a } = pair);
  });
  afterAll(async () => {
    await pair?.close();
    await central?.stop();
  });

  it('is named in the audit log by its JSA-ID, with a reason in words rather than SQLite\'s sentence', async () => {
    await a.sync!.stop();
    // Added here and not yet pushed…
    await insertAccount(a.db, { id: '0190a000-0000-7000-8000-00000000e001', jsa_id: '55555555555', email: 'here@example.jp', email_norm: 'here@example.jp', contact_name: '窓口 花子', company: '株式会社ここ', department: '', address: '', phone: '', password_hash: null }, NOW);
    // …while central took the same JSA-ID under another id (an import there).
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at)
       VALUES ('0190a000-0000-7000-8000-00000000e002', '55555555555', 'there@example.jp', 'there@example.jp', '中央 太郎', '株式会社あちら', 1, $1, $1)`,
      [NOW],
    );
    const client = await central.client();
    try {
      const result = await pullBatch(a.db, client, a.sync!.clientId, 500, () => new Date().toISOString());
      expect(result.refused).toBe(1);
      // SQLite's sentence goes to main.log (sync-engine.ts); the audit entry holds a code staff read in words.
      expect(result.refusedBecause).toEqual(['UNIQUE constraint failed: accounts.jsa_id']);
    } finally {
      await client.end();
    }
    const named = (await a.db('audit_log').where({ action: 'sync.pull-refused' }).select('actor', 'subject', 'detail_json')) as Array<{ actor: string; subject: string; detail_json: string }>;
    expect(named.map((e) => ({ actor: e.actor, subject: e.subject, detail: JSON.parse(e.detail_json) as unknown }))).toEqual([
      { actor: 'system', subject: '55555555555', detail: { refusal: 'jsa-id-taken', rows: 1 } },
    ]);
  });

  it('writes one entry per reason for a pull that refuses many rows, with their count, not one per row', async () => {
    const before = await a.db('audit_log').where({ action: 'sync.pull-refused' }).count({ n: '*' });
    // Central emptied and imported again under new ids: every JSA-ID this counter holds is taken.
    for (let i = 1; i <= 3; i += 1) {
      await insertAccount(a.db, { id: `0190a000-0000-7000-8000-00000000f00${i}`, jsa_id: `5555555560${i}`, email: `here${i}@example.jp`, email_norm: `here${i}@example.jp`, contact_name: '窓口 花子', company: '株式会社ここ', department: '', address: '', phone: '', password_hash: null }, NOW);
    }
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at)
       SELECT '0190a000-0000-7000-8000-00000000f10' || g, '5555555560' || g, 'there' || g || '@example.jp', 'there' || g || '@example.jp', '中央 太郎', '株式会社あちら', 1, $1, $1
         FROM generate_series(1, 3) g`,
      [NOW],
    );
    const client = await central.client();
    try {
      expect((await pullBatch(a.db, client, a.sync!.clientId, 500, () => new Date().toISOString())).refused).toBe(3);
    } finally {
      await client.end();
    }
    const named = (await a.db('audit_log').where({ action: 'sync.pull-refused' }).orderBy('seq').offset(Number((before[0] as { n: number }).n)).select('subject', 'detail_json')) as Array<{ subject: string; detail_json: string }>;
    expect(named.map((e) => ({ subject: e.subject, detail: JSON.parse(e.detail_json) as unknown }))).toEqual([{ subject: '55555555601', detail: { refusal: 'jsa-id-taken', rows: 3 } }]);
  });
});
