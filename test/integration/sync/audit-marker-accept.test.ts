// The two last pieces of issue 14's audit trail at central, against a real PostgreSQL with
// counters run as the real CLI (`webdesk-cli sync`, `audit-verify`, `audit-accept`):
// 1. A retention purge's marker is signed with the counter's own Ed25519 marker key, whose
//    public half central keeps for ever: after the code key of the time is rotated and retired
//    (central's clock 26 h on), the purge still verifies, locally and at central; a marker signed
//    with another key or with edited fields is still refused; a standalone counter's purge
//    verifies after it joins.
// 2. A cut counter log that audit-verify --central names can be accepted by an admin: recorded
//    at central (who, where, which entries, why, when) in an append-only chain, audited at the
//    counter; verification then reports it as accepted, the counter's stream resumes, and a new
//    cut after it is named again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../../src-main/app/data-dir';
import { createFileSecretStore } from '../../../src-main/app/secret-store';
import { createMarkerKeys, newMarkerKey, signMarker } from '../../../src-main/services/audit-marker-keys';
import { appendAudit, type AuditPurgeMarker } from '../../../src-main/store/audit-repo';
import { RETIRE_GRACE_HOURS, rotateCentralKey } from '../../../src-main/store/central-keys';
import { openDatabase, type Db } from '../../../src-main/store/database';
import { purgeAuditBefore } from '../../../src-main/store/retention-repo';
import { readSyncState } from '../../../src-main/store/sync-state-repo';
import { buildCli, runCli } from '../../support/cli-bundle';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { startCentral, type Central } from '../support/sync-central';
import { manualClock, startTestApp } from '../support/test-app';
import { startKiosk } from '../support/sync-kiosk';

const DAY_MS = 86_400_000;
/** Past the default audit retention (400 days) along the log itself: an entry every 31 days, the most one gap counts (ops/clock-trust.ts). */
const IN_USE_STEPS = 14;
const inUseEntries = async (db: Db, fromMs: number) => {
  for (let i = 1; i <= IN_USE_STEPS; i += 1) await appendAudit(db, { actor: 'staff:s1', action: 'staff.login', detail: {} }, new Date(fromMs + i * 31 * DAY_MS).toISOString());
};

interface Counters {
  central: Central;
  dirs: Map<string, TempDir>;
  envs: Map<string, Record<string, string>>;
}

function harness(ids: readonly string[]) {
  const h: Counters = { central: undefined as unknown as Central, dirs: new Map(), envs: new Map() };
  beforeAll(async () => {
    await buildCli();
    h.central = await startCentral();
    for (const id of ids) {
      const dir = await makeTempDir(`webdesk-marker-${id}-`);
      h.dirs.set(id, dir);
      h.envs.set(id, { WEBDESK_DATA_DIR: dir.path, WEBDESK_KIOSK_ID: id, WEBDESK_CENTRAL_URL: await h.central.kioskUrl(id.replace('-', '_')), WEBDESK_LOG_LEVEL: 'silent' });
    }
  });
  afterAll(async () => {
    await h.central?.stop();
    for (const d of h.dirs.values()) await d.remove();
  });

  const env = (id: string) => h.envs.get(id)!;
  async function query<R extends object>(sql: string, params?: unknown[]): Promise<R[]> {
    const c = await h.central.client();
    try {
      return (await c.query(sql, params)).rows as R[];
    } finally {
      await c.end();
    }
  }
  async function withStore<T>(id: string, work: (db: Db) => Promise<T>): Promise<T> {
    const db = openDatabase(storeFile(h.dirs.get(id)!.path));
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  }
  async function cli(id: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
    const run = await runCli(args, { ...env(id), ...extraEnv });
    return { code: (await run.exited).code, output: run.output() };
  }
  async function sync(id: string): Promise<string> {
    const run = await cli(id, ['sync']);
    expect(run.code, run.output).toBe(0);
    return run.output;
  }
  const write = (id: string, n: number, at = () => new Date().toISOString()) =>
    withStore(id, async (db) => {
      for (let i = 0; i < n; i += 1) await db.transaction((tx) => appendAudit(tx, { actor: 'staff:s1', action: 'staff.login', subject: `${id}-${i}`, detail: { i } }, at()));
    });
  const clientOf = (id: string) => withStore(id, async (db) => (await readSyncState(db)).client_id!);
  const lastSeq = (id: string) => withStore(id, async (db) => ((await db('audit_log').max({ m: 'seq' }).first()) as { m: number }).m);
  /** What someone with the store file can do: lift the append-only trigger, cut the newest rows, put it back. */
  const cut = (id: string, rows: number) =>
    withStore(id, async (db) => {
      const trigger = ((await db.raw(`SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_delete'`)) as Array<{ sql: string }>)[0]!.sql;
      const last = ((await db('audit_log').max({ m: 'seq' }).first()) as { m: number }).m;
      await db.raw('DROP TRIGGER audit_log_no_delete');
      await db('audit_log').where('seq', '>', last - rows).delete();
      await db.raw(trigger);
      return last;
    });
  return { h, env, query, withStore, cli, sync, write, clientOf, lastSeq, cut };
}

describe('purge markers outlive code-key retirement', () => {
  const t = harness(['kiosk-m', 'kiosk-s', 'kiosk-f', 'kiosk-e']);

  it('verifies an old purge marker after its code key was rotated and retired, locally and at central', async () => {
    await t.sync('kiosk-m');
    const k1 = (await t.query<{ id: string }>(`SELECT id FROM code_keys WHERE superseded_at IS NULL`))[0]!.id;
    await t.write('kiosk-m', 30);
    await t.sync('kiosk-m');
    // The retention purge itself, after 434 days in use (older than the audit retention): it keeps what central has not acknowledged.
    const from = Date.now();
    await t.withStore('kiosk-m', (db) => inUseEntries(db, from));
    const app = await startKiosk({ dataDir: t.h.dirs.get('kiosk-m')!.path, kioskId: 'kiosk-m', centralUrl: t.env('kiosk-m').WEBDESK_CENTRAL_URL!, startSync: false, clock: manualClock(from + (IN_USE_STEPS * 31 + 1) * DAY_MS) });
    const streamed = await t.withStore('kiosk-m', async (db) => (await readSyncState(db)).audit_streamed_seq);
    const markerKeyId = app.markers.currentId();
    try {
      const report = await app.retention.purge('staff:admin');
      expect(report.auditEntries).toBe(streamed);
    } finally {
      await app.close();
    }
    const marker = await t.withStore('kiosk-m', async (db) => JSON.parse(((await db('audit_log').where('action', 'audit.purged').first('detail_json')) as { detail_json: string }).detail_json) as AuditPurgeMarker);
    expect(marker).toMatchObject({ throughSeq: streamed, keyId: markerKeyId });
    expect(marker.mac).toBeUndefined();
    await t.sync('kiosk-m');
    // Central holds the counter's public marker key, and removed the same prefix.
    expect(await t.query(`SELECT id FROM audit_marker_keys WHERE client_id = $1`, [await t.clientOf('kiosk-m')])).toEqual([{ id: markerKeyId }]);
    expect(await t.query(`SELECT purged_through FROM kiosk_audit_heads WHERE client_id = $1`, [await t.clientOf('kiosk-m')])).toEqual([{ purged_through: streamed }]);

    // Rotate, then let central's clock pass the 25 h grace: k1 is retired (its secret erased) and the counter drops it.
    const rotated = await rotateCentralKey(t.h.central.url);
    expect(rotated.previous).toBe(k1);
    await t.query(`UPDATE code_keys SET superseded_at = now() - interval '26 hours' WHERE id = $1`, [k1]);
    expect(await t.query(`SELECT sync_retire_code_keys(make_interval(secs => $1)) AS id`, [RETIRE_GRACE_HOURS * 3600])).toEqual([{ id: k1 }]);
    expect(await t.sync('kiosk-m')).toMatch(new RegExp(`code key: ${rotated.current} from central`));
    const held = JSON.parse(createFileSecretStore(t.h.dirs.get('kiosk-m')!.path).get('code-keys')!) as { keys: Array<{ id: string }> };
    expect(held.keys.map((k) => k.id)).toEqual([rotated.current]);

    const local = await t.cli('kiosk-m', ['audit-verify']);
    expect(local.code, local.output).toBe(0);
    expect(local.output).toMatch(/audit: \d+ entries, chain intact/);
    const atCentral = await t.cli('kiosk-m', ['audit-verify', '--central']);
    expect(atCentral.code, atCentral.output).toBe(0);
    expect(atCentral.output).toMatch(new RegExp(`central: kiosk-m \\(client [0-9a-f-]+\\): ${3 + IN_USE_STEPS} entries through seq \\d+ after the purge through seq ${streamed}, chain intact`));
    expect(atCentral.output).toMatch(/every chain intact and complete/);
  });

  it("verifies a standalone counter's purge after it joins: its own marker key goes with it", async () => {
    const dir = t.h.dirs.get('kiosk-s')!.path;
    const from = Date.now();
    const clock = manualClock(from);
    const standalone = await startTestApp({ dataDir: dir, startMailWorker: false, clock });
    let keyId: string;
    try {
      await inUseEntries(standalone.db, from);
      clock.advance((IN_USE_STEPS * 31 + 1) * DAY_MS);
      keyId = standalone.markers.currentId();
      expect((await standalone.retention.purge('staff:admin')).auditEntries).toBeGreaterThan(0);
    } finally {
      await standalone.close();
    }
    await t.sync('kiosk-s');
    expect(await t.query(`SELECT id FROM audit_marker_keys WHERE client_id = $1`, [await t.clientOf('kiosk-s')])).toEqual([{ id: keyId }]);
    const verified = await t.cli('kiosk-s', ['audit-verify', '--central']);
    expect(verified.code, verified.output).toBe(0);
    expect(verified.output).toMatch(/central: kiosk-s \(client [0-9a-f-]+\): \d+ entries through seq \d+ after the purge through seq \d+, chain intact/);
  });

  it('refuses a marker signed with a key not registered for the counter, or whose fields were edited after signing', async () => {
    for (const id of ['kiosk-f', 'kiosk-e']) {
      await t.sync(id);
      await t.write(id, 5);
      await t.sync(id);
    }
    const stranger = newMarkerKey(new Date().toISOString());
    const own = createMarkerKeys(createFileSecretStore(t.h.dirs.get('kiosk-e')!.path), () => new Date().toISOString());
    const forgers: Record<string, (f: Parameters<typeof signMarker>[1]) => ReturnType<typeof signMarker>> = {
      'kiosk-f': (fields) => signMarker(stranger, fields),
      // The counter's own key, but the stored fields are not the ones signed (one more entry "purged").
      'kiosk-e': (fields) => own.sign({ ...fields, purged: fields.purged - 1 }),
    };
    for (const [id, sign] of Object.entries(forgers)) {
      const streamed = await t.withStore(id, async (db) => (await readSyncState(db)).audit_streamed_seq);
      await t.withStore(id, (db) => db.transaction((tx) => purgeAuditBefore(tx, '9999-01-01T00:00:00.000Z', new Date().toISOString(), sign, streamed)));
      await t.sync(id);
      const local = await t.cli(id, ['audit-verify']);
      expect(local.code, local.output).toBe(1);
      expect(local.output).toMatch(/chain broken at seq \d+ \(the log starts there without a valid purge marker\)/);
    }
    const verified = await t.cli('kiosk-m', ['audit-verify', '--central']);
    expect(verified.code, verified.output).toBe(1);
    for (const id of ['kiosk-f', 'kiosk-e']) {
      expect(verified.output).toMatch(new RegExp(`central: ${id} \\(client [0-9a-f-]+\\): chain broken at seq \\d+ \\(the log starts there without a valid purge marker\\)`));
    }
    expect(verified.output).toMatch(/central: kiosk-m \(client [0-9a-f-]+\): \d+ entries through seq \d+ after the purge through seq \d+, chain intact/);
  });

  it("keeps marker keys append-only and lets a counter register one only for its own client", async () => {
    const [key] = await t.query<{ id: string }>(`SELECT id FROM audit_marker_keys WHERE client_id = $1`, [await t.clientOf('kiosk-m')]);
    await expect(t.query(`UPDATE audit_marker_keys SET public_key = public_key WHERE id = $1`, [key!.id])).rejects.toThrow(/append-only/);
    await expect(t.query(`DELETE FROM audit_marker_keys WHERE id = $1`, [key!.id])).rejects.toThrow(/append-only/);
    const pg = await import('pg');
    const asF = new pg.default.Client({ connectionString: t.env('kiosk-f').WEBDESK_CENTRAL_URL });
    await asF.connect();
    try {
      const other = newMarkerKey(new Date().toISOString());
      await expect(asF.query('SELECT audit_marker_key_register($1::uuid, $2, $3)', [await t.clientOf('kiosk-m'), other.id, other.publicKey])).rejects.toThrow(/belongs to role/);
      await expect(asF.query('SELECT audit_marker_key_register($1::uuid, $2, $3)', [await t.clientOf('kiosk-f'), 'm-000000000000', other.publicKey])).rejects.toThrow(/audit_marker_keys_check/);
    } finally {
      await asF.end();
    }
  });
});

describe('an admin accepts a cut counter log', () => {
  const t = harness(['kiosk-a', 'kiosk-g']);

  it('records who accepted which gap and why; verification then reports it as accepted, the stream resumes, and a new cut is named again', async () => {
    for (const id of ['kiosk-a', 'kiosk-g']) {
      await t.sync(id);
      await t.write(id, 10);
      await t.sync(id);
    }
    // kiosk-g's newest 3 entries are removed, it writes on, and central refuses its stream.
    const last = await t.cut('kiosk-g', 3);
    await t.write('kiosk-g', 1);
    expect(await t.sync('kiosk-g')).toMatch(/refused by central/);
    const named = await t.cli('kiosk-a', ['audit-verify', '--central']);
    expect(named.code, named.output).toBe(1);
    expect(named.output).toMatch(new RegExp(`central: kiosk-g \\(client [0-9a-f-]+\\): refused at \\S+: audit row ${last + 1} of kiosk-g refused`));

    // Bad input is refused with a message, and nothing is recorded.
    expect(await t.cli('kiosk-a', ['audit-accept', '--counter', 'kiosk-g'])).toMatchObject({ code: 2 });
    const noGap = await t.cli('kiosk-a', ['audit-accept', '--counter', 'kiosk-a', '--reason', 'test']);
    expect(noGap.code).toBe(1);
    expect(noGap.output).toContain('承認する欠落はありません / the audit log of kiosk-a has no gap to accept');
    expect(await t.query(`SELECT count(*)::int AS n FROM kiosk_audit_acceptances`)).toEqual([{ n: 0 }]);

    const reason = '端末の故障で復元したため（チケット 4711）';
    const accepted = await t.cli('kiosk-a', ['audit-accept', '--counter', 'kiosk-g', '--reason', reason, '--by', 'yamada']);
    expect(accepted.code, accepted.output).toBe(0);
    expect(accepted.output).toMatch(new RegExp(`audit-accept: entries ${last - 2}–${last} removed at kiosk-g: accepted by operator:yamada at \\S+ \\(at kiosk-a, database login kiosk_a\\): ${reason}`));
    const [row] = await t.query<{ kiosk_id: string; from_seq: number; to_seq: number; accepted_by: string; accepted_at_kiosk: string; accepted_role: string; reason: string; refusal: string }>(
      `SELECT kiosk_id, from_seq, to_seq, accepted_by, accepted_at_kiosk, accepted_role, reason, refusal FROM kiosk_audit_acceptances`,
    );
    expect(row).toMatchObject({ kiosk_id: 'kiosk-g', from_seq: last - 2, to_seq: last, accepted_by: 'operator:yamada', accepted_at_kiosk: 'kiosk-a', accepted_role: 'kiosk_a', reason });
    expect(row!.refusal).toMatch(/its previous hash is not the hash of seq/);
    // Audited at the counter where it was done, and that entry reaches central as any other.
    const audited = await t.withStore('kiosk-a', async (db) => db('audit_log').where('action', 'audit.gap_accepted').select('actor', 'subject'));
    expect(audited).toEqual([{ actor: 'operator:yamada', subject: 'kiosk-g' }]);
    // Accepting again: nothing left to accept.
    expect((await t.cli('kiosk-a', ['audit-accept', '--counter', 'kiosk-g', '--reason', 'again'])).code).toBe(1);

    // kiosk-g's stream resumes: its next entry links to the last one it kept, right after the accepted gap.
    const out = await t.sync('kiosk-g');
    expect(out).toMatch(/audit stream: central holds this log through seq (\d+) of \1/);
    await t.sync('kiosk-a');
    const removedStillHeld = await t.query<{ seq: number }>(`SELECT seq FROM kiosk_audit_log WHERE client_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq`, [await t.clientOf('kiosk-g'), last - 2, last]);
    expect(removedStillHeld.map((r) => r.seq)).toEqual([last - 2, last - 1, last]);
    for (const at of ['kiosk-a', 'kiosk-g']) {
      const verified = await t.cli(at, ['audit-verify', '--central']);
      expect(verified.code, verified.output).toBe(0);
      expect(verified.output).toMatch(new RegExp(`central: kiosk-g \\(client [0-9a-f-]+\\): \\d+ entries through seq ${last + 1}, chain intact`));
      expect(verified.output).toMatch(new RegExp(`central: kiosk-g \\(client [0-9a-f-]+\\): entries ${last - 2}–${last} removed at kiosk-g: accepted by operator:yamada at \\S+ \\(at kiosk-a, database login kiosk_a\\): ${reason}`));
      expect(verified.output).toMatch(/central: 1 accepted gap\(s\), their record intact/);
      expect(verified.output).toMatch(/every chain intact and complete/);
    }

    // A purge at kiosk-g up to the last entry it kept before the gap: the accepted gap's entries
    // stay at central, the chain still verifies there and locally (its seqs jump after the cut).
    const signer = createMarkerKeys(createFileSecretStore(t.h.dirs.get('kiosk-g')!.path), () => new Date().toISOString());
    await t.withStore('kiosk-g', (db) => db.transaction((tx) => purgeAuditBefore(tx, '9999-01-01T00:00:00.000Z', new Date().toISOString(), signer.sign, last - 3)));
    await t.sync('kiosk-g');
    expect(await t.query(`SELECT purged_through FROM kiosk_audit_heads WHERE client_id = $1`, [await t.clientOf('kiosk-g')])).toEqual([{ purged_through: last - 3 }]);
    for (const at of ['kiosk-a', 'kiosk-g']) {
      const verified = await t.cli(at, ['audit-verify', '--central']);
      expect(verified.code, verified.output).toBe(0);
      expect(verified.output).toMatch(new RegExp(`central: kiosk-g \\(client [0-9a-f-]+\\): \\d+ entries through seq \\d+ after the purge through seq ${last - 3}, chain intact`));
    }
    expect((await t.cli('kiosk-g', ['audit-verify'])).output).toMatch(/chain intact/);

    // A new cut after the acceptance is named as before.
    await t.write('kiosk-g', 4);
    await t.sync('kiosk-g');
    const again = await t.cut('kiosk-g', 2);
    await t.sync('kiosk-g');
    const renamed = await t.cli('kiosk-a', ['audit-verify', '--central']);
    expect(renamed.code, renamed.output).toBe(1);
    expect(renamed.output).toMatch(new RegExp(`central: kiosk-g \\(client [0-9a-f-]+\\): reported at \\S+ that its log ends at seq ${again - 2} but central holds through seq ${again}: entries ${again - 1}–${again} were removed at kiosk-g`));
    expect(renamed.output).toMatch(new RegExp(`entries ${last - 2}–${last} removed at kiosk-g: accepted by operator:yamada`));
  });

  it('keeps the acceptances append-only, and shows an acceptance changed behind the triggers', async () => {
    // Order: this test changes the acceptance the test before recorded; without it, it says so here.
    expect(await t.query(`SELECT count(*)::int AS n FROM kiosk_audit_acceptances`), 'the acceptance recorded by the test before').toEqual([{ n: 1 }]);
    await expect(t.query(`UPDATE kiosk_audit_acceptances SET reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.query(`DELETE FROM kiosk_audit_acceptances`)).rejects.toThrow(/append-only/);
    await expect(t.query(`TRUNCATE kiosk_audit_acceptances`)).rejects.toThrow(/append-only/);
    // The owner or a superuser can switch the triggers off: the record's own chain still shows the change.
    await t.query(`ALTER TABLE kiosk_audit_acceptances DISABLE TRIGGER kiosk_audit_acceptances_no_change`);
    await t.query(`UPDATE kiosk_audit_acceptances SET accepted_by = 'operator:someone-else'`);
    await t.query(`ALTER TABLE kiosk_audit_acceptances ENABLE TRIGGER kiosk_audit_acceptances_no_change`);
    const verified = await t.cli('kiosk-a', ['audit-verify', '--central']);
    expect(verified.code).toBe(1);
    expect(verified.output).toMatch(/central: the record of accepted gaps is broken at acceptance 1 \(it was changed after it was written\)/);
  });
});
