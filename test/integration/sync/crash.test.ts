// A kiosk killed with SIGKILL (issue 6): at random points of a push, central still ends
// with every mutation exactly once; a first sync of 200,000 accounts killed while copying,
// while folding the search keys and while rebuilding their indexes resumes where it stopped and ends with central's row count and checksum. The kiosk runs as the
// real CLI in a child process (`webdesk-cli sync`), bundled by esbuild at test start.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { storeFile } from '../../../src-main/app/data-dir';
import { setAccountPassword, updateAccount } from '../../../src-main/store/accounts-repo';
import { searchAccounts, staleSearchRows } from '../../../src-main/store/account-search-repo';
import { integrityCheck, openDatabase, type Db } from '../../../src-main/store/database';
import { buildCli, runCli } from '../../support/cli-bundle';
import { seedCentralAccounts, startCentral, type Central } from '../support/sync-central';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const ACCOUNT_COLUMNS = ['id', 'jsa_id', 'email', 'email_norm', 'contact_name', 'company', 'department', 'address', 'phone', 'password_hash', 'password_changed_at', 'version', 'created_at', 'updated_at'];

/** sha256 over every account row in id order, the same way for SQLite and PostgreSQL. */
async function checksum(page: (after: string, limit: number) => Promise<Array<Record<string, unknown>>>): Promise<{ rows: number; sha: string }> {
  const hash = createHash('sha256');
  let after = '';
  let rows = 0;
  for (;;) {
    const batch = await page(after, 20_000);
    for (const r of batch) hash.update(JSON.stringify(ACCOUNT_COLUMNS.map((c) => (r[c] === null || r[c] === undefined ? null : String(r[c])))));
    rows += batch.length;
    if (batch.length < 20_000) return { rows, sha: hash.digest('hex') };
    after = String(batch[batch.length - 1]!.id);
  }
}

const localChecksum = (db: Db) => checksum((after, limit) => db('accounts').where('id', '>', after).orderBy('id').limit(limit).select(ACCOUNT_COLUMNS));
const centralChecksum = (c: pg.Client) =>
  checksum(async (after, limit) => (await c.query(`SELECT ${ACCOUNT_COLUMNS.join(', ')} FROM accounts WHERE id > $1 ORDER BY id LIMIT $2`, [after, limit])).rows);

const SEARCH_INDEXES = [
  'account_search_company_f_index',
  'account_search_name_f_index',
  'account_search_name_last_f_index',
  'account_search_phone_d_index',
  'account_search_phone_r_index',
  'account_search_stale',
];

async function indexesOf(db: Db, table: string): Promise<string[]> {
  const rows = (await db.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`, [table])) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

/**
 * After a first sync: every index and trigger back, the file sound, one search row and one
 * trigram row per account, and a clerk's lookup finds accounts by folded name and phone. The
 * row central changed after it was copied came through the change log: the 0011 trigger
 * marked it stale and the fold the pull starts folded it, so no clerk's search waits for it.
 */
async function expectCompleteSearchIndex(db: Db, accounts: number): Promise<void> {
  expect(await indexesOf(db, 'account_search')).toEqual(['account_search_account_id_unique', ...SEARCH_INDEXES].sort());
  expect(await indexesOf(db, 'accounts')).toEqual(['accounts_email_norm_index', 'accounts_jsa_id_unique']);
  const triggers = ((await db.raw(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'accounts' ORDER BY name`)) as Array<{ name: string }>).map((r) => r.name);
  expect(triggers).toEqual(['accounts_search_insert', 'accounts_search_update', 'sync_capture_accounts_delete', 'sync_capture_accounts_insert', 'sync_capture_accounts_update']);
  expect(await integrityCheck(db)).toBe('ok');
  expect(await db('account_search_guard').first('writer_folds')).toEqual({ writer_folds: 0 });
  expect(await db('account_search').count({ n: '*' })).toEqual([{ n: accounts }]);
  expect(await db.raw('SELECT count(*) AS n FROM account_search_fts')).toEqual([{ n: accounts }]);
  expect(await staleSearchRows(db)).toBe(0);
  expect((await searchAccounts(db, '途中で変更', 'name', 1, 10)).rows.map((r) => r.jsa_id)).toEqual(['70000000001']);
  const sample = (await db('accounts').where({ jsa_id: '70000123456' }).first()) as { contact_name: string; phone: string };
  expect((await searchAccounts(db, sample.contact_name.replace(' ', '　'), 'name', 1, 10)).rows.map((r) => r.jsa_id)).toContain('70000123456');
  expect((await searchAccounts(db, `７０００${'0123456'}`, 'jsaId', 1, 10)).rows.map((r) => r.jsa_id)).toEqual(['70000123456']);
}

describe('kiosk killed with SIGKILL', () => {
  let central: Central;
  const dirs: TempDir[] = [];

  beforeAll(async () => {
    await buildCli();
    central = await startCentral();
    await seedCentralAccounts(central, 300);
  });

  afterAll(async () => {
    await central?.stop();
    for (const d of dirs) await d.remove();
  });

  const envFor = async (dir: string, kioskId: string, role: string) => ({
    WEBDESK_DATA_DIR: dir,
    WEBDESK_KIOSK_ID: kioskId,
    WEBDESK_CENTRAL_URL: await central.kioskUrl(role),
    WEBDESK_LOG_LEVEL: 'silent',
  });

  it('applies every mutation exactly once however often a push is killed', async () => {
    const dir = await makeTempDir('webdesk-crash-push-');
    dirs.push(dir);
    const env = await envFor(dir.path, 'kiosk-k', 'kiosk_k');
    const first = await runCli(['sync'], env);
    expect((await first.exited).code, first.output()).toBe(0);

    const created = new Set<string>();
    const ids = ((await central.query<{ id: string }>(`SELECT id FROM accounts ORDER BY id`)) as Array<{ id: string }>).map((r) => r.id);
    let midPush = 0;
    const RUNS = 24;
    for (let run = 0; run < RUNS; run += 1) {
      // The kiosk serves between crashes: 30 more writes (edits and password changes) queue up.
      const db = openDatabase(storeFile(dir.path));
      for (let i = 0; i < 30; i += 1) {
        const id = ids[(run * 31 + i * 7) % ids.length]!;
        const now = new Date().toISOString();
        if (i % 10 === 0) await db.transaction((tx) => setAccountPassword(tx, id, `$scrypt$ln=12,r=8,p=1$run${run}$${i}`, now));
        else await updateAccount(db, id, { contact_name: `run ${run} edit ${i}` }, now);
      }
      for (const r of (await db('sync_outbox').select('mutation_id')) as Array<{ mutation_id: string }>) created.add(r.mutation_id);
      await db.destroy();

      const child = await runCli(['sync', '--verbose', '--push-batch', '3'], env);
      // Odd runs die inside the push phase for sure (after its first batch); even runs anywhere
      // from connecting on (before, during or after the push).
      await child.line(run % 2 === 1 ? /^pushed/ : /^connected/).catch(() => undefined);
      await new Promise((r) => setTimeout(r, Math.random() * (run % 2 === 1 ? 10 : 25)));
      child.child.kill('SIGKILL');
      await child.exited;
      const out = child.output();
      if (/pushed \d+ up to seq/.test(out) && !/^sync: pushed/m.test(out)) midPush += 1;
    }
    console.log(`SIGKILL runs: ${RUNS}, killed between two push batches or inside one: ${midPush}, mutations created: ${created.size}`);
    expect(midPush).toBeGreaterThanOrEqual(RUNS / 2 - 2);

    const last = await runCli(['sync'], env);
    expect((await last.exited).code, last.output()).toBe(0);

    const db = openDatabase(storeFile(dir.path));
    try {
      const clientId = ((await db('sync_state').first('client_id')) as { client_id: string }).client_id;
      expect(Number((await db('sync_outbox').count({ n: '*' }))[0]!.n)).toBe(0);
      const processed = await central.query<{ mutation_id: string }>(`SELECT mutation_id::text FROM processed_mutations WHERE client_id = $1`, [clientId]);
      expect(processed).toHaveLength(created.size);
      expect(new Set(processed.map((r) => r.mutation_id))).toEqual(created);
      expect(await central.query(`SELECT count(*)::int AS n FROM sync_conflicts`)).toEqual([{ n: 0 }]);
      // Applied once means the versions match too: an edit applied twice would be a version ahead.
      const c = await central.client();
      try {
        expect(await localChecksum(db)).toEqual(await centralChecksum(c));
      } finally {
        await c.end();
      }
      const history = await central.query<{ n: number }>(`SELECT count(*)::int AS n FROM password_history WHERE key LIKE $1`, [`${clientId}:%`]);
      expect(history[0]!.n).toBe(Number((await db('password_history').count({ n: '*' }))[0]!.n));
    } finally {
      await db.destroy();
    }
  });

  it('resumes a first sync of 200,000 accounts after SIGKILL and ends equal to central', async () => {
    await seedCentralAccounts(central, 200_000, { quiet: true, prefix: '7' });
    const dir = await makeTempDir('webdesk-crash-first-');
    dirs.push(dir);
    const env = await envFor(dir.path, 'kiosk-f', 'kiosk_f');
    const args = ['sync', '--verbose', '--page-size', '5000'];

    const progress = async () => {
      const db = openDatabase(storeFile(dir.path));
      try {
        return (await db('sync_state').first('first_sync', 'first_sync_rows', 'first_sync_total')) as { first_sync: string; first_sync_rows: number; first_sync_total: number };
      } finally {
        await db.destroy();
      }
    };

    const r1 = await runCli(args, env);
    await r1.line(/^first sync (4\d{4}|[5-9]\d{4}|1\d{5})\//);
    r1.child.kill('SIGKILL');
    await r1.exited;
    const after1 = await progress();
    expect(after1.first_sync).toBe('paging');
    expect(after1.first_sync_rows).toBeGreaterThan(0);

    const status = await runCli(['sync', '--status'], env);
    expect((await status.exited).code).toBe(0);
    // Killed, nobody copies: the rate is kept, no time is promised.
    expect(status.output(), status.output()).toMatch(/first sync: \d+\/\d+ rows \(accounts\), \d+ rows\/s; paused: nobody syncs it now /);

    // Central changes a row the kiosk has already copied: the change log brings it later.
    await central.query(`UPDATE accounts SET contact_name = '途中で変更' WHERE jsa_id = '70000000001'`);

    const r2 = await runCli(args, env);
    await r2.line(/^first sync (1[2-9]\d{4})\//);
    r2.child.kill('SIGKILL');
    await r2.exited;
    const after2 = await progress();
    expect(after2.first_sync_rows).toBeGreaterThan(after1.first_sync_rows);
    expect(after2.first_sync_rows).toBeLessThan(200_300);

    // Killed in the index stage: every row is copied, the search keys are folded part way.
    const stage = async () => {
      const db = openDatabase(storeFile(dir.path));
      try {
        const state = (await db('sync_state').first('first_sync', 'first_sync_copied_at', 'first_sync_indexed', 'first_sync_index_total', 'first_sync_set_aside')) as Record<string, string | number | null>;
        return { state, accounts: Number((await db('accounts').count({ n: '*' }))[0]!.n), searchRows: Number((await db('account_search').count({ n: '*' }))[0]!.n), indexes: await indexesOf(db, 'account_search'), integrity: await integrityCheck(db) };
      } finally {
        await db.destroy();
      }
    };
    const r3 = await runCli(args, env);
    await r3.line(/^first sync: search keys ([1-9]\d{4,5})\//);
    r3.child.kill('SIGKILL');
    await r3.exited;
    const mid = await stage();
    expect(mid.state).toMatchObject({ first_sync: 'indexing', first_sync_index_total: 200_300 });
    expect(mid.state.first_sync_copied_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(mid.accounts).toBe(200_300);
    expect(mid.searchRows).toBe(mid.state.first_sync_indexed);
    expect(mid.searchRows).toBeGreaterThan(0);
    expect(mid.searchRows).toBeLessThan(200_300);
    expect(mid.indexes).toEqual(['account_search_account_id_unique']);
    expect(mid.integrity).toBe('ok');
    const indexing = await runCli(['sync', '--status'], env);
    expect((await indexing.exited).code).toBe(0);
    expect(indexing.output()).toMatch(/first sync: \d+ rows copied at \S+ \(\d+ rows\/s\); search keys \d+\/200300, \d+ accounts\/s; paused: nobody syncs it now /);

    // Killed while the last batch commits with the rebuild of the search indexes: the whole
    // transaction rolls back, indexes still set aside, and the next run redoes both.
    const r4 = await runCli(args, env);
    await r4.line(/^first sync: rebuilding the search indexes/);
    r4.child.kill('SIGKILL');
    await r4.exited;
    const rebuilding = await stage();
    expect(rebuilding.state).toMatchObject({ first_sync: 'indexing' });
    expect(JSON.parse(String(rebuilding.state.first_sync_set_aside))).toHaveLength(SEARCH_INDEXES.length);
    expect(rebuilding.indexes).toEqual(['account_search_account_id_unique']);
    expect(rebuilding.integrity).toBe('ok');

    const r5 = await runCli(['sync'], env);
    expect((await r5.exited).code, r5.output()).toBe(0);
    console.log(r5.output().trim().split('\n').filter((l) => /sync:|first sync/.test(l)).join('\n'));

    const db = openDatabase(storeFile(dir.path));
    const c = await central.client();
    try {
      const local = await localChecksum(db);
      const remote = await centralChecksum(c);
      expect(local.rows).toBe(200_300);
      expect(local).toEqual(remote);
      expect(((await db('accounts').where({ jsa_id: '70000000001' }).first('contact_name')) as { contact_name: string }).contact_name).toBe('途中で変更');
      await expectCompleteSearchIndex(db, 200_300);
    } finally {
      await db.destroy();
      await c.end();
    }
  }, 120_000);
});
