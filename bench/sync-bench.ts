// Sync figures for issue 6, measured on this machine against a real PostgreSQL:
//   first sync rows/s for N accounts, as a ratio to a plain SQLite bulk load of the same rows;
//   A→B propagation p50/p95 of a contact change while both kiosks are online;
//   push throughput in mutations/s (a backlog queued offline, then pushed), as a ratio to plain
//   INSERTs of the same rows into PostgreSQL (one statement per row, 500 per transaction).
// Run: node bench/run.mjs sync-bench [--quick] [--push-only]
//   (--quick: 100,000 accounts instead of 1,000,000; --push-only: skip the first-sync figures;
//   --first-only: only the first-sync figures)
import { writeFileSync } from 'node:fs';
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
import { openDatabase } from '../src-main/store/database';
import { migrateCentral } from '../src-main/store/central-migrations';
import { migrateLocal } from '../src-main/store/migrations';
import { startPostgres } from '../test/support/postgres';

const quick = process.argv.includes('--quick');
const pushOnly = process.argv.includes('--push-only');
const firstOnly = process.argv.includes('--first-only');
const N = quick ? 100_000 : 1_000_000;
const PAGE = 10_000;
const log = (line: string) => process.stdout.write(`${line}\n`);
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'webdesk-bench-'));
  dirs.push(d);
  return d;
};

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

function kioskApp(url: string, kioskId: string, startSync: boolean): Promise<App> {
  const config = loadConfig({
    WEBDESK_DATA_DIR: tempDir(),
    WEBDESK_KIOSK_ID: kioskId,
    WEBDESK_CENTRAL_URL: url,
    WEBDESK_SECRET: 'bench-deployment-secret-shared-by-all-kiosks',
    WEBDESK_LOG_LEVEL: 'silent',
  });
  return createApp(config, {
    defaultLinkBase: 'web',
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
async function plainBulkLoad(url: string): Promise<number> {
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

/** The first staff lookup after the first sync, as a clerk makes it (app.dispatch, agent's session). */
async function firstStaffSearch(app: App): Promise<{ ms: number; stale: number; found: number }> {
  const stale = await staleSearchRows(app.db);
  const session = app.sessions.create();
  const adminId = ((await app.db('staff_users').first('id')) as { id: string }).id;
  app.sessions.loginStaff(session, adminId, 'admin', false);
  await app.db('staff_users').where({ id: adminId }).update({ must_change_password: 0 });
  const started = performance.now();
  const result = await app.dispatch('staff.accounts.search', { query: `佐藤 ${N - 7}` }, { session, transport: 'http', actor: `staff:${adminId}` });
  const ms = performance.now() - started;
  if (!result.ok) throw new Error(`search failed: ${JSON.stringify(result.error)}`);
  return { ms, stale, found: (result.value as { total: number }).total };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const server = await startPostgres();
  const results: Record<string, unknown> = { accounts: N, machine: `${process.platform} ${process.arch}, node ${process.version}` };
  try {
    await migrateCentral(server.url);
    let t = performance.now();
    if (!pushOnly) {
      await seed(server.url, N, '7');
      log(`seeded ${N} accounts at central in ${((performance.now() - t) / 1000).toFixed(1)} s`);

      const plainSeconds = await plainBulkLoad(server.url);
      const plainRate = N / plainSeconds;
      log(`plain SQLite bulk load: ${N} rows in ${plainSeconds.toFixed(1)} s = ${Math.round(plainRate)} rows/s`);

      const kiosk = await kioskApp(server.url, 'bench-first', false);
      t = performance.now();
      await kiosk.sync!.syncOnce();
      const firstSeconds = (performance.now() - t) / 1000;
      const state = await readSyncState(kiosk.db);
      const copySeconds = (Date.parse(state.first_sync_copied_at!) - Date.parse(state.first_sync_started_at!)) / 1000;
      const indexSeconds = (Date.parse(state.first_sync_finished_at!) - Date.parse(state.first_sync_copied_at!)) / 1000;
      const copyRate = N / copySeconds;
      const firstRate = N / firstSeconds;
      const firstSearch = await firstStaffSearch(kiosk);
      await kiosk.close();
      log(`first staff search after the first sync: ${firstSearch.ms.toFixed(1)} ms (${firstSearch.stale} search rows left stale; found ${firstSearch.found})`);
      results.firstSearchAfterFirstSync = firstSearch;
      log(`first sync, copy: ${N} rows in ${copySeconds.toFixed(1)} s = ${Math.round(copyRate)} rows/s (${(copyRate / plainRate).toFixed(2)} × plain bulk load); the replica serves from here`);
      log(`first sync, search keys folded and indexed: ${indexSeconds.toFixed(1)} s more (${Math.round(N / indexSeconds)} accounts/s)`);
      log(`first sync, end to end: ${firstSeconds.toFixed(1)} s = ${Math.round(firstRate)} rows/s (${(firstRate / plainRate).toFixed(2)} × plain bulk load)`);
      Object.assign(results, {
        plainBulkLoad: { seconds: plainSeconds, rowsPerSecond: plainRate },
        firstSync: { copySeconds, rowsPerSecond: copyRate, ratioToPlain: copyRate / plainRate, indexSeconds, endToEndSeconds: firstSeconds, endToEndRowsPerSecond: firstRate },
      });
    }

    if (firstOnly) return;
    // Propagation and push on a small second database of the same server.
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE small');
    await admin.end();
    const small = server.url.replace(/\/postgres$/, '/small');
    await migrateCentral(small);
    await seed(small, 2_000, '6');
    const a = await kioskApp(small, 'bench-a', true);
    const b = await kioskApp(small, 'bench-b', true);
    for (const app of [a, b]) {
      for (;;) {
        const s = await app.sync!.status();
        if (s.state === 'online' && s.firstSync.state === 'done') break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const samples: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const jsaId = `6${String((i % 2_000) + 1).padStart(10, '0')}`;
      const account = (await findAccountByJsaId(a.db, jsaId))!;
      const name = `伝播 ${i}`;
      const started = performance.now();
      await updateAccount(a.db, account.id, { contact_name: name }, new Date().toISOString());
      for (;;) {
        if ((await findAccountByJsaId(b.db, jsaId))?.contact_name === name) break;
        await new Promise((r) => setTimeout(r, 1));
      }
      samples.push(performance.now() - started);
    }
    samples.sort((x, y) => x - y);
    const p50 = percentile(samples, 50);
    const p95 = percentile(samples, 95);
    log(`A→B propagation (200 contact changes, from A's commit to visible in B's store): p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${samples[samples.length - 1]!.toFixed(1)} ms`);
    results.propagation = { samples: samples.length, p50Ms: p50, p95Ms: p95, maxMs: samples[samples.length - 1] };

    // Push throughput: A queues a backlog with sync stopped, then pushes it in one go.
    await a.sync!.stop();
    const M = quick ? 5_000 : 20_000;
    const ids = ((await a.db('accounts').orderBy('id').select('id')) as Array<{ id: string }>).map((r) => r.id);
    t = performance.now();
    for (let i = 0; i < M; i += 500) {
      await a.db.transaction(async (tx) => {
        for (let j = i; j < Math.min(M, i + 500); j += 1) await updateAccount(tx, ids[j % ids.length]!, { phone: `03-5555-${String(j % 10000).padStart(4, '0')}` }, new Date().toISOString());
      });
    }
    const queueSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const pushed = await a.sync!.syncOnce();
    const pushSeconds = (performance.now() - t) / 1000;
    const plainSeconds = await plainInserts(small, (await a.db('accounts').orderBy('id').limit(M).select('*')) as Array<Record<string, unknown>>, M);
    const pushRate = pushed.pushed / pushSeconds;
    const plainRate = M / plainSeconds;
    log(`push: ${pushed.pushed} mutations in ${pushSeconds.toFixed(2)} s = ${Math.round(pushRate)} mutations/s (queued locally at ${Math.round(M / queueSeconds)} writes/s with capture triggers)`);
    log(`plain PostgreSQL INSERTs of the same rows (one per row, 500 per transaction): ${Math.round(plainRate)} rows/s; push = ${(pushRate / plainRate).toFixed(2)} × plain`);
    results.push = { mutations: pushed.pushed, seconds: pushSeconds, mutationsPerSecond: pushRate, localWritesPerSecond: M / queueSeconds, plainInsertsPerSecond: plainRate, ratioToPlain: pushRate / plainRate };
    await a.close();
    await b.close();
  } finally {
    await server.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  writeFileSync(join(__dirname, '..', '..', 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error instanceof Error ? (error.stack ?? error.message) : String(error)).slice(0, 2000)}\n`);
    process.exit(1);
  },
);
