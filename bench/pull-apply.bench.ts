// A kiosk applying what it pulls (src-main/store/pull-apply.ts), without PostgreSQL: a change
// log shaped like a fleet's (200 kiosks, each writing to its own 5 accounts: contact-name
// updates; staff reset requests, i.e. the open request superseded and a new one inserted;
// some e-mail changes started and confirmed; some retention purges of superseded requests;
// 1 in 200 writes this kiosk's own) is applied to a store in pages of 500 entries, one local
// transaction per page with the cursor, as the puller does.
//
// Figures, each in entries/s over the same entries on a fresh copy of the same store:
//   in log order: consecutive entries of one table in one statement (the puller before);
//   batched: the page grouped by table, one row per key, unchanged rows not written;
//   baseline: the same entries as plain prepared statements straight on the driver (an
//     INSERT … ON CONFLICT DO UPDATE per row with bound values, a DELETE per delete; no
//     version check, no outbox check), 500 per transaction.
// The runs alternate (baseline, log order, batched) and the median of each is reported; the
// final tables of both applies are compared with each other and with the model of central.
// Run: node bench/run.mjs pull-apply [--quick]   (full: 20,000 entries, 3 rounds; --quick: 4,000, 1 round)
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPulledEntries } from '../src-main/services/sync/puller';
import { openDatabase, type Db } from '../src-main/store/database';
import { migrateLocal } from '../src-main/store/migrations';
import { applyInLogOrder, type PulledEntry } from '../src-main/store/pull-apply';
import { readSyncState, setApplying, writeSyncState } from '../src-main/store/sync-state-repo';
import { syncedTables } from '../src-main/store/sync-tables';
import { travellingColumns } from '../src-main/store/sync-triggers';
import { printTable, type BenchRow } from './stats';

const KIOSKS = 200;
const ACCOUNTS_PER_KIOSK = 5;
const PAGE = 500;
const CLIENT = '00000000-0000-4000-8000-000000000000';
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

type Row = Record<string, unknown>;

/** Deterministic so every run applies the same log. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number, w = 12) => n.toString(16).padStart(w, '0');
const accountId = (g: number) => `0190a000-0000-7000-8000-${hex(g)}`;

interface Workload {
  initial: { accounts: Row[]; requests: Row[] };
  entries: PulledEntry[];
  own: PulledEntry[];
  central: Record<string, Map<string, Row>>;
}

function workload(entryCount: number): Workload {
  const rand = prng(8);
  const accounts = new Map<string, Row>();
  const requests = new Map<string, Row>();
  const changes = new Map<string, Row>();
  const openRequest = new Map<string, string>();
  const openChange = new Map<string, string>();
  const superseded: string[] = [];
  const at = (ms: number) => new Date(T0 + ms).toISOString();
  let seq = 0;
  const request = (account: string, kiosk: number, ms: number): Row => {
    seq += 1;
    return {
      id: `0190b000-0000-7000-8000-${hex(seq)}`,
      account_id: account,
      channel: 'staff',
      code_hmac: `code-${seq}`,
      token_hmac: `token-${seq}`,
      grant_hmac: null,
      status: 'pending',
      attempts: 0,
      locale: 'ja',
      kiosk_id: `kiosk-${kiosk}`,
      created_by: null,
      created_at: at(ms),
      expires_at: at(ms + 30 * 60_000),
      verified_at: null,
      completed_at: null,
      version: 1,
    };
  };
  for (let g = 1; g <= KIOSKS * ACCOUNTS_PER_KIOSK; g += 1) {
    const id = accountId(g);
    accounts.set(id, {
      id,
      jsa_id: String(10_000_000_000 + g),
      email: `user${g}@example.jp`,
      email_norm: `user${g}@example.jp`,
      contact_name: `佐藤 ${g}`,
      company: `株式会社サンプル${g % 97}`,
      department: '総務部',
      address: `東京都千代田区${(g % 9) + 1}丁目`,
      phone: `03-0000-${String(g % 10_000).padStart(4, '0')}`,
      password_hash: null,
      password_changed_at: null,
      version: 1,
      created_at: at(0),
      updated_at: at(0),
    });
    const r = request(id, Math.floor((g - 1) / ACCOUNTS_PER_KIOSK), 0);
    requests.set(r.id as string, r);
    openRequest.set(id, r.id as string);
  }
  const initial = { accounts: [...accounts.values()].map((r) => ({ ...r })), requests: [...requests.values()].map((r) => ({ ...r })) };

  const entries: PulledEntry[] = [];
  const own: PulledEntry[] = [];
  let xid = 1000;
  let logId = 0;
  let ms = 1000;
  let txn: PulledEntry[] = [];
  const log = (table: string, op: PulledEntry['op'], row: Row) => {
    logId += 1;
    txn.push({ id: String(logId), xid: String(xid), table_name: table, op, row_json: JSON.stringify(row), key: String(row.id), version: (row.version as number | undefined) ?? null });
  };
  while (entries.length < entryCount) {
    const kiosk = Math.floor(rand() * KIOSKS);
    const account = accountId(kiosk * ACCOUNTS_PER_KIOSK + 1 + Math.floor(rand() * ACCOUNTS_PER_KIOSK));
    ms += 5;
    xid += 1;
    txn = [];
    const r = rand();
    if (r < 0.45) {
      const a = accounts.get(account)!;
      const next = { ...a, contact_name: `fleet kiosk-${kiosk} #${xid}`, version: (a.version as number) + 1, updated_at: at(ms) };
      accounts.set(account, next);
      log('accounts', 'update', next);
    } else if (r < 0.9) {
      const open = openRequest.get(account);
      if (open) {
        const old = requests.get(open)!;
        const next = { ...old, status: 'superseded', version: (old.version as number) + 1 };
        requests.set(open, next);
        superseded.push(open);
        log('reset_requests', 'update', next);
      }
      const fresh = request(account, kiosk, ms);
      requests.set(fresh.id as string, fresh);
      openRequest.set(account, fresh.id as string);
      log('reset_requests', 'insert', fresh);
    } else if (r < 0.95) {
      const open = openChange.get(account);
      if (open) {
        const old = changes.get(open)!;
        const next = { ...old, status: 'confirmed', attempts: 1, confirmed_at: at(ms), version: (old.version as number) + 1 };
        changes.set(open, next);
        openChange.delete(account);
        log('contact_changes', 'update', next);
      } else {
        seq += 1;
        const a = accounts.get(account)!;
        const change: Row = {
          id: `0190c000-0000-7000-8000-${hex(seq)}`,
          account_id: account,
          old_email: a.email,
          new_email: `new${seq}@example.jp`,
          code_hmac: `change-${seq}`,
          status: 'pending',
          attempts: 0,
          locale: 'ja',
          kiosk_id: `kiosk-${kiosk}`,
          created_by: account,
          created_at: at(ms),
          expires_at: at(ms + 30 * 60_000),
          confirmed_at: null,
          version: 1,
        };
        changes.set(change.id as string, change);
        openChange.set(account, change.id as string);
        log('contact_changes', 'insert', change);
      }
    } else if (superseded.length > 0) {
      const gone = superseded.shift()!;
      const row = requests.get(gone)!;
      requests.delete(gone);
      log('reset_requests', 'delete', row);
    }
    entries.push(...txn);
    if (kiosk === 0) own.push(...txn);
  }
  return { initial, entries, own, central: { accounts, reset_requests: requests, contact_changes: changes } };
}

async function seedStore(dir: string, w: Workload): Promise<string> {
  const file = join(dir, 'seed.sqlite3');
  const db = openDatabase(file);
  await migrateLocal(db);
  await db.transaction(async (tx) => {
    await writeSyncState(tx, { client_id: CLIENT, kiosk_id: 'kiosk-0', cursor_xid: '1', cursor_id: 0, first_sync: 'done' });
    for (let i = 0; i < w.initial.accounts.length; i += 100) await tx('accounts').insert(w.initial.accounts.slice(i, i + 100));
    for (let i = 0; i < w.initial.requests.length; i += 100) await tx('reset_requests').insert(w.initial.requests.slice(i, i + 100));
  });
  await db('sync_guard').update({ capture: 1 });
  // This kiosk's own writes are in its store already (written here, pushed, now coming back).
  await db.transaction(async (tx) => {
    await setApplying(tx, true);
    await applyInLogOrder(tx, w.own, CLIENT);
    await setApplying(tx, false);
  });
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.destroy();
  return file;
}

type Path = 'baseline' | 'log order' | 'batched';

async function runPath(path: Path, seed: string, dir: string, entries: readonly PulledEntry[], round: number): Promise<{ seconds: number; dump: string }> {
  const file = join(dir, `${path.replace(' ', '-')}-${round}.sqlite3`);
  copyFileSync(seed, file);
  const db = openDatabase(file);
  await readSyncState(db); // the connection is open before the clock starts
  const nowIso = () => new Date().toISOString();
  const started = performance.now();
  for (let i = 0; i < entries.length; i += PAGE) {
    const page = entries.slice(i, i + PAGE);
    if (path === 'batched') await applyPulledEntries(db, page, CLIENT, nowIso);
    else if (path === 'log order') await inLogOrder(db, page, nowIso);
    else await plainPrepared(db, page);
  }
  const seconds = (performance.now() - started) / 1000;
  const dump = path === 'baseline' ? '' : await dumpTables(db);
  await db.destroy();
  rmSync(file, { force: true });
  return { seconds, dump };
}

/** The puller's transaction as it was before the batched apply. */
async function inLogOrder(db: Db, page: readonly PulledEntry[], nowIso: () => string): Promise<void> {
  await db.transaction(async (tx) => {
    await setApplying(tx, true);
    await applyInLogOrder(tx, page, CLIENT);
    await setApplying(tx, false);
    const last = page[page.length - 1]!;
    const now = await readSyncState(tx);
    await writeSyncState(tx, { cursor_xid: last.xid, cursor_id: Number(last.id), pulled_total: now.pulled_total + page.length, last_pull_at: nowIso() });
  });
}

interface RawStatement {
  run(params: unknown[], cb: (err: Error | null) => void): void;
  finalize(cb?: () => void): void;
}
interface RawConnection {
  prepare(sql: string, cb: (err: Error | null) => void): RawStatement;
  exec(sql: string, cb: (err: Error | null) => void): void;
}

const statementCache = new Map<string, { cols: string[]; upsert: string; del: string }>();

/** Baseline: one prepared statement per entry on the driver's own connection, bound values. */
async function plainPrepared(db: Db, page: readonly PulledEntry[]): Promise<void> {
  const conn = (await db.client.acquireConnection()) as RawConnection;
  const exec = (sql: string) => new Promise<void>((resolve, reject) => conn.exec(sql, (err) => (err ? reject(err) : resolve())));
  const prepared = new Map<string, RawStatement>();
  const prepare = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = conn.prepare(sql, () => undefined)));
    return s;
  };
  const run = (s: RawStatement, params: unknown[]) => new Promise<void>((resolve, reject) => s.run(params, (err) => (err ? reject(err) : resolve())));
  try {
    await exec('BEGIN; UPDATE sync_guard SET applying = 1 WHERE id = 1');
    for (const e of page) {
      const t = statementCache.get(e.table_name)!;
      const row = JSON.parse(e.row_json) as Row;
      if (e.op === 'delete') await run(prepare(t.del), [row.id]);
      else await run(prepare(t.upsert), t.cols.map((c) => row[c] ?? null));
    }
    await exec(`UPDATE sync_guard SET applying = 0 WHERE id = 1; UPDATE sync_state SET cursor_id = ${Number(page[page.length - 1]!.id)} WHERE id = 1; COMMIT`);
  } finally {
    await Promise.all([...prepared.values()].map((s) => new Promise<void>((resolve) => s.finalize(() => resolve()))));
    await db.client.releaseConnection(conn);
  }
}

async function prepareStatements(db: Db): Promise<void> {
  for (const table of syncedTables.filter((t) => !t.surrogate)) {
    const cols = await travellingColumns(db, table);
    statementCache.set(table.name, {
      cols,
      upsert: `INSERT INTO ${table.name} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
        ON CONFLICT(id) DO UPDATE SET ${cols.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`,
      del: `DELETE FROM ${table.name} WHERE id = ?`,
    });
  }
}

async function dumpTables(db: Db): Promise<string> {
  const out: string[] = [];
  for (const table of syncedTables.filter((t) => !t.surrogate)) {
    const cols = await travellingColumns(db, table);
    const rows = (await db(table.name).orderBy('id').select(cols)) as Row[];
    out.push(`${table.name}:${JSON.stringify(rows)}`);
  }
  return out.join('\n');
}

function modelDump(w: Workload, colsByTable: Map<string, string[]>): string {
  const out: string[] = [];
  for (const table of syncedTables.filter((t) => !t.surrogate)) {
    const cols = colsByTable.get(table.name)!;
    const rows = [...(w.central[table.name]?.values() ?? [])]
      .sort((a, b) => String(a.id).localeCompare(String(b.id)))
      .map((r) => Object.fromEntries(cols.map((c) => [c, r[c] ?? null])));
    out.push(`${table.name}:${JSON.stringify(rows)}`);
  }
  return out.join('\n');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const n = quick ? 4_000 : 20_000;
  const rounds = quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'webdesk-pull-apply-'));
  try {
    const w = workload(n);
    const seed = await seedStore(dir, w);
    const probe = openDatabase(seed);
    await prepareStatements(probe);
    const colsByTable = new Map<string, string[]>();
    for (const t of syncedTables) colsByTable.set(t.name, await travellingColumns(probe, t));
    await probe.destroy();
    const byTable = w.entries.reduce<Record<string, number>>((acc, e) => ({ ...acc, [`${e.table_name} ${e.op}`]: (acc[`${e.table_name} ${e.op}`] ?? 0) + 1 }), {});
    process.stdout.write(`pull-apply: ${w.entries.length} entries (${JSON.stringify(byTable)}), ${w.own.length} of them this kiosk's own, pages of ${PAGE}, ${rounds} round(s)\n`);
    const seconds: Record<Path, number[]> = { baseline: [], 'log order': [], batched: [] };
    const dumps: Partial<Record<Path, string>> = {};
    for (let round = 0; round < rounds; round += 1) {
      for (const path of ['baseline', 'log order', 'batched'] as const) {
        const r = await runPath(path, seed, dir, w.entries, round);
        seconds[path].push(r.seconds);
        if (path !== 'baseline') dumps[path] = r.dump;
        process.stdout.write(`  round ${round + 1} ${path}: ${Math.round(w.entries.length / r.seconds)} entries/s (load ${loadavg()[0]!.toFixed(1)})\n`);
      }
    }
    const model = modelDump(w, colsByTable);
    const same = dumps['log order'] === dumps.batched;
    const central = dumps.batched === model;
    const rate = (p: Path) => w.entries.length / median(seconds[p]);
    const label = 'pull apply';
    const rows: BenchRow[] = [
      { bench: label, metric: 'plain prepared statements (baseline)', value: rate('baseline'), unit: 'entries/s' },
      { bench: label, metric: 'in log order (before)', value: rate('log order'), unit: 'entries/s', baseline: rate('baseline'), ratio: rate('log order') / rate('baseline') },
      { bench: label, metric: 'batched by table and key (after)', value: rate('batched'), unit: 'entries/s', baseline: rate('baseline'), ratio: rate('batched') / rate('baseline') },
      { bench: label, metric: 'batched / in log order', value: rate('batched') / rate('log order'), unit: '×' },
      { bench: label, metric: 'final tables: batched = log order', value: same ? 1 : 0, unit: 'bool', goal: '= 1', met: same },
      { bench: label, metric: 'final tables: batched = central', value: central ? 1 : 0, unit: 'bool', goal: '= 1', met: central },
    ];
    printTable(rows);
    process.stdout.write(`host: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')}\n`);
    if (!same || !central) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
