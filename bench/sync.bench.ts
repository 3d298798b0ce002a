// Sync figures for issues 6 and 8, measured on this machine against a real PostgreSQL:
//   first sync rows/s for N accounts, as a ratio to a plain SQLite bulk load of the same rows
//   (the copy stage, after which the replica serves; then the search-key index stage);
//   A→B propagation p50/p95 of a contact change while both kiosks are online;
//   push throughput in mutations/s (a backlog queued offline, then pushed), as a ratio to plain
//   INSERTs of the same rows into PostgreSQL (one statement per row, 500 per transaction);
//   audit stream throughput in rows/s (as many audit entries written offline, then streamed),
//   as a ratio to that push.
// benchSync() returns them as table rows; `npm run bench` (bench/index.ts) and
// `npm run bench:sync` (bench/sync-bench.ts) both call it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src-main/app/config';
import { createApp, type App } from '../src-main/app/create-app';
import { findAccountByJsaId, updateAccount } from '../src-main/store/accounts-repo';
import { setWriterFolds } from '../src-main/store/account-search-fold';
import { staleSearchRows } from '../src-main/store/account-search-repo';
import { readSyncState } from '../src-main/store/sync-state-repo';
import { appendAudit } from '../src-main/store/audit-repo';
import { openDatabase } from '../src-main/store/database';
import { migrateCentral } from '../src-main/store/central-migrations';
import { migrateLocal } from '../src-main/store/migrations';
import { startPostgres } from '../test/support/postgres';
import { percentile, type BenchRow } from './stats';

export interface SyncBenchOptions {
  /** Accounts at central for the first sync (issue 8: 1,000,000). */
  accounts: number;
  /** The offline backlog pushed in one go. */
  pushMutations: number;
  /** Contact changes timed from A's commit to B's store. */
  propagationSamples: number;
  /** Only the first-sync figures. */
  firstOnly?: boolean;
  /** Skip the first-sync figures. */
  pushOnly?: boolean;
  /** A running server's superuser URL (…/postgres); without it the bench starts and stops its own. */
  serverUrl?: string;
  /** Progress and detail lines (default: none). */
  log?: (line: string) => void;
  /** Filled with the raw figures (seconds, samples, the first search's result counts). */
  details?: Record<string, unknown>;
}

const PAGE = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function seed(url: string, n: number, prefix: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('SET session_replication_role = replica');
  await c.query(
    `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, department, address, phone, password_hash, version, created_at, updated_at)
     SELECT '0190a000-0000-7000-8' || $2 || '00-' || lpad(to_hex(g), 12, '0'), $2 || lpad(g::text, 10, '0'),
            'user' || g || '@example.jp', 'user' || g || '@example.jp', '佐藤 ' || g, '株式会社サンプル' || (g % 97), '総務部',
            '東京都千代田区' || (g % 9 + 1) || '丁目' || (g % 20 + 1) || '番', '03-0000-' || lpad((g % 10000)::text, 4, '0'),
            '$scrypt$ln=17,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
       FROM generate_series(1, $1::int) g`,
    [n, prefix],
  );
  await c.query('VACUUM ANALYZE accounts');
  await c.end();
}

export function kioskApp(url: string, kioskId: string, startSync: boolean, tempDir: () => string): Promise<App> {
  const config = loadConfig({
    WEBDESK_DATA_DIR: tempDir(),
    WEBDESK_KIOSK_ID: kioskId,
    WEBDESK_CENTRAL_URL: url,
    WEBDESK_LOG_LEVEL: 'silent',
  });
  return createApp(config, {
    defaultLinkBase: 'web',
    firstStart: true,
    scrypt: { logN: 12, r: 8, p: 1 },
    startMailWorker: false,
    startSync,
    syncOptions: { pageSize: PAGE, minBackoffMs: 100, maxBackoffMs: 1000 },
  });
}

/**
 * The same rows, fetched from PostgreSQL beforehand, inserted into the accounts table of a
 * fresh store by plain knex batch inserts, the search triggers standing aside as they do
 * while the first sync copies (the search keys are the index stage's, measured apart).
 */
async function plainBulkLoad(url: string, tempDir: () => string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const pages: string[] = [];
  let after = '';
  for (;;) {
    const { rows } = await c.query<{ json: string; n: number; last: string }>(
      `WITH p AS (SELECT * FROM accounts WHERE id > $1 ORDER BY id LIMIT $2) SELECT coalesce(json_agg(p ORDER BY id)::text, '[]') AS json, count(*)::int AS n, max(id) AS last FROM p`,
      [after, PAGE],
    );
    if (rows[0]!.n === 0) break;
    pages.push(rows[0]!.json);
    after = rows[0]!.last;
  }
  await c.end();
  const db = openDatabase(join(tempDir(), 'plain.sqlite3'));
  await migrateLocal(db);
  const started = performance.now();
  for (const json of pages) {
    const rows = JSON.parse(json) as Array<Record<string, unknown>>;
    await db.transaction(async (tx) => {
      await setWriterFolds(tx, true);
      for (let i = 0; i < rows.length; i += 400) await tx('accounts').insert(rows.slice(i, i + 400)); // SQLite: ≤ 500 terms per compound SELECT
      await setWriterFolds(tx, false);
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await db.destroy();
  return seconds;
}

/** The baseline for push: `n` rows (cycling through `rows`) inserted into a copy of accounts, one INSERT each, 500 per transaction. */
async function plainInserts(url: string, rows: Array<Record<string, unknown>>, n: number): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('CREATE TABLE plain_accounts (LIKE accounts INCLUDING ALL)');
  const cols = Object.keys(rows[0]!);
  const sql = `INSERT INTO plain_accounts (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`;
  const started = performance.now();
  for (let i = 0; i < n; i += 500) {
    await c.query('BEGIN');
    for (let j = i; j < Math.min(n, i + 500); j += 1) {
      const row = rows[j % rows.length]!;
      await c.query(sql, cols.map((k) => (k === 'id' ? `${String(row.id)}-${j}` : k === 'jsa_id' ? `${j}` : row[k])));
    }
    await c.query('COMMIT');
  }
  const seconds = (performance.now() - started) / 1000;
  await c.query('DROP TABLE plain_accounts');
  await c.end();
  return seconds;
}

/** A clerk's first search (app.dispatch, an admin's session): its time, the search rows stale before it, what it found. */
export async function firstStaffSearch(app: App, query: string, field = 'any'): Promise<{ ms: number; stale: number; found: number }> {
  const stale = await staleSearchRows(app.db);
  const session = app.sessions.create();
  const adminId = ((await app.db('staff_users').first('id')) as { id: string }).id;
  app.sessions.loginStaff(session, adminId, 'admin', false);
  await app.db('staff_users').where({ id: adminId }).update({ must_change_password: 0 });
  const started = performance.now();
  const result = await app.dispatch('staff.accounts.search', { query, field }, { session, transport: 'http', actor: `staff:${adminId}` });
  const ms = performance.now() - started;
  if (!result.ok) throw new Error(`search failed: ${JSON.stringify(result.error)}`);
  return { ms, stale, found: (result.value as { total: number }).total };
}

const waitOnline = async (app: App) => {
  for (;;) {
    const s = await app.sync!.status();
    if (s.state === 'online' && s.firstSync.state === 'done') return;
    await sleep(20);
  }
};

/** The first sync of `n` accounts into a new store, beside a plain bulk load of the same rows. */
async function firstSyncRows(url: string, n: number, log: (line: string) => void, details: Record<string, unknown>, tempDir: () => string): Promise<BenchRow[]> {
  let t = performance.now();
  await seed(url, n, '7');
  log(`seeded ${n} accounts at central in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const plainSeconds = await plainBulkLoad(url, tempDir);
  const plainRate = n / plainSeconds;
  log(`plain SQLite bulk load: ${n} rows in ${plainSeconds.toFixed(1)} s = ${Math.round(plainRate)} rows/s`);

  const kiosk = await kioskApp(url, 'bench-first', false, tempDir);
  let firstSeconds: number;
  let copySeconds: number;
  let indexSeconds: number;
  let firstSearch: Awaited<ReturnType<typeof firstStaffSearch>>;
  try {
    t = performance.now();
    await kiosk.sync!.syncOnce();
    firstSeconds = (performance.now() - t) / 1000;
    // The two stages, from the timestamps the first sync records in sync_state.
    const state = await readSyncState(kiosk.db);
    copySeconds = (Date.parse(state.first_sync_copied_at!) - Date.parse(state.first_sync_started_at!)) / 1000;
    indexSeconds = (Date.parse(state.first_sync_finished_at!) - Date.parse(state.first_sync_copied_at!)) / 1000;
    firstSearch = await firstStaffSearch(kiosk, `佐藤 ${n - 7}`);
  } finally {
    await kiosk.close();
  }
  const copyRate = n / copySeconds;
  const firstRate = n / firstSeconds;
  log(`first staff search after the first sync: ${firstSearch.ms.toFixed(1)} ms (${firstSearch.stale} search rows left stale; found ${firstSearch.found})`);
  log(`first sync, copy: ${n} rows in ${copySeconds.toFixed(1)} s = ${Math.round(copyRate)} rows/s (${(copyRate / plainRate).toFixed(2)} × plain bulk load); the replica serves from here`);
  log(`first sync, search keys folded and indexed: ${indexSeconds.toFixed(1)} s more (${Math.round(n / indexSeconds)} accounts/s)`);
  log(`first sync, end to end: ${firstSeconds.toFixed(1)} s = ${Math.round(firstRate)} rows/s (${(firstRate / plainRate).toFixed(2)} × plain bulk load)`);
  Object.assign(details, {
    firstSearchAfterFirstSync: firstSearch,
    plainBulkLoad: { seconds: plainSeconds, rowsPerSecond: plainRate },
    firstSync: { copySeconds, rowsPerSecond: copyRate, ratioToPlain: copyRate / plainRate, indexSeconds, endToEndSeconds: firstSeconds, endToEndRowsPerSecond: firstRate },
  });
  const bench = `first sync of ${n} accounts`;
  return [
    {
      bench,
      metric: 'copy stage, the replica serves from here (baseline: plain SQLite bulk load of the same rows)',
      value: copyRate,
      unit: 'rows/s',
      baseline: plainRate,
      ratio: copyRate / plainRate,
      goal: '≥ 50,000 rows/s and ≥ 0.5 × plain',
      met: copyRate >= 50_000 && copyRate / plainRate >= 0.5,
    },
    { bench, metric: 'search-key index stage', value: indexSeconds, unit: 's' },
    { bench, metric: 'end to end', value: firstSeconds, unit: 's', baseline: plainSeconds, ratio: firstSeconds / plainSeconds },
    { bench, metric: 'end to end', value: firstRate, unit: 'rows/s', baseline: plainRate, ratio: firstRate / plainRate },
    { bench, metric: `first staff search after it (${firstSearch.found} found)`, value: firstSearch.ms, unit: 'ms' },
  ];
}

/** A→B propagation with both kiosks online, then A's offline backlog pushed, beside plain INSERTs. */
async function propagationAndPushRows(url: string, options: SyncBenchOptions, log: (line: string) => void, details: Record<string, unknown>, tempDir: () => string): Promise<BenchRow[]> {
  await migrateCentral(url);
  await seed(url, 2_000, '6');
  const a = await kioskApp(url, 'bench-a', true, tempDir);
  const b = await kioskApp(url, 'bench-b', true, tempDir);
  try {
    await waitOnline(a);
    await waitOnline(b);
    const samples: number[] = [];
    for (let i = 0; i < options.propagationSamples; i += 1) {
      const jsaId = `6${String((i % 2_000) + 1).padStart(10, '0')}`;
      const account = (await findAccountByJsaId(a.db, jsaId))!;
      const name = `伝播 ${i}`;
      const started = performance.now();
      await updateAccount(a.db, account.id, { contact_name: name }, new Date().toISOString());
      for (;;) {
        if ((await findAccountByJsaId(b.db, jsaId))?.contact_name === name) break;
        await sleep(1);
      }
      samples.push(performance.now() - started);
    }
    samples.sort((x, y) => x - y);
    const p50 = percentile(samples, 50);
    const p95 = percentile(samples, 95);
    const max = samples[samples.length - 1]!;
    log(`A→B propagation (${samples.length} contact changes, from A's commit to visible in B's store): p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
    details.propagation = { samples: samples.length, p50Ms: p50, p95Ms: p95, maxMs: max };

    // Push throughput: A queues a backlog with sync stopped, then pushes it in one go.
    await a.sync!.stop();
    const m = options.pushMutations;
    const ids = ((await a.db('accounts').orderBy('id').select('id')) as Array<{ id: string }>).map((r) => r.id);
    let t = performance.now();
    for (let i = 0; i < m; i += 500) {
      await a.db.transaction(async (tx) => {
        for (let j = i; j < Math.min(m, i + 500); j += 1) await updateAccount(tx, ids[j % ids.length]!, { phone: `03-5555-${String(j % 10000).padStart(4, '0')}` }, new Date().toISOString());
      });
    }
    const queueSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const pushed = await a.sync!.syncOnce();
    const pushSeconds = (performance.now() - t) / 1000;
    const plainSeconds = await plainInserts(url, (await a.db('accounts').orderBy('id').limit(m).select('*')) as Array<Record<string, unknown>>, m);
    const pushRate = pushed.pushed / pushSeconds;
    const plainRate = m / plainSeconds;
    log(`push: ${pushed.pushed} mutations in ${pushSeconds.toFixed(2)} s = ${Math.round(pushRate)} mutations/s (queued locally at ${Math.round(m / queueSeconds)} writes/s with capture triggers)`);
    log(`plain PostgreSQL INSERTs of the same rows (one per row, 500 per transaction): ${Math.round(plainRate)} rows/s; push = ${(pushRate / plainRate).toFixed(2)} × plain`);
    details.push = { mutations: pushed.pushed, seconds: pushSeconds, mutationsPerSecond: pushRate, localWritesPerSecond: m / queueSeconds, plainInsertsPerSecond: plainRate, ratioToPlain: pushRate / plainRate };

    // Audit stream (issue 14): as many audit entries as mutations above, written offline, then
    // streamed in one go (batches of 1,000 rows, one central transaction each, chain checked
    // per row by central's trigger); the baseline is the push just measured.
    t = performance.now();
    for (let i = 0; i < m; i += 500) {
      await a.db.transaction(async (tx) => {
        for (let j = i; j < Math.min(m, i + 500); j += 1) await appendAudit(tx, { actor: 'staff:bench', action: 'staff.login', subject: ids[j % ids.length]!, detail: { j } }, new Date().toISOString());
      });
    }
    const auditQueueSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const streamed = await a.sync!.syncOnce();
    const auditSeconds = (performance.now() - t) / 1000;
    const auditRate = streamed.audit / auditSeconds;
    log(`audit stream: ${streamed.audit} rows in ${auditSeconds.toFixed(2)} s = ${Math.round(auditRate)} rows/s (written locally at ${Math.round(m / auditQueueSeconds)} entries/s); audit stream = ${(auditRate / pushRate).toFixed(2)} × push`);
    details.auditStream = { rows: streamed.audit, seconds: auditSeconds, rowsPerSecond: auditRate, localEntriesPerSecond: m / auditQueueSeconds, pushMutationsPerSecond: pushRate, ratioToPush: auditRate / pushRate };
    const propagation = 'sync, 2 kiosks online (A writes, B pulls)';
    return [
      { bench: propagation, metric: `A→B propagation p50 (${samples.length} contact changes)`, value: p50, unit: 'ms' },
      { bench: propagation, metric: 'A→B propagation p95', value: p95, unit: 'ms', goal: 'p95 < 2,000 ms', met: p95 < 2_000 },
      {
        bench: `push of ${m} mutations queued offline`,
        metric: 'throughput (baseline: plain PostgreSQL INSERTs of the rows, 500 per transaction)',
        value: pushRate,
        unit: 'mutations/s',
        baseline: plainRate,
        ratio: pushRate / plainRate,
      },
      {
        bench: `audit stream of ${m} entries written offline`,
        metric: 'throughput (baseline: the push of this run, mutations/s)',
        value: auditRate,
        unit: 'rows/s',
        baseline: pushRate,
        ratio: auditRate / pushRate,
      },
    ];
  } finally {
    await a.close();
    await b.close();
  }
}

/**
 * The sync figures as table rows. Each part runs in a database of its own (`sync_first`,
 * `sync_small`), dropped afterwards, so a server shared with other benches is left as found.
 */
export async function benchSync(options: SyncBenchOptions): Promise<BenchRow[]> {
  const log = options.log ?? (() => undefined);
  const details = options.details ?? {};
  details.accounts = options.accounts;
  details.machine = `${process.platform} ${process.arch}, node ${process.version}`;
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'webdesk-bench-'));
    dirs.push(d);
    return d;
  };
  const own = options.serverUrl === undefined ? await startPostgres() : undefined;
  const serverUrl = options.serverUrl ?? own!.url;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const created: string[] = [];
  const database = async (name: string) => {
    await admin.query(`CREATE DATABASE ${name}`);
    created.push(name);
    return serverUrl.replace(/\/postgres$/, `/${name}`);
  };
  const rows: BenchRow[] = [];
  try {
    if (!options.pushOnly) {
      const url = await database('sync_first');
      await migrateCentral(url);
      rows.push(...(await firstSyncRows(url, options.accounts, log, details, tempDir)));
    }
    // Propagation and push on a small database of the same server.
    if (!options.firstOnly) rows.push(...(await propagationAndPushRows(await database('sync_small'), options, log, details, tempDir)));
  } finally {
    for (const name of created.reverse()) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await own?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  return rows;
}
