import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { App } from '../src-main/app/create-app';
import { migrateCentral } from '../src-main/store/central-migrations';
import { accountCsvRow, writeAccountCsv } from '../test/support/account-csv';
import { runCli } from '../test/support/cli-bundle';
import { startPostgres } from '../test/support/postgres';
import { pacedSamples, type BenchRow } from './stats';
import { staleSearchRows } from '../src-main/store/account-search-repo';
import { setAsideSearchIndexCount } from '../src-main/store/account-search-fold';
import { readSyncState } from '../src-main/store/sync-state-repo';
import { raiseCustomerCaps } from './http-bench-app';
import { firstStaffSearch, kioskApp } from './sync.bench';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The baseline: the same file COPYed as CSV, unchecked, into a bare table (no keys, no triggers). */
async function plainCopy(url: string, file: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('CREATE TABLE plain_import (jsa_id text, email text, contact_name text, company text, department text, address text, phone text)');
  const started = performance.now();
  await pipeline(createReadStream(file), c.query(copyFrom('COPY plain_import FROM STDIN WITH (FORMAT csv, HEADER true)')));
  const seconds = (performance.now() - started) / 1000;
  await c.query('DROP TABLE plain_import');
  await c.end();
  return seconds;
}

/**
 * The second baseline: what central's database must do for these rows whoever sends them —
 * the same file COPYed unchecked into a staging table and inserted into central's accounts by
 * SQL alone (its keys, indexes, version triggers and the change log the counters pull from).
 * Only the checking, folding and id-making in Node are left out. Run on a fresh central
 * (`url`), so the accounts table starts as empty as the import's.
 */
async function sqlMerge(url: string, file: string, into: 'accounts' | 'keyed' = 'accounts'): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const started = performance.now();
  await c.query('BEGIN');
  if (into === 'keyed') await c.query('CREATE TEMP TABLE keyed (LIKE accounts INCLUDING ALL) ON COMMIT DROP');
  await c.query('CREATE TEMP TABLE staged (jsa_id text, email text, contact_name text, company text, department text, address text, phone text) ON COMMIT DROP');
  await pipeline(createReadStream(file), c.query(copyFrom('COPY staged FROM STDIN WITH (FORMAT csv, HEADER true)')));
  await c.query(
    `INSERT INTO ${into} (id, jsa_id, email, email_norm, contact_name, company, department, address, phone, password_hash, version, created_at, updated_at)
     SELECT gen_random_uuid()::text, jsa_id, email, lower(email), contact_name, company, department, address, phone, NULL, 1, $1, $1 FROM staged
     ON CONFLICT (jsa_id) DO NOTHING`,
    [new Date().toISOString()],
  );
  await c.query('COMMIT');
  const seconds = (performance.now() - started) / 1000;
  await c.end();
  return seconds;
}

async function waitOnline(app: App): Promise<void> {
  for (;;) {
    const s = await app.sync!.status();
    if (s.state === 'online' && s.firstSync.state === 'done') return;
    await sleep(50);
  }
}

/**
 * A customer's reset.request at a counter every 50 ms, through the counter's own dispatch (the
 * store's one connection is what a pull or a fold holds), alternately for an account the
 * import brings and for none: the same answer either way (enumeration).
 */
async function customerCalls(app: App) {
  await raiseCustomerCaps(app);
  const session = app.sessions.create();
  let i = 0;
  const request = async () => {
    const k = (i++ % 5_000) + 1;
    const started = performance.now();
    const result = await app.dispatch('reset.request', { jsaId: `8${String(k).padStart(10, '0')}`, email: i % 2 === 0 ? `imp${k}@example.jp` : `nobody${k}@example.jp`, locale: 'ja' }, { session, transport: 'http', actor: 'kiosk' });
    if (!result.ok) throw new Error(`reset.request failed: ${JSON.stringify(result.error)}`);
    return performance.now() - started;
  };
  return { paced: (until: () => boolean, max: number) => pacedSamples(request, until, max) };
}

/**
 * `accounts:import -- --central` of `rows` rows beside a plain COPY of the same file into a
 * bare table, and the time from the import's end until a second counter (online, pulling)
 * holds every row; from the import's launch to then beside a new counter's first sync of the
 * same rows.
 */
export async function benchCentralImport(options: { rows: number; serverUrl?: string; log: (line: string) => void }): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'webdesk-central-import-'));
  const own = options.serverUrl === undefined ? await startPostgres() : undefined;
  const serverUrl = options.serverUrl ?? own!.url;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS central_import');
  await admin.query('CREATE DATABASE central_import');
  const url = serverUrl.replace(/\/postgres$/, '/central_import');
  const kiosks: App[] = [];
  try {
    await migrateCentral(url);
    const file = join(dir, 'accounts.csv');
    await writeAccountCsv(file, { rows: options.rows, quotedNewlineEvery: 50 });
    const copySeconds = await plainCopy(url, file);
    const copyRate = options.rows / copySeconds;
    options.log(`plain COPY into a bare table: ${options.rows} rows in ${copySeconds.toFixed(1)} s = ${Math.round(copyRate)} rows/s`);

    await admin.query('DROP DATABASE IF EXISTS central_import_sql');
    await admin.query('CREATE DATABASE central_import_sql');
    const sqlUrl = serverUrl.replace(/\/postgres$/, '/central_import_sql');
    await migrateCentral(sqlUrl);
    const mergeSeconds = await sqlMerge(sqlUrl, file);
    // The floor of any import into a keyed table: the same, into a copy of central's accounts
    // with its keys and indexes but no triggers (no version bump, no change log for the pull).
    const keyedSeconds = await sqlMerge(sqlUrl, file, 'keyed');
    await admin.query('DROP DATABASE central_import_sql WITH (FORCE)');
    const mergeRate = options.rows / mergeSeconds;
    const keyedRate = options.rows / keyedSeconds;
    options.log(`the same rows merged into central's accounts by SQL alone: ${mergeSeconds.toFixed(1)} s = ${Math.round(mergeRate)} rows/s (${(mergeRate / copyRate).toFixed(2)} × plain COPY)`);
    options.log(`the same into a keyed copy of accounts without triggers or change log: ${keyedSeconds.toFixed(1)} s = ${Math.round(keyedRate)} rows/s (${(keyedRate / copyRate).toFixed(2)} × plain COPY)`);

    const counter = await kioskApp(url, 'bench-import-b', true, () => mkdtempSync(join(dir, 'kiosk-')));
    kiosks.push(counter);
    await waitOnline(counter);
    const customers = await customerCalls(counter);
    const before = await customers.paced(() => false, 100);

    const launched = performance.now();
    const run = await runCli(['import', '--central', file], { WEBDESK_DATA_DIR: join(dir, 'operator'), WEBDESK_LOG_LEVEL: 'silent', WEBDESK_CENTRAL_URL: url });
    const line = await run.line(/^import --central \(/);
    const exit = await run.exited;
    const match = /; ([\d,]+) rows in ([\d.]+) s.*peak memory (\d+) MB/.exec(line);
    if (exit.code !== 0 || !match) throw new Error(`central import failed:\n${run.output()}`);
    const importSeconds = Number(match[2]);
    const importRate = options.rows / importSeconds;
    const peakMb = Number(match[3]);
    const ended = performance.now();
    // Customers at the second counter while it takes the rows in: its pulls, then the fold.
    let settled = false;
    const during = customers.paced(() => settled, 20_000);
    for (;;) {
      // A range on the JSA-ID index (LIKE would read the table): the count shares the counter's one connection.
      const held = Number(((await counter.db('accounts').where('jsa_id', '>=', '8').where('jsa_id', '<', '9').count({ n: '*' })) as Array<{ n: number }>)[0]!.n);
      if (held >= options.rows) break;
      await sleep(250);
    }
    const pullSeconds = (performance.now() - ended) / 1000;
    const deliveredSeconds = (performance.now() - launched) / 1000;
    // Pulled rows come with their search keys to fold; the counter folds them after the pull.
    // Counting stale rows scans the table while their index is set aside: asked only once it is back.
    while ((await setAsideSearchIndexCount(counter.db)) > 0 || (await staleSearchRows(counter.db)) > 0) await sleep(100);
    const foldedSeconds = (performance.now() - ended) / 1000;
    settled = true;
    const latency = await during;
    const search = await firstStaffSearch(counter, accountCsvRow(options.rows, { rows: options.rows }).split(',').at(-1)!, 'phone');
    await counter.close();
    kiosks.splice(kiosks.indexOf(counter), 1);
    // The counters' side's baseline: a new counter's first sync copies the same rows from
    // central by primary-key pages, the fastest way a counter takes rows in; its copy stage
    // ends when it holds every row (the search keys are folded after, as at counter B).
    const fresh = await kioskApp(url, 'bench-import-c', false, () => mkdtempSync(join(dir, 'kiosk-')));
    kiosks.push(fresh);
    await fresh.sync!.syncOnce();
    const firstSync = await readSyncState(fresh.db);
    const firstCopySeconds = (Date.parse(firstSync.first_sync_copied_at!) - Date.parse(firstSync.first_sync_started_at!)) / 1000;
    options.log(`accounts:import --central: ${options.rows} rows in ${importSeconds.toFixed(1)} s = ${Math.round(importRate)} rows/s (${(importRate / copyRate).toFixed(2)} × plain COPY), peak RSS ${peakMb} MB; a second counter held them all ${pullSeconds.toFixed(1)} s later, their search keys folded ${foldedSeconds.toFixed(1)} s after the import; its first staff search then ${search.ms.toFixed(1)} ms (found ${search.found}); reset.request there meanwhile p95 ${latency.p95.toFixed(1)} ms over ${latency.n} (before: ${before.p95.toFixed(1)} ms)`);
    options.log(`from the import's launch until the second counter held every row: ${deliveredSeconds.toFixed(1)} s; a new counter's first sync copied the same rows from central in ${firstCopySeconds.toFixed(1)} s (${(deliveredSeconds / firstCopySeconds).toFixed(2)} ×)`);
    const bench = `central account import of ${options.rows.toLocaleString('en-US')} rows`;
    return [
      { bench, metric: 'rows/s (baseline: plain COPY of the same file into a bare table)', value: importRate, unit: 'rows/s', baseline: copyRate, ratio: importRate / copyRate, goal: '≥ 0.5 × plain COPY', met: importRate / copyRate >= 0.5 },
      // No goal of the issue's: it says how much of the gap to a bare COPY is central's own work.
      { bench, metric: "rows/s (baseline: the same rows merged by SQL alone into central's accounts, triggers and change log)", value: importRate, unit: 'rows/s', baseline: mergeRate, ratio: importRate / mergeRate },
      { bench, metric: 'rows/s (baseline: the same rows into a keyed copy of accounts, no triggers, no change log)', value: importRate, unit: 'rows/s', baseline: keyedRate, ratio: importRate / keyedRate },
      { bench, metric: 'peak RSS of the import process', value: peakMb, unit: 'MB', goal: '< 300 MB', met: peakMb < 300 },
      { bench, metric: 'until a second counter holds every row (after the import ends)', value: pullSeconds, unit: 's' },
      {
        bench,
        metric: "from the import's launch until a second counter holds every row (baseline: a new counter's first sync copying the same rows from central)",
        value: deliveredSeconds,
        unit: 's',
        baseline: firstCopySeconds,
        ratio: deliveredSeconds / firstCopySeconds,
      },
      { bench, metric: "until the second counter's search keys are folded too (after the import ends)", value: foldedSeconds, unit: 's' },
      { bench, metric: `first staff search on the second counter then (found ${search.found})`, value: search.ms, unit: 'ms' },
      {
        bench,
        metric: `reset.request p95 at the second counter while it pulls and folds (${latency.n} requests; baseline: the same before)`,
        value: latency.p95,
        unit: 'ms',
        baseline: before.p95,
        ratio: latency.p95 / before.p95,
      },
    ];
  } finally {
    for (const k of kiosks) await k.close();
    await admin.query('DROP DATABASE IF EXISTS central_import WITH (FORCE)').catch(() => undefined);
    await admin.query('DROP DATABASE IF EXISTS central_import_sql WITH (FORCE)').catch(() => undefined);
    await admin.end();
    await own?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
