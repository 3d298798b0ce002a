// The audit trail at central (issue 14 item 5): three counters stream their audit chains to
// one central PostgreSQL; each counter runs as the real CLI in a child process (`webdesk-cli
// sync`), killed with SIGKILL at random points of its stream, while central is stopped now and
// then. Then: a log cut at a counter is named by `audit-verify --central`, a forged row at
// central is refused by the database, and a retention purge travels with its signed marker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../../src-main/app/data-dir';
import { createFileSecretStore } from '../../../src-main/app/secret-store';
import { createMarkerKeys } from '../../../src-main/services/audit-marker-keys';
import { appendAudit, type AuditRow } from '../../../src-main/store/audit-repo';
import { openDatabase, type Db } from '../../../src-main/store/database';
import { purgeAuditBefore } from '../../../src-main/store/retention-repo';
import { readSyncState } from '../../../src-main/store/sync-state-repo';
import { buildCli, runCli } from '../../support/cli-bundle';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { startCentral, type Central } from '../support/sync-central';

const COUNTERS = ['kiosk-a', 'kiosk-b', 'kiosk-c'] as const;
const ROW_COLUMNS = ['seq', 'at', 'actor', 'action', 'subject', 'detail_json', 'prev_hash', 'hash'] as const;

describe('audit rows streamed to central', () => {
  let central: Central;
  const dirs = new Map<string, TempDir>();
  const envs = new Map<string, Record<string, string>>();

  beforeAll(async () => {
    await buildCli();
    central = await startCentral();
    for (const id of COUNTERS) {
      const dir = await makeTempDir(`webdesk-audit-${id}-`);
      dirs.set(id, dir);
      envs.set(id, {
        WEBDESK_DATA_DIR: dir.path,
        WEBDESK_KIOSK_ID: id,
        WEBDESK_CENTRAL_URL: await central.kioskUrl(id.replace('-', '_')),
        WEBDESK_LOG_LEVEL: 'silent',
      });
    }
  });

  afterAll(async () => {
    await central?.stop();
    for (const d of dirs.values()) await d.remove();
  });

  const env = (id: string) => envs.get(id)!;
  /** A fresh superuser session per query: the outages end the harness's own session. */
  async function centralQuery<R extends object>(sql: string, params?: unknown[]): Promise<R[]> {
    const c = await central.client();
    try {
      return (await c.query(sql, params)).rows as R[];
    } finally {
      await c.end();
    }
  }
  async function withStore<T>(id: string, work: (db: Db) => Promise<T>): Promise<T> {
    const db = openDatabase(storeFile(dirs.get(id)!.path));
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  }
  const localRows = (id: string) => withStore(id, async (db) => (await db('audit_log').orderBy('seq').select(ROW_COLUMNS)) as AuditRow[]);
  const clientOf = (id: string) => withStore(id, async (db) => (await readSyncState(db)).client_id!);
  const centralRows = async (id: string) =>
    centralQuery<AuditRow>(`SELECT ${ROW_COLUMNS.join(', ')} FROM kiosk_audit_log WHERE client_id = $1 ORDER BY seq`, [await clientOf(id)]);

  async function sync(id: string, args: string[] = []): Promise<string> {
    const run = await runCli(['sync', ...args], env(id));
    expect((await run.exited).code, run.output()).toBe(0);
    return run.output();
  }
  async function verifyCentral(id: string): Promise<{ code: number | null; output: string }> {
    const run = await runCli(['audit-verify', '--central'], env(id));
    return { code: (await run.exited).code, output: run.output() };
  }

  it('brings every row of three counters to central in order, exactly once, across SIGKILLs and central outages', async () => {
    for (const id of COUNTERS) await sync(id);
    let killedMidStream = 0;
    let outages = 0;
    let unacknowledged = 0;
    const ROUNDS = 6;
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [n, id] of COUNTERS.entries()) {
        // The counter works between crashes: 40 more audit entries (staff and customer steps).
        await withStore(id, async (db) => {
          for (let i = 0; i < 40; i += 1) {
            await db.transaction((tx) =>
              appendAudit(tx, { actor: i % 2 ? 'kiosk' : 'staff:s1', action: i % 3 ? 'reset.requested' : 'staff.login', subject: `acct-${round}-${i}`, detail: { round, i, counter: id } }, new Date().toISOString()),
            );
          }
        });
        const child = await runCli(['sync', '--verbose', '--audit-batch', '7'], env(id));
        if ((round + n) % 3 === 0) {
          // Central goes away in the middle of this counter's stream, and comes back.
          await child.line(/^audit streamed/).catch(() => undefined);
          await central.server.halt(round % 2 ? 'immediate' : 'fast');
          outages += 1;
          await child.exited;
          await central.server.start();
        } else {
          await child.line(round % 2 ? /^audit streamed/ : /^connected/).catch(() => undefined);
          await new Promise((r) => setTimeout(r, Math.random() * 15));
          child.child.kill('SIGKILL');
          await child.exited;
        }
        const out = child.output();
        if (/audit streamed \d+ up to seq/.test(out) && !/^sync: pushed/m.test(out)) killedMidStream += 1;
        // Central committed a batch whose acknowledgement the counter never stored: the next run sends it again.
        const [held] = await centralQuery<{ last_seq: number }>(`SELECT last_seq FROM kiosk_audit_heads WHERE client_id = $1`, [await clientOf(id)]);
        if ((held?.last_seq ?? 0) > (await withStore(id, async (db) => (await readSyncState(db)).audit_streamed_seq))) unacknowledged += 1;
      }
    }
    console.log(`audit stream: ${ROUNDS * COUNTERS.length} runs, ${killedMidStream} ended between two audit batches or inside one, ${outages} central outages, ${unacknowledged} with a batch at central the counter had not acknowledged`);
    expect(killedMidStream).toBeGreaterThanOrEqual(ROUNDS);
    expect(outages).toBeGreaterThanOrEqual(ROUNDS - 1);

    // And for certain: kiosk-c forgets the acknowledgement of its last 20 rows, as a kill right after central's commit would.
    await withStore('kiosk-c', async (db) => db('sync_state').update({ audit_streamed_seq: db.raw('audit_streamed_seq - 20') }));
    for (const id of COUNTERS) {
      const out = await sync(id);
      expect(out).toMatch(/audit stream: central holds this log through seq (\d+) of \1/);
    }
    for (const id of COUNTERS) {
      const here = await localRows(id);
      expect(here.length).toBeGreaterThanOrEqual(ROUNDS * 40);
      // Same rows, same order, nothing twice (the primary key is (client, seq); every seq once).
      expect(await centralRows(id)).toEqual(here);
    }
    const heads = await centralQuery<{ kiosk_id: string; rows_held: string; last_seq: number; local_seq: number }>(
      `SELECT kiosk_id, rows_held, last_seq, local_seq FROM kiosk_audit_heads ORDER BY kiosk_id`,
    );
    expect(heads.map((h) => h.kiosk_id)).toEqual([...COUNTERS]);
    for (const h of heads) expect(h.local_seq).toBe(h.last_seq);

    const verified = await verifyCentral('kiosk-a');
    expect(verified.code, verified.output).toBe(0);
    for (const id of COUNTERS) expect(verified.output).toMatch(new RegExp(`central: ${id} \\(client [0-9a-f-]+\\): \\d+ entries through seq \\d+, chain intact`));
    expect(verified.output).toMatch(/central: 3 counter\(s\); every chain intact and complete/);
    // 18 CLI runs and 6 PostgreSQL stops and starts: about 35 s on an idle box.
  }, 120_000);

  it('names the counter and the seqs when the newest rows of its local log were removed', async () => {
    const before = await localRows('kiosk-b');
    const last = before.at(-1)!.seq;
    // What someone with the store file can do: lift the append-only trigger, cut the tail, put it back.
    await withStore('kiosk-b', async (db) => {
      const trigger = ((await db.raw(`SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_delete'`)) as Array<{ sql: string }>)[0]!.sql;
      await db.raw('DROP TRIGGER audit_log_no_delete');
      await db('audit_log').where('seq', '>', last - 3).delete();
      await db.raw(trigger);
    });
    // The local check alone cannot see it: the rest of the chain still links.
    const localOnly = await runCli(['audit-verify'], env('kiosk-b'));
    expect((await localOnly.exited).code).toBe(0);
    expect(localOnly.output()).toMatch(/chain intact/);

    const atB = await verifyCentral('kiosk-b');
    expect(atB.code, atB.output).toBe(1);
    expect(atB.output).toContain(`central: kiosk-b (client ${await clientOf('kiosk-b')}): this counter's log ends at seq ${last - 3} but central holds through seq ${last}: entries ${last - 2}–${last} were removed at kiosk-b`);

    // Once kiosk-b's stream has run, central knows its shortened head: checked from another counter too.
    await sync('kiosk-b');
    const atA = await verifyCentral('kiosk-a');
    expect(atA.code, atA.output).toBe(1);
    expect(atA.output).toMatch(new RegExp(`central: kiosk-b \\(client [0-9a-f-]+\\): reported at \\S+ that its log ends at seq ${last - 3} but central holds through seq ${last}: entries ${last - 2}–${last} were removed at kiosk-b`));

    // kiosk-b writes on: its next entry links to seq ${last - 3}, not to central's last; central refuses it and keeps the refusal.
    await withStore('kiosk-b', (db) => db.transaction((tx) => appendAudit(tx, { actor: 'kiosk', action: 'reset.requested', detail: {} }, new Date().toISOString())));
    const out = await sync('kiosk-b');
    expect(out).toMatch(new RegExp(`audit stream: central holds this log through seq ${last} of ${last + 1}.*; refused by central: audit row ${last + 1} of kiosk-b refused: its previous hash is not the hash of seq ${last}`));
    const again = await verifyCentral('kiosk-a');
    expect(again.code).toBe(1);
    expect(again.output).toMatch(new RegExp(`central: kiosk-b \\(client [0-9a-f-]+\\): refused at \\S+: audit row ${last + 1} of kiosk-b refused: its previous hash is not the hash of seq ${last}, the last one central holds; the log at kiosk-b no longer continues central's chain after seq ${last}`));
    // Central still holds every row kiosk-b sent before the cut.
    expect((await centralRows('kiosk-b')).map((r) => r.seq)).toEqual(before.map((r) => r.seq));
  });

  it('refuses a row forged at central whose previous hash is not the last one held, and any change to held rows', async () => {
    const client = await clientOf('kiosk-c');
    const [head] = await centralQuery<{ last_seq: number; last_hash: string }>(`SELECT last_seq, last_hash FROM kiosk_audit_heads WHERE client_id = $1`, [client]);
    const forge = (seq: number, prevHash: string) =>
      centralQuery(
        `INSERT INTO kiosk_audit_log (client_id, seq, at, actor, action, subject, detail_json, prev_hash, hash) VALUES ($1, $2, $3, 'staff:s1', 'staff.unlock', NULL, '{}', $4, $5)`,
        [client, seq, new Date().toISOString(), prevHash, 'e'.repeat(64)],
      );
    // Even as the superuser: the check is the database's, not the kiosk's code.
    await expect(forge(head!.last_seq + 1, 'f'.repeat(64))).rejects.toThrow(/its previous hash is not the hash of seq \d+, the last one central holds/);
    await expect(forge(head!.last_seq, head!.last_hash)).rejects.toThrow(/central already holds the chain through seq/);
    await expect(centralQuery(`UPDATE kiosk_audit_log SET actor = 'kiosk' WHERE client_id = $1 AND seq = $2`, [client, head!.last_seq])).rejects.toThrow(/append-only/);
    await expect(centralQuery(`DELETE FROM kiosk_audit_log WHERE client_id = $1 AND seq = $2`, [client, head!.last_seq])).rejects.toThrow(/append-only/);
    await expect(centralQuery(`TRUNCATE kiosk_audit_log`)).rejects.toThrow(/append-only/);
    const rows = await centralQuery<{ n: number; last: number }>(`SELECT count(*)::int AS n, max(seq) AS last FROM kiosk_audit_log WHERE client_id = $1`, [client]);
    expect(rows[0]!.last).toBe(head!.last_seq);
    expect(rows[0]!.n).toBe((await localRows('kiosk-c')).length);
  });

  it('carries a retention purge to central with its signed marker; the chains still verify', async () => {
    // Signed with kiosk-a's own marker key (its SecretStore file), as its retention purge does.
    const signer = createMarkerKeys(createFileSecretStore(dirs.get('kiosk-a')!.path), () => new Date().toISOString());
    await withStore('kiosk-a', (db) => db.transaction((tx) => appendAudit(tx, { actor: 'kiosk', action: 'reset.requested', detail: { late: true } }, new Date().toISOString())));
    const streamed = await withStore('kiosk-a', async (db) => (await readSyncState(db)).audit_streamed_seq);
    // Everything is "old" to this purge; a synced store still keeps what central has not acknowledged.
    const marker = await withStore('kiosk-a', (db) => db.transaction((tx) => purgeAuditBefore(tx, '9999-01-01T00:00:00.000Z', new Date().toISOString(), signer.sign, streamed)));
    expect(marker?.throughSeq).toBe(streamed);
    await sync('kiosk-a');
    const held = await centralRows('kiosk-a');
    const here = await localRows('kiosk-a');
    expect(held).toEqual(here);
    expect(held[0]!.seq).toBe(streamed + 1);
    expect(held.at(-1)!.action).toBe('audit.purged');

    const verified = await runCli(['audit-verify', '--central'], env('kiosk-a'));
    await verified.exited;
    expect(verified.output()).toMatch(/central: kiosk-a \(client [0-9a-f-]+\): 2 entries through seq \d+ after the purge through seq \d+, chain intact/);
    // kiosk-b's refusal is still reported; nothing else is.
    expect(verified.output().match(/ removed at | broken |differs from|refused at /g)).toEqual(['refused at ']);
  });
});
