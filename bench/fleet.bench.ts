// Issue 8, "many counters, one central database": a fleet of kiosks pushing and pulling
// against ONE PostgreSQL for a fixed time, each kiosk writing at a steady rate.
//
// A kiosk here is a light client of the real sync code: its own SQLite store migrated with
// migrateLocal (capture triggers and all), the real sync engine (pusher, puller, first sync,
// LISTEN, one-slot push pool) with its own login role in `webdesk_kiosk` — no mail worker,
// no HTTP, no renderer, no services. Writes go through the real repositories
// (updateAccount; supersedeOpenRequests + insertResetRequest), so the triggers capture them.
// The kiosks run in a few child processes (2-core box: one event loop for 200 engines and
// 200 stores would measure that loop, not central).
//
// Figures, each beside a baseline of 2 kiosks (one writer, one observer) in the same run:
//   push latency: kiosk's local commit → central's sync_push transaction that applied it
//     (processed_mutations.applied_at = now() of that transaction, i.e. its start);
//   propagation: commit at kiosk X → the row visible in kiosk Y's store (sampled writers,
//     one observer per child process polling every 25 ms);
//   connections at central: count(*) FROM pg_stat_activity for the bench database (minus the
//     sampler's own), max during the run, against DESIGN §7 (one held + one borrowed pushing);
//   lost / applied twice: every mutation id the triggers generated vs processed_mutations,
//     and the applied rows (account versions, reset request count) vs the writes made;
//   the customer's side: local write latency (the write's call → its local commit, which
//     includes waiting for the store's one connection while sync holds it) p50/p95/max, and
//     local writes that failed (knex's 60 s wait for that connection);
//   catch-up: once every outbox is empty, the time until every kiosk's pull cursor is at
//     central's last change-log entry (kiosks still behind after 300 s are counted).
// benchFleet() returns the figures as table rows; `npm run bench` (bench/index.ts) and
// `npm run bench:fleet` (bench/fleet.ts: node bench/run.mjs fleet [--quick] [--rate=W]) call it.
// The child processes run dist/bench/fleet-worker.cjs (bench/fleet-worker.ts → runFleetWorker()),
// which bench/run.mjs bundles beside every entry; whichever entry runs the orchestrator, the
// children run only the worker.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { systemClock } from '../src-main/services/clock';
import { createCodeKeys, type CodeKeys } from '../src-main/services/code-keys';
import { createLogger } from '../src-main/services/logger';
import { memorySecretStore } from '../src-main/services/ops/secret-store';
import { createSyncEngine, type SyncEngine } from '../src-main/services/sync/sync-engine';
import { updateAccount } from '../src-main/store/accounts-repo';
import { codeKeyId, newCodeKeySecret } from '../src-main/store/central-keys';
import { migrateCentral } from '../src-main/store/central-migrations';
import { openDatabase, type Db } from '../src-main/store/database';
import { migrateLocal } from '../src-main/store/migrations';
import { insertResetRequest, supersedeOpenRequests } from '../src-main/store/reset-requests-repo';
import { readSyncState } from '../src-main/store/sync-state-repo';
import { startPostgres } from '../test/support/postgres';
import { percentile, type BenchRow } from './stats';

const ACCOUNTS_PER_KIOSK = 5;
/** The child processes' entry, bundled by bench/run.mjs into the same folder as the running bundle. */
const WORKER_BUNDLE = join(__dirname, 'fleet-worker.cjs');
const POLL_OBSERVER_MS = 25;
const CATCH_UP_TIMEOUT_MS = 300_000;

interface KioskSpec {
  index: number;
  kioskId: string;
  url: string;
  accounts: string[];
}
interface WorkerConfig {
  kiosks: KioskSpec[];
  /** Accounts of the sampled writers (propagation), watched by this worker's observer. */
  watched: string[];
  sampledWriters: number[];
  observer: number;
  ratePerSecond: number;
}
interface SampledWrite {
  name: string;
  writer: number;
  commitMs: number;
}
interface WorkerResult {
  kiosks: Array<{ index: number; mutations: Array<[string, number]>; nameUpdates: number; resetRequests: number; lateTicks: number; notIssued: number; writeErrors: number; writeMs: number[] }>;
  sampled: SampledWrite[];
  seen: Array<{ name: string; observer: number; seenMs: number }>;
  maxOutboxDepth: number;
  offlineObservations: number;
  lastErrors: string[];
  drainMs: number;
  /** From the outboxes drained to every kiosk's cursor at central's last change-log entry. */
  catchUpMs: number;
  /** Kiosks whose cursor was still behind when the catch-up wait ended. */
  behind: number;
}
type ToWorker =
  | { type: 'go'; startAt: number; durationMs: number }
  | { type: 'catch-up'; xid: string; id: number; timeoutMs: number }
  | { type: 'key-watch'; keyId: string; timeoutMs: number }
  | { type: 'stop' };
type FromWorker =
  | { type: 'ready' }
  | { type: 'drained' }
  | { type: 'result'; result: WorkerResult }
  | { type: 'watching' }
  | { type: 'key-reached'; reachedMs: number[]; missing: number }
  | { type: 'error'; message: string };
const KEY_ROTATION_TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const accountId = (prefix: string, g: number) => `0190a000-0000-7000-8${prefix}00-${g.toString(16).padStart(12, '0')}`;

// ---------------------------------------------------------------- worker (child process)

interface Kiosk {
  spec: KioskSpec;
  db: Db;
  engine: SyncEngine;
  /** The kiosk's code keys (in memory): the key rotation figure watches them. */
  keys: CodeKeys;
  dir: string;
}

async function openKiosk(spec: KioskSpec): Promise<Kiosk> {
  const dir = mkdtempSync(join(tmpdir(), 'webdesk-fleet-'));
  const db = openDatabase(join(dir, 'webdesk.sqlite3'));
  await migrateLocal(db);
  const logger = createLogger({ level: 'silent' });
  // No WEBDESK_SECRET: the deployment's key comes from central, as on a real counter.
  const keys = createCodeKeys({ localSecret: newCodeKeySecret(), explicitSecret: false, synced: true, secrets: memorySecretStore(), logger });
  const engine = createSyncEngine({
    db,
    centralUrl: spec.url,
    kioskId: spec.kioskId,
    clock: systemClock,
    logger,
    keys,
    options: { minBackoffMs: 100, maxBackoffMs: 1_000, pollMs: 2_000 },
  });
  await engine.prepare();
  engine.start();
  return { spec, db, engine, keys, dir };
}

/** One write in one local transaction; returns the mutation ids its triggers queued. */
async function writeOnce(k: Kiosk, n: number): Promise<{ ids: string[]; kind: 'name' | 'reset'; name?: string }> {
  const account = k.spec.accounts[Math.floor(n / 2) % k.spec.accounts.length]!;
  const now = new Date().toISOString();
  const kind = n % 2 === 0 ? 'name' : 'reset';
  const name = `fleet ${k.spec.kioskId} #${n}`;
  const ids = await k.db.transaction(async (tx) => {
    const before = Number(((await tx('sync_outbox').max({ m: 'seq' }).first()) as { m: number | null } | undefined)?.m ?? 0);
    if (kind === 'name') {
      await updateAccount(tx, account, { contact_name: name }, now);
    } else {
      await supersedeOpenRequests(tx, account);
      await insertResetRequest(tx, {
        id: randomUUID(),
        account_id: account,
        channel: 'staff',
        code_hmac: randomUUID(),
        token_hmac: randomUUID(),
        grant_hmac: null,
        status: 'pending',
        attempts: 0,
        locale: 'ja',
        kiosk_id: k.spec.kioskId,
        created_by: null,
        created_at: now,
        expires_at: new Date(Date.now() + 30 * 60_000).toISOString(),
        verified_at: null,
        completed_at: null,
      });
    }
    const rows = (await tx('sync_outbox').where('seq', '>', before).orderBy('seq').select('mutation_id')) as Array<{ mutation_id: string }>;
    return rows.map((r) => r.mutation_id);
  });
  return { ids, kind, ...(kind === 'name' ? { name } : {}) };
}

async function worker(): Promise<void> {
  const config = JSON.parse(process.env.FLEET_WORKER!) as WorkerConfig;
  const send = (m: FromWorker) => process.send!(m);
  const kiosks: Kiosk[] = [];
  for (let i = 0; i < config.kiosks.length; i += 10) kiosks.push(...(await Promise.all(config.kiosks.slice(i, i + 10).map(openKiosk))));
  const deadline = Date.now() + 180_000;
  for (const k of kiosks) {
    for (;;) {
      const s = await k.engine.status();
      if (s.state === 'online' && s.firstSync.state === 'done') break;
      if (Date.now() > deadline) throw new Error(`${k.spec.kioskId} not online: ${s.state} ${s.lastError ?? ''}`);
      await sleep(50);
    }
  }
  send({ type: 'ready' });
  const go = await new Promise<ToWorker>((resolve) => process.once('message', (m: ToWorker) => resolve(m)));
  if (go.type !== 'go') return;
  await sleep(Math.max(0, go.startAt - Date.now()));
  const endAt = go.startAt + go.durationMs;
  const intervalMs = 1000 / config.ratePerSecond;
  const sampled = new Set(config.sampledWriters);
  const result: WorkerResult = { kiosks: [], sampled: [], seen: [], maxOutboxDepth: 0, offlineObservations: 0, lastErrors: [], drainMs: 0, catchUpMs: 0, behind: 0 };
  const catchUp = new Promise<ToWorker>((resolve) => process.on('message', (m: ToWorker) => m.type === 'catch-up' && resolve(m)));
  let writing = true;

  const writers = kiosks.map(async (k) => {
    const mine = { index: k.spec.index, mutations: [] as Array<[string, number]>, nameUpdates: 0, resetRequests: 0, lateTicks: 0, notIssued: 0, writeErrors: 0, writeMs: [] as number[] };
    result.kiosks.push(mine);
    const offset = Math.random() * intervalMs; // kiosks do not write in step
    for (let n = 0; ; n += 1) {
      const due = go.startAt + offset + n * intervalMs;
      if (due >= endAt) break;
      // A kiosk still behind when the run ends does not write on past it (the run stays bounded).
      if (Date.now() >= endAt) {
        mine.notIssued += Math.ceil((endAt - due) / intervalMs);
        break;
      }
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      else if (wait < -1000) mine.lateTicks += 1;
      let w: Awaited<ReturnType<typeof writeOnce>>;
      const called = performance.now();
      try {
        w = await writeOnce(k, n);
        mine.writeMs.push(performance.now() - called);
      } catch (error) {
        // Rolled back (e.g. the store's one connection not free within knex's 60 s): no mutation was queued.
        mine.writeErrors += 1;
        if (result.lastErrors.length < 5) result.lastErrors.push(`local write: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200));
        continue;
      }
      const commitMs = Date.now();
      for (const id of w.ids) mine.mutations.push([id, commitMs]);
      if (w.kind === 'name') mine.nameUpdates += 1;
      else mine.resetRequests += 1;
      if (w.name && sampled.has(k.spec.index)) result.sampled.push({ name: w.name, writer: k.spec.index, commitMs });
    }
  });

  const observerKiosk = kiosks.find((k) => k.spec.index === config.observer);
  const lastName = new Map<string, string>();
  const observe = async () => {
    if (!observerKiosk || config.watched.length === 0) return;
    while (writing) {
      let rows: Array<{ id: string; contact_name: string }>;
      try {
        rows = (await observerKiosk.db('accounts').whereIn('id', config.watched).select('id', 'contact_name')) as typeof rows;
      } catch (error) {
        if (result.lastErrors.length < 5) result.lastErrors.push(`observer read: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200));
        continue;
      }
      const now = Date.now();
      for (const r of rows) {
        if (lastName.get(r.id) !== r.contact_name) {
          lastName.set(r.id, r.contact_name);
          result.seen.push({ name: r.contact_name, observer: config.observer, seenMs: now });
        }
      }
      await sleep(POLL_OBSERVER_MS);
    }
  };
  const watchStatus = async () => {
    while (writing) {
      for (const k of kiosks) {
        // A starved store answers status late; the pass ends with the run, not after 50 of them.
        if (!writing) break;
        const s = await k.engine.status().catch(() => undefined);
        if (!s) continue;
        result.maxOutboxDepth = Math.max(result.maxOutboxDepth, s.outboxDepth);
        if (s.state !== 'online') result.offlineObservations += 1;
        if (s.lastError && !result.lastErrors.includes(s.lastError)) result.lastErrors.push(s.lastError);
      }
      await sleep(1_000);
    }
  };
  const observing = observe();
  const watching = watchStatus();
  await Promise.all(writers);

  // Drain: every outbox empty; then every kiosk pulls up to central's last change-log entry
  // (the orchestrator reads it once every process has drained), while the observer watches.
  const drainStart = Date.now();
  for (const k of kiosks) {
    while (Date.now() - drainStart < 120_000 && ((await k.engine.status().catch(() => undefined))?.outboxDepth ?? 1) > 0) await sleep(50);
  }
  result.drainMs = Date.now() - drainStart;
  send({ type: 'drained' });
  const target = (await catchUp) as Extract<ToWorker, { type: 'catch-up' }>;
  const catchUpStart = Date.now();
  const reached = async (k: Kiosk) => {
    const s = await readSyncState(k.db).catch(() => undefined);
    if (!s?.cursor_xid) return false;
    const xid = BigInt(s.cursor_xid);
    return xid > BigInt(target.xid) || (xid === BigInt(target.xid) && Number(s.cursor_id) >= target.id);
  };
  let behind = [...kiosks];
  while (behind.length > 0 && Date.now() - catchUpStart < target.timeoutMs) {
    const still: Kiosk[] = [];
    for (const k of behind) if (!(await reached(k))) still.push(k);
    behind = still;
    if (behind.length > 0) await sleep(250);
  }
  result.catchUpMs = Date.now() - catchUpStart;
  result.behind = behind.length;
  await sleep(1_000);
  writing = false;
  await observing;
  await watching;
  send({ type: 'result', result });
  // The rotated code key (issue 14): when each kiosk holds central's new key as current. Watched
  // in memory every 5 ms; the orchestrator rotates once every worker watches.
  for (;;) {
    const order = await new Promise<ToWorker>((resolve) => process.once('message', (m: ToWorker) => resolve(m)));
    if (order.type !== 'key-watch') break;
    const reachedAt = new Map<number, number>();
    send({ type: 'watching' });
    const until = Date.now() + order.timeoutMs;
    while (reachedAt.size < kiosks.length && Date.now() < until) {
      for (const k of kiosks) if (!reachedAt.has(k.spec.index) && k.keys.status().currentKeyId === order.keyId) reachedAt.set(k.spec.index, Date.now());
      await sleep(5);
    }
    send({ type: 'key-reached', reachedMs: [...reachedAt.values()], missing: kiosks.length - reachedAt.size });
  }
  for (const k of kiosks) {
    await k.engine.stop();
    await k.db.destroy();
    rmSync(k.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- orchestrator

interface PhaseFigures {
  kiosks: number;
  processes: number;
  seconds: number;
  mutations: number;
  pushP50: number;
  pushP95: number;
  propP50: number;
  propP95: number;
  propSamples: number;
  propUnseen: number;
  maxConnections: number;
  idleConnections: number;
  lost: number;
  unknownAtCentral: number;
  duplicateIds: number;
  appliedTwiceRows: number;
  outcomes: Record<string, number>;
  centralPerSecond: number;
  maxOutboxDepth: number;
  offlineObservations: number;
  lateTicks: number;
  notIssued: number;
  writeErrors: number;
  writeP50: number;
  writeP95: number;
  writeMax: number;
  drainMs: number;
  catchUpMs: number;
  behind: number;
  keyRotationP50: number;
  keyRotationMax: number;
  keyRotationMissing: number;
  logEntries: number;
  centralCommitsPerSecond: number;
  pullsPerSecond: number;
  pushesPerSecond: number;
  lastErrors: string[];
}

async function runPhase(serverUrl: string, name: string, kioskCount: number, processes: number, seconds: number, ratePerSecond: number, log: (line: string) => void): Promise<PhaseFigures> {
  const admin = new pg.Client({ connectionString: serverUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = serverUrl.replace(/\/postgres$/, `/${name}`);
  await migrateCentral(url);
  const central = new pg.Client({ connectionString: url });
  central.on('error', () => undefined);
  await central.connect();
  const prefix = name === 'fleet_base' ? '6' : '7';
  // Quiet seed (no change log): kiosks get these accounts by their first sync.
  await central.query('SET session_replication_role = replica');
  await central.query(
    `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, department, address, phone, password_hash, version, created_at, updated_at)
     SELECT '0190a000-0000-7000-8' || $2 || '00-' || lpad(to_hex(g), 12, '0'), $2 || lpad(g::text, 10, '0'),
            'user' || g || '@example.jp', 'user' || g || '@example.jp', '佐藤 ' || g, '株式会社サンプル' || (g % 97), '総務部',
            '東京都千代田区' || (g % 9 + 1) || '丁目', '03-0000-' || lpad((g % 10000)::text, 4, '0'), NULL, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
       FROM generate_series(1, $1::int) g`,
    [kioskCount * ACCOUNTS_PER_KIOSK, prefix],
  );
  await central.query('SET session_replication_role = DEFAULT');
  const port = new URL(serverUrl).port;
  const specs: KioskSpec[] = [];
  for (let i = 0; i < kioskCount; i += 1) {
    const role = `${name}_k${String(i).padStart(3, '0')}`;
    await admin.query(`CREATE ROLE ${role} LOGIN IN ROLE webdesk_kiosk`);
    const accounts = Array.from({ length: ACCOUNTS_PER_KIOSK }, (_, j) => accountId(prefix, i * ACCOUNTS_PER_KIOSK + j + 1));
    specs.push({ index: i, kioskId: role, url: `postgres://${role}@127.0.0.1:${port}/${name}`, accounts });
  }
  await admin.end();

  // Sampled writers for propagation: up to 10, spread over the fleet; observers: one per process.
  const stride = Math.max(1, Math.floor(kioskCount / 10));
  const sampledWriters = specs.filter((s) => s.index % stride === (kioskCount > 1 ? stride - 1 : 0)).map((s) => s.index);
  const per = Math.ceil(kioskCount / processes);
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  const results: Promise<WorkerResult>[] = [];
  const drained: Promise<void>[] = [];
  const exits: Promise<void>[] = [];
  const nexts: Array<(type: FromWorker['type']) => Promise<FromWorker>> = [];
  for (let p = 0; p < processes; p += 1) {
    const slice = specs.slice(p * per, (p + 1) * per);
    if (slice.length === 0) continue;
    const observer = slice.find((s) => !sampledWriters.includes(s.index))?.index ?? slice[0]!.index;
    const watched = specs.filter((s) => sampledWriters.includes(s.index) && s.index !== observer).flatMap((s) => s.accounts);
    const config: WorkerConfig = { kiosks: slice, watched, sampledWriters, observer, ratePerSecond };
    const child = fork(WORKER_BUNDLE, [], { env: { ...process.env, FLEET_WORKER: JSON.stringify(config) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    const messages: FromWorker[] = [];
    const waiters: Array<() => void> = [];
    child.on('message', (m: FromWorker) => {
      messages.push(m);
      waiters.splice(0).forEach((w) => w());
    });
    const next = (type: FromWorker['type']) =>
      new Promise<FromWorker>((resolve, reject) => {
        const check = () => {
          const error = messages.find((m) => m.type === 'error');
          if (error) return reject(new Error(`worker ${p}: ${(error as { message: string }).message}`));
          const m = messages.find((x) => x.type === type);
          if (m) return resolve(m);
          waiters.push(check);
        };
        child.once('exit', (code) => reject(new Error(`worker ${p} exited (${code}) before '${type}'`)));
        check();
      });
    nexts.push(next);
    ready.push(next('ready').then(() => undefined));
    drained.push(next('drained').then(() => undefined));
    results.push(next('result').then((m) => (m as { result: WorkerResult }).result));
    exits.push(new Promise((resolve) => child.once('exit', () => resolve())));
  }
  const t0 = performance.now();
  await Promise.all(ready);
  log(`${name}: ${kioskCount} kiosks online (first sync of ${kioskCount * ACCOUNTS_PER_KIOSK} accounts each) in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${children.length} processes`);

  let sampling = true;
  let maxConnections = 0;
  const countConnections = async () =>
    Number((await central.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()')).rows[0]!.n) - 1;
  const sampler = (async () => {
    while (sampling) {
      maxConnections = Math.max(maxConnections, await countConnections());
      await sleep(200);
    }
  })();
  const startAt = Date.now() + 500;
  // What central did while the kiosks wrote and drained: sync_pull and sync_push calls
  // (track_functions = pl), and transactions, which count one per NOTIFY delivered to each
  // listening kiosk (the backend reads the notification queue in a transaction of its own).
  const counters = async () =>
    (
      await central.query<{ commits: string; pulls: string; pushes: string }>(
        `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::text AS commits,
                (SELECT coalesce(sum(calls), 0) FROM pg_stat_user_functions WHERE funcname = 'sync_pull')::text AS pulls,
                (SELECT coalesce(sum(calls), 0) FROM pg_stat_user_functions WHERE funcname = 'sync_push')::text AS pushes`,
      )
    ).rows[0]!;
  const countersBefore = await counters();
  const countersFrom = Date.now();
  for (const c of children) c.send({ type: 'go', startAt, durationMs: seconds * 1000 } satisfies ToWorker);
  await Promise.all(drained);
  // The statistics collector reports with a delay of up to a second (PGSTAT_MIN_INTERVAL).
  await sleep(1_100);
  const countersAfter = await counters();
  const perSecond = (k: 'commits' | 'pulls' | 'pushes') => (Number(countersAfter[k]) - Number(countersBefore[k])) / ((Date.now() - countersFrom) / 1000);
  const centralCommitsPerSecond = perSecond('commits');
  const pullsPerSecond = perSecond('pulls');
  const pushesPerSecond = perSecond('pushes');
  const { rows: last } = await central.query<{ xid: string; id: string; n: string }>(
    `SELECT xid::text AS xid, id::text AS id, (SELECT count(*) FROM change_log)::text AS n FROM change_log ORDER BY xid DESC, id DESC LIMIT 1`,
  );
  const logEntries = Number(last[0]?.n ?? 0);
  for (const c of children) c.send({ type: 'catch-up', xid: last[0]?.xid ?? '0', id: Number(last[0]?.id ?? 0), timeoutMs: CATCH_UP_TIMEOUT_MS } satisfies ToWorker);
  const workerResults = await Promise.all(results);
  // central:rotate-key's step (sync_rotate_code_key) with every kiosk idle and listening: the
  // time until each kiosk holds the new key as current (NOTIFY → pull sees the code_keys entry →
  // sync_code_keys). Same host, same clock.
  const newSecret = newCodeKeySecret();
  const newKeyId = codeKeyId(newSecret);
  const watching = nexts.map((n) => n('watching'));
  for (const c of children) c.send({ type: 'key-watch', keyId: newKeyId, timeoutMs: KEY_ROTATION_TIMEOUT_MS } satisfies ToWorker);
  await Promise.all(watching);
  const reachedReplies = nexts.map((n) => n('key-reached'));
  const rotatedAt = Date.now();
  await central.query('SELECT sync_rotate_code_key($1, $2)', [newKeyId, newSecret]);
  const reachedAll = (await Promise.all(reachedReplies)) as Array<Extract<FromWorker, { type: 'key-reached' }>>;
  const keyTimes = reachedAll.flatMap((r) => r.reachedMs.map((ms) => Math.max(0, ms - rotatedAt))).sort((a, b) => a - b);
  const keyRotationMissing = reachedAll.reduce((a, r) => a + r.missing, 0);
  sampling = false;
  await sampler;
  // Pools idle out after 1 s: what is left is what each kiosk holds.
  await sleep(1_500);
  const idleConnections = await countConnections();
  for (const c of children) c.send({ type: 'stop' } satisfies ToWorker);
  await Promise.all(exits);

  // Lost or twice: every generated mutation id against central's processed_mutations.
  const generated = new Map<string, number>();
  let duplicateIds = 0;
  for (const r of workerResults) for (const k of r.kiosks) for (const [id, ms] of k.mutations) {
    if (generated.has(id)) duplicateIds += 1;
    generated.set(id, ms);
  }
  const { rows: processed } = await central.query<{ id: string; outcome: string; ms: string }>(
    `SELECT mutation_id::text AS id, outcome, (extract(epoch FROM applied_at) * 1000)::float8 AS ms FROM processed_mutations`,
  );
  const outcomes: Record<string, number> = {};
  const push: number[] = [];
  const seenAtCentral = new Set<string>();
  let unknownAtCentral = 0;
  for (const p of processed) {
    outcomes[p.outcome] = (outcomes[p.outcome] ?? 0) + 1;
    seenAtCentral.add(p.id);
    const commit = generated.get(p.id);
    if (commit === undefined) unknownAtCentral += 1;
    else push.push(Math.max(0, Number(p.ms) - commit));
  }
  const lost = [...generated.keys()].filter((id) => !seenAtCentral.has(id)).length;
  // The applied rows: each account's version counts its name updates (only its kiosk writes it);
  // reset requests at central = reset requests written.
  const nameUpdates = workerResults.reduce((a, r) => a + r.kiosks.reduce((b, k) => b + k.nameUpdates, 0), 0);
  const resets = workerResults.reduce((a, r) => a + r.kiosks.reduce((b, k) => b + k.resetRequests, 0), 0);
  const { rows: applied } = await central.query<{ v: string; r: string }>(
    `SELECT (SELECT coalesce(sum(version - 1), 0) FROM accounts)::text AS v, (SELECT count(*) FROM reset_requests)::text AS r`,
  );
  const appliedTwiceRows = Math.max(0, Number(applied[0]!.v) - nameUpdates) + Math.max(0, Number(applied[0]!.r) - resets);
  const appliedMissing = Math.max(0, nameUpdates - Number(applied[0]!.v)) + Math.max(0, resets - Number(applied[0]!.r));
  await central.end();

  // Propagation: a sampled write's commit at X → the observer Y first saw that name.
  const commitByName = new Map<string, SampledWrite>();
  for (const r of workerResults) for (const s of r.sampled) commitByName.set(s.name, s);
  const prop: number[] = [];
  let propUnseen = 0;
  for (const r of workerResults) {
    const observer = r.seen[0]?.observer;
    const seenNames = new Map(r.seen.map((s) => [s.name, s.seenMs]));
    for (const w of commitByName.values()) {
      if (observer === undefined || w.writer === observer) continue;
      const seen = seenNames.get(w.name);
      if (seen === undefined) propUnseen += 1;
      else prop.push(Math.max(0, seen - w.commitMs));
    }
  }
  push.sort((a, b) => a - b);
  prop.sort((a, b) => a - b);
  const writes = workerResults.flatMap((r) => r.kiosks.flatMap((k) => k.writeMs)).sort((a, b) => a - b);
  return {
    kiosks: kioskCount,
    processes: children.length,
    seconds,
    mutations: generated.size,
    pushP50: percentile(push, 50),
    pushP95: percentile(push, 95),
    propP50: percentile(prop, 50),
    propP95: percentile(prop, 95),
    propSamples: prop.length,
    propUnseen,
    maxConnections,
    idleConnections,
    lost: lost + appliedMissing,
    unknownAtCentral,
    duplicateIds,
    appliedTwiceRows,
    outcomes,
    centralPerSecond: processed.length / seconds,
    maxOutboxDepth: Math.max(...workerResults.map((r) => r.maxOutboxDepth)),
    offlineObservations: workerResults.reduce((a, r) => a + r.offlineObservations, 0),
    lateTicks: workerResults.reduce((a, r) => a + r.kiosks.reduce((b, k) => b + k.lateTicks, 0), 0),
    notIssued: workerResults.reduce((a, r) => a + r.kiosks.reduce((b, k) => b + k.notIssued, 0), 0),
    writeErrors: workerResults.reduce((a, r) => a + r.kiosks.reduce((b, k) => b + k.writeErrors, 0), 0),
    writeP50: percentile(writes, 50),
    writeP95: percentile(writes, 95),
    writeMax: writes[writes.length - 1] ?? Number.NaN,
    drainMs: Math.max(...workerResults.map((r) => r.drainMs)),
    catchUpMs: Math.max(...workerResults.map((r) => r.catchUpMs)),
    behind: workerResults.reduce((a, r) => a + r.behind, 0),
    keyRotationP50: percentile(keyTimes, 50),
    keyRotationMax: keyTimes[keyTimes.length - 1] ?? Number.NaN,
    keyRotationMissing,
    logEntries,
    centralCommitsPerSecond,
    pullsPerSecond,
    pushesPerSecond,
    lastErrors: [...new Set(workerResults.flatMap((r) => r.lastErrors))],
  };
}

/**
 * The fleet's size and load for a run: full = 200 kiosks for 60 s at 0.05 writes per kiosk per
 * second (a counter's busy hour: a customer every two minutes, a handful of writes each;
 * 10 writes/s at central), quick = 20 kiosks for 5 s at 1/s. `--rate=W` overrides the load
 * (docs/reliability.md has the 0.1–0.5/s stress runs that show where this box gives way).
 */
export function fleetShape(quick: boolean, argv: readonly string[]) {
  const given = argv.find((a) => a.startsWith('--rate='))?.slice('--rate='.length);
  return { kiosks: quick ? 20 : 200, seconds: quick ? 5 : 60, processes: quick ? 2 : 4, rate: given === undefined ? (quick ? 1 : 0.05) : Number(given) };
}

export interface FleetBenchOptions {
  /** Kiosks in the fleet (issue 8: 200); the baseline is always 2. */
  kiosks: number;
  /** How long every kiosk writes. */
  seconds: number;
  /** Child processes the fleet's kiosks are spread over (the baseline's 2 kiosks run in 1). */
  processes: number;
  /** Writes per kiosk per second. */
  rate: number;
  /**
   * A running server's superuser URL (…/postgres), started with fleetServerOptions(kiosks);
   * it gets the databases fleet_base and fleet_main and their kiosk roles, so one fleet run per
   * server. Without it the bench starts and stops its own.
   */
  serverUrl?: string;
  /** Progress and detail lines (default: none). */
  log?: (line: string) => void;
}

/** PostgreSQL flags for a fleet of `kiosks`: each kiosk holds one connection and borrows a second while pushing: 2 per kiosk + headroom; sync_pull/sync_push call counts. */
export function fleetServerOptions(kiosks: number): string[] {
  return ['-c', `max_connections=${Math.max(100, kiosks * 2 + 50)}`, '-c', 'track_functions=pl'];
}

/** The fleet beside its 2-kiosk baseline (same rate, same time, same server), as table rows. */
export async function benchFleet(options: FleetBenchOptions): Promise<BenchRow[]> {
  const { kiosks, seconds, processes, rate } = options;
  const log = options.log ?? (() => undefined);
  if (!existsSync(WORKER_BUNDLE)) throw new Error(`${WORKER_BUNDLE} is missing: run the fleet bench through bench/run.mjs, which bundles bench/fleet-worker.ts beside the entry`);
  const own = options.serverUrl === undefined ? await startPostgres(fleetServerOptions(kiosks)) : undefined;
  const serverUrl = options.serverUrl ?? own!.url;
  try {
    const base = await runPhase(serverUrl, 'fleet_base', 2, 1, seconds, rate, log);
    const fleet = await runPhase(serverUrl, 'fleet_main', kiosks, processes, seconds, rate, log);
    const label = `fleet ${kiosks}`;
    log(`fleet ${kiosks}: ${kiosks} kiosks in ${fleet.processes} processes, ${rate} write/s each for ${seconds} s; baseline: 2 kiosks (1 process), same rate and time`);
    const r = (metric: string, value: number, unit: string, baseline?: number, goal?: string, met?: boolean): BenchRow => ({
      bench: label,
      metric,
      value,
      unit,
      ...(baseline !== undefined ? { baseline, ratio: baseline === 0 ? undefined : value / baseline } : {}),
      ...(goal !== undefined ? { goal, met } : {}),
    });
    const promise = 2 * kiosks;
    const rows = [
      r('local write latency p50 (customer: call → local commit)', fleet.writeP50, 'ms', base.writeP50),
      r('local write latency p95', fleet.writeP95, 'ms', base.writeP95),
      r('local write latency max', fleet.writeMax, 'ms', base.writeMax),
      r('local writes failed (rolled back, nothing queued)', fleet.writeErrors, 'n', base.writeErrors, '= 0', fleet.writeErrors === 0),
      r('mutations generated', fleet.mutations, 'n', base.mutations),
      r('central applied', fleet.centralPerSecond, 'mutations/s', base.centralPerSecond),
      r('sync_pull calls at central while writing and draining', fleet.pullsPerSecond, '/s', base.pullsPerSecond),
      r('sync_push calls at central while writing and draining', fleet.pushesPerSecond, '/s', base.pushesPerSecond),
      r('central transactions (incl. one per NOTIFY delivered to each listening kiosk)', fleet.centralCommitsPerSecond, '/s', base.centralCommitsPerSecond),
      r('push latency p50 (local commit → central sync_push txn)', fleet.pushP50, 'ms', base.pushP50),
      r('push latency p95 (local commit → central sync_push txn)', fleet.pushP95, 'ms', base.pushP95),
      r(`propagation p50 (commit at X → visible in Y's store, ${fleet.propSamples} samples)`, fleet.propP50, 'ms', base.propP50),
      r('propagation p95', fleet.propP95, 'ms', base.propP95),
      r('connections at central, max during run', fleet.maxConnections, 'n', base.maxConnections, `≤ ${promise} (1 held + 1 pushing per kiosk)`, fleet.maxConnections <= promise),
      r('connections at central, idle after run', fleet.idleConnections, 'n', base.idleConnections, `= ${kiosks} (1 held per kiosk)`, fleet.idleConnections === kiosks),
      r('mutations lost (generated, not processed or not applied)', fleet.lost, 'n', base.lost, '= 0', fleet.lost === 0),
      r('mutations applied twice (dup ids, extra rows/versions, unknown ids)', fleet.duplicateIds + fleet.appliedTwiceRows + fleet.unknownAtCentral, 'n', base.duplicateIds + base.appliedTwiceRows + base.unknownAtCentral, '= 0', fleet.duplicateIds + fleet.appliedTwiceRows + fleet.unknownAtCentral === 0),
      r('max outbox depth at a kiosk (1 s samples)', fleet.maxOutboxDepth, 'n', base.maxOutboxDepth),
      r('drain after writes stopped (all outboxes empty)', fleet.drainMs, 'ms', base.drainMs),
      r(`pull catch-up after the drain (every kiosk at central's last of ${fleet.logEntries} log entries)`, fleet.catchUpMs, 'ms', base.catchUpMs),
      r(`kiosks still behind after ${CATCH_UP_TIMEOUT_MS / 1000} s of catch-up`, fleet.behind, 'n', base.behind, '= 0', fleet.behind === 0),
      r('rotated code key current at every kiosk (rotation at central → key in use), p50', fleet.keyRotationP50, 'ms', base.keyRotationP50),
      r('rotated code key current at every kiosk, max (the last kiosk)', fleet.keyRotationMax, 'ms', base.keyRotationMax),
      r(`kiosks without the rotated key after ${KEY_ROTATION_TIMEOUT_MS / 1000} s`, fleet.keyRotationMissing, 'n', base.keyRotationMissing, '= 0', fleet.keyRotationMissing === 0),
      r('kiosk status samples not online', fleet.offlineObservations, 'n', base.offlineObservations),
      r('write ticks > 1 s late (kiosk event loop behind)', fleet.lateTicks, 'n', base.lateTicks),
      r('write ticks not issued (kiosk still behind when the run ended)', fleet.notIssued, 'n', base.notIssued),
    ];
    for (const [n, f] of [['baseline', base], ['fleet', fleet]] as const) {
      log(
        `${n}: outcomes ${JSON.stringify(f.outcomes)}, propagation samples ${f.propSamples} (+${f.propUnseen} overwritten before the observer's poll), ` +
          `errors seen: ${f.lastErrors.length === 0 ? 'none' : f.lastErrors.join(' | ').slice(0, 500)}`,
      );
    }
    log(
      `scaled down: ${ACCOUNTS_PER_KIOSK} accounts per kiosk (${kiosks * ACCOUNTS_PER_KIOSK} at central), kiosks are sync engines + stores without app/mail/HTTP, ` +
        `${fleet.processes} processes on ${kiosks} kiosks, all on one ${cpus().length}-core host with central`,
    );
    return rows;
  } finally {
    await own?.stop();
  }
}

/** A child process of benchFleet (bench/fleet-worker.ts): its kiosks come in FLEET_WORKER, its orders over IPC. */
export function runFleetWorker(): void {
  if (!process.env.FLEET_WORKER || !process.send) {
    process.stderr.write('fleet-worker: started by benchFleet only (needs FLEET_WORKER and an IPC channel)\n');
    process.exit(2);
  }
  // The orchestrator gone (it failed, or was killed): no kiosks left running on their own.
  process.once('disconnect', () => process.exit(1));
  worker().then(
    () => process.exit(0),
    (error: unknown) => {
      if (process.connected) process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FromWorker);
      setTimeout(() => process.exit(1), 200);
    },
  );
}
