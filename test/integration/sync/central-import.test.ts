// accounts:import -- --central (issue 18): the file goes to central with COPY and one merge;
// both counters receive the rows by their normal pull, and running the file again logs nothing.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { createReadStream } from 'node:fs';
import pg from 'pg';
import { PassThrough, Readable } from 'node:stream';
import { importAccounts } from '../../../src-main/services/account-import';
import { CentralImportBusyError, centralImportSink } from '../../../src-main/services/central-import';
import { storeFile } from '../../../src-main/app/data-dir';
import { findAccountByJsaId } from '../../../src-main/store/accounts-repo';
import { openDatabase } from '../../../src-main/store/database';
import { CSV_HEADER, accountCsvRow, writeAccountCsv } from '../../support/account-csv';
import { runCli } from '../../support/cli-bundle';
import { makeTempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { startCentral, type Central } from '../support/sync-central';
import { startKioskPair, type KioskPair } from '../support/sync-kiosk';

const ROWS = 5_000;

describe('accounts:import --central', () => {
  let central: Central;
  let pair: KioskPair;
  let a: App;
  let b: App;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    central = await startCentral();
    pair = await startKioskPair(central);
    ({ a, b } = pair);
    const temp = await makeTempDir('webdesk-central-import-');
    dir = temp.path;
    cleanup = temp.remove;
  });
  afterAll(async () => {
    await pair?.close();
    await central?.stop();
    await cleanup?.();
  });

  const importCentral = async (file: string, ...flags: string[]) => {
    const run = await runCli(['import', '--central', file, ...flags], { WEBDESK_DATA_DIR: join(dir, 'operator'), WEBDESK_LOG_LEVEL: 'silent', WEBDESK_CENTRAL_URL: central.url });
    const exit = await run.exited;
    expect(exit.code, run.output()).toBe(0);
    return run.output().split('\n').find((l) => l.startsWith('import --central'))!;
  };
  const centralAccounts = async () => Number((await central.query<{ n: string }>(`SELECT count(*) AS n FROM accounts WHERE jsa_id LIKE '8%'`))[0]!.n);
  const changeLog = async () => Number((await central.query<{ n: string }>('SELECT count(*) AS n FROM change_log'))[0]!.n);

  it('a dry run counts against central and writes nothing', async () => {
    const file = join(dir, 'accounts.csv');
    await writeAccountCsv(file, { rows: ROWS, encoding: 'shift_jis', eol: '\r\n', badEvery: 1_000 });
    expect(await importCentral(file, '--dry-run')).toMatch(/^import --central --dry-run \(shift_jis\): 4,995 to add, 0 to update, 0 unchanged, 5 rejected;/);
    expect(await centralAccounts()).toBe(0);
  });

  it('loads central, and both counters get every row by their pull', async () => {
    const file = join(dir, 'accounts.csv');
    expect(await importCentral(file)).toMatch(/^import --central \(shift_jis\): 4,995 added, 0 updated, 0 unchanged, 5 rejected;/);
    expect(await centralAccounts()).toBe(ROWS - 5);
    for (const app of [a, b]) {
      await waitFor(async () => ((await app.db('accounts').where('jsa_id', 'like', '8%').count({ n: '*' }))[0]!.n === ROWS - 5 ? true : undefined), {
        what: 'the imported rows at a counter',
        timeoutMs: 30_000,
      });
    }
    expect(await findAccountByJsaId(b.db, '80000000002')).toMatchObject({ contact_name: '髙橋 健太', email_norm: 'imp2@example.jp', version: 1 });
  });

  it('the same file again changes nothing at central; a changed file updates only what differs', async () => {
    const file = join(dir, 'accounts.csv');
    const logged = await changeLog();
    expect(await importCentral(file)).toMatch(/^import --central \(shift_jis\): 0 added, 0 updated, 4,995 unchanged, 5 rejected;/);
    expect(await changeLog()).toBe(logged);
    // Nor did it lock them: an account locked by a chunk holds a counter's push on it back.
    expect(await central.query(`SELECT count(*)::int AS n FROM accounts WHERE jsa_id LIKE '8%' AND xmax <> '0'::xid`)).toEqual([{ n: 0 }]);

    const changed = join(dir, 'changed.csv');
    await writeAccountCsv(changed, { rows: 10, nameSuffix: '様' });
    expect(await importCentral(changed)).toMatch(/^import --central \(utf-8\): 0 added, 10 updated, 0 unchanged, 0 rejected;/);
    expect(await changeLog()).toBe(logged + 10);
    await waitFor(async () => ((await findAccountByJsaId(a.db, '80000000002'))?.contact_name === '髙橋 健太様' ? true : undefined), { what: 'the update at A', timeoutMs: 30_000 });
    expect((await findAccountByJsaId(a.db, '80000000002'))?.version).toBe(2);
    // The operator's store: each run that changed central says so from its first chunk, before its end.
    const operator = openDatabase(storeFile(join(dir, 'operator')));
    try {
      const actions = (await operator('audit_log').where({ actor: 'cli' }).orderBy('seq').select('action', 'detail_json')) as Array<{ action: string; detail_json: string }>;
      expect(actions.map((e) => `${e.action} ${(JSON.parse(e.detail_json) as { file: string }).file}`)).toEqual([
        'accounts.import-started accounts.csv',
        'accounts.imported accounts.csv',
        'accounts.imported accounts.csv',
        'accounts.import-started changed.csv',
        'accounts.imported changed.csv',
      ]);
      // …and central holds them when each run ends: the importer streams its entries, though it runs no sync loop.
      const atCentral = await central.query<{ action: string; detail_json: string }>(`SELECT action, detail_json FROM kiosk_audit_log WHERE actor = 'cli' ORDER BY seq`);
      expect(atCentral.map((e) => `${e.action} ${(JSON.parse(e.detail_json) as { file: string }).file}`)).toEqual(actions.map((e) => `${e.action} ${(JSON.parse(e.detail_json) as { file: string }).file}`));
    } finally {
      await operator.destroy();
    }
  });

  it('merges a chunk while the next is read, each its own transaction; the counts add up, and a failure part-way leaves whole chunks that the next run completes', async () => {
    const file = join(dir, 'chunked.csv');
    await writeAccountCsv(file, { rows: 5_000, prefix: '7', badEvery: 4_500 });
    const client = new pg.Client({ connectionString: central.url });
    await client.connect();
    const imported = async () => Number((await central.query<{ n: string }>(`SELECT count(*) AS n FROM accounts WHERE jsa_id LIKE '7%'`))[0]!.n);
    try {
      const logged = await changeLog();
      const run = async (onReject?: () => void) =>
        importAccounts(a.db, a.clock, createReadStream(file), {
          actor: 'chunks',
          sink: await centralImportSink(client, {
            dryRun: false,
            nowIso: '2026-12-07T01:00:00.000Z',
            chunkRows: 1_000,
            startEntry: { db: a.db, clock: a.clock, actor: 'chunks', detail: { file: 'chunked.csv' } },
          }),
          ...(onReject ? { onReject } : {}),
        });
      // The bad row on line 4,501 comes after four chunks of 1,000 were sent.
      await expect(
        run(() => {
          throw new Error('the rejects file cannot be written');
        }),
      ).rejects.toThrow('the rejects file cannot be written');
      expect(await imported()).toBe(4_000);
      expect(await changeLog()).toBe(logged + 4_000);
      // The 4,000 changed rows at central have their entry, though the run never reached its end.
      const entries = async () =>
        ((await a.db('audit_log').where({ actor: 'chunks' }).orderBy('seq').select('action', 'detail_json')) as Array<{ action: string; detail_json: string }>).map(
          (e) => `${e.action} ${(JSON.parse(e.detail_json) as { target: string }).target}`,
        );
      expect(await entries()).toEqual(['accounts.import-started central']);
      // Nothing of the import is left open at central.
      expect(await central.query(`SELECT state FROM pg_stat_activity WHERE pid = $1`, [(client as unknown as { processID: number }).processID])).toEqual([{ state: 'idle' }]);

      expect(await run()).toMatchObject({ inserted: 999, updated: 0, unchanged: 4_000, rejected: 1 });
      expect(await imported()).toBe(4_999);
      expect(await changeLog()).toBe(logged + 4_999);
      expect(await run()).toMatchObject({ inserted: 0, updated: 0, unchanged: 4_999, rejected: 1 });
      // The run that finished the file starts and closes; the one that changed nothing only closes.
      expect(await entries()).toEqual(['accounts.import-started central', 'accounts.import-started central', 'accounts.imported central', 'accounts.imported central']);
    } finally {
      await client.end();
    }
  });

  it('holds back no counter’s changes while it runs, and a second central import is refused while one runs', async () => {
    const source = new PassThrough();
    const client = new pg.Client({ connectionString: central.url });
    const second = new pg.Client({ connectionString: central.url });
    await client.connect();
    await second.connect();
    const imported = async () => Number((await central.query<{ n: string }>(`SELECT count(*) AS n FROM accounts WHERE jsa_id LIKE '6%'`))[0]!.n);
    try {
      const running = importAccounts(a.db, a.clock, source, {
        actor: 'test',
        sink: await centralImportSink(client, { dryRun: false, nowIso: '2026-12-07T02:00:00.000Z', chunkRows: 1_000 }),
      });
      running.catch(() => undefined);
      await expect(centralImportSink(second, { dryRun: false, nowIso: '2026-12-07T02:00:00.000Z' })).rejects.toBeInstanceOf(CentralImportBusyError);
      const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${accountCsvRow(from + i, { rows: 0, prefix: '6' })}\n`).join('');
      source.write(`${CSV_HEADER}\n${rows(1, 2_500)}`);
      await waitFor(async () => ((await imported()) >= 2_000 ? true : undefined), { what: 'the first chunks at central', timeoutMs: 30_000 });

      // The import waits for the rest of its file; a clerk's change at central meanwhile
      // reaches counter B by its pull (one transaction for the whole file held it back).
      await central.query(`UPDATE accounts SET contact_name = '取込中 変更' WHERE jsa_id = '60000000001'`);
      await waitFor(async () => ((await findAccountByJsaId(b.db, '60000000001'))?.contact_name === '取込中 変更' ? true : undefined), {
        what: 'the change at B while the import is held',
        timeoutMs: 30_000,
      });

      source.end(rows(2_501, 3_000));
      expect(await running).toMatchObject({ inserted: 3_000, rejected: 0 });
      expect(await imported()).toBe(3_000);
      // The lock went with the import: the next one starts, and goes with it even when its file
      // held nothing to read.
      const empty = await importAccounts(a.db, a.clock, Readable.from([Buffer.alloc(0)]), { actor: 'test', sink: await centralImportSink(second, { dryRun: false, nowIso: '2026-12-07T02:00:00.000Z' }) });
      expect(empty).toMatchObject({ stopped: true, rows: 0 });
      const next = await centralImportSink(client, { dryRun: true, nowIso: '2026-12-07T02:00:00.000Z' });
      await next.finish?.();
    } finally {
      await client.end();
      await second.end();
    }
  });
});
