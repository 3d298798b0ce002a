// The import as an administrator runs it, in its own process: a 100,000-row file streamed
// under a memory ceiling, and an import killed mid-way (SIGKILL) then run again.
import { createWriteStream, readFileSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pidFile } from '../../src-main/app/app-pid';
import { searchAccounts } from '../../src-main/store/account-search-repo';
import { countAccounts } from '../../src-main/store/accounts-repo';
import { openDatabase, type Db } from '../../src-main/store/database';
import { CSV_HEADER, writeAccountCsv } from '../support/account-csv';
import { runCli } from '../support/cli-bundle';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp } from './support/test-app';

const BATCH = 2_000;
// The CLI process whole (Node, SQLite, knex, the app's start-up) with a 100,000-row file
// passing through: a file held in memory would add its ~13 MB several times over (text,
// records, rows), and a store or parser that kept rows would grow past this.
const PEAK_MB_CEILING = 300;

describe('accounts:import in its own process', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let db: Db | undefined;

  beforeEach(async () => {
    const temp = await makeTempDir('webdesk-import-cli-');
    dir = temp.path;
    cleanup = temp.remove;
  });
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
    await cleanup();
  });

  const count = async (where: string) => {
    db ??= openDatabase(join(where, 'webdesk.sqlite3'));
    return Number(((await db('accounts').count({ n: '*' })) as Array<{ n: number }>)[0]!.n);
  };

  it('streams a 100,000-row file with the heap capped at 64 MB and reports its peak memory under the ceiling', async () => {
    const file = join(dir, 'accounts.csv');
    await writeAccountCsv(file, { rows: 100_000, eol: '\r\n', quotedNewlineEvery: 100 });
    const data = join(dir, 'data');
    const run = await runCli(['import', file], { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent', NODE_OPTIONS: '--max-old-space-size=64' });
    const exit = await run.exited;
    expect(exit, run.output()).toEqual({ code: 0, signal: null });
    const summary = run.output().split('\n').find((l) => l.startsWith('import ('))!;
    expect(summary).toMatch(/^import \(utf-8\): 100,000 added, 0 updated, 0 unchanged, 0 rejected; 100,000 rows in [\d.]+ s \([\d,]+ rows\/s\); peak memory \d+ MB$/);
    expect(Number(/peak memory (\d+) MB/.exec(summary)![1])).toBeLessThan(PEAK_MB_CEILING);
    // Not a terminal: a plain progress line now and then, never the bar's carriage returns.
    expect(run.output()).not.toContain('\r');
    expect(await count(data)).toBe(100_000);
    // A workload of 100,000 rows on a shared 2-core box, not a wait for a state: its own budget.
  }, 240_000);

  const searchIndexes = async () =>
    ((await db!.raw(`SELECT name FROM pragma_index_list('account_search') WHERE "unique" = 0 ORDER BY name`)) as Array<{ name: string }>).map((r) => r.name);
  const setAside = async () => Number(((await db!('search_indexes_set_aside').count({ n: '*' })) as Array<{ n: number }>)[0]!.n);

  it('an import killed mid-way leaves whole batches, and running it again ends with exactly the file’s rows', async () => {
    const file = join(dir, 'accounts.csv');
    const rows = 100_000;
    await writeAccountCsv(file, { rows, badEvery: 1_000 });
    const data = join(dir, 'data');
    const first = await runCli(['import', file], { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' });
    // The first rejected row is printed when its line is read; batches are committing by then.
    await first.line(/^line 1001: /);
    // A file this size sets the search indexes aside once the rows to come are known to be many.
    for (;;) {
      const n = await count(data);
      if (n >= 2 * BATCH && (await setAside()) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const left = (await count(data));
    expect(left).toBeLessThan(rows - rows / 1_000);
    expect(left % BATCH).toBe(0);
    // Killed with them aside: the store says which, and a search still answers (without them).
    expect(await setAside()).toBe(6);
    expect(await searchIndexes()).toEqual([]);
    expect((await searchAccounts(db!, '03-2234-1234', 'phone', 1, 20)).rows.map((r) => r.jsa_id)).toEqual(['80000001234']);
    // Killed before its closing entry: the accounts it changed are in the audit log all the same.
    const entries = async () => (await db!('audit_log').whereIn('action', ['accounts.import-started', 'accounts.imported']).orderBy('seq').select('action', 'actor', 'detail_json')) as Array<{ action: string; actor: string; detail_json: string }>;
    const killed = await entries();
    expect(killed.map((e) => e.action)).toEqual(['accounts.import-started']);
    expect(JSON.parse(killed[0]!.detail_json)).toMatchObject({ target: 'local', file: 'accounts.csv', encoding: 'utf-8' });
    await db!.destroy();
    db = undefined;

    const again = await runCli(['import', file, '--lang', 'en'], { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' });
    expect((await again.exited).code, again.output()).toBe(0);
    expect(again.output()).toContain('line 1001: A JSA-ID has 11 digits. You entered 4.');
    const summary = again.output().split('\n').find((l) => l.startsWith('import ('))!;
    expect(summary).toContain(`${(rows - 100 - left).toLocaleString('en-US')} added, 0 updated, ${left.toLocaleString('en-US')} unchanged, 100 rejected`);
    expect(await count(data)).toBe(rows - 100);
    expect(await setAside()).toBe(0);
    expect(await searchIndexes()).toHaveLength(6);
    const audits = (await db!('audit_log').where({ action: 'accounts.imported' }).select('detail_json')) as Array<{ detail_json: string }>;
    expect(audits.map((a) => JSON.parse(a.detail_json) as Record<string, unknown>)).toMatchObject([{ inserted: rows - 100 - left, unchanged: left, rejected: 100 }]);
    expect((await entries()).map((e) => e.action)).toEqual(['accounts.import-started', 'accounts.import-started', 'accounts.imported']);
    // The same file once more changes nothing and adds its one closing entry only.
    await db!.destroy();
    db = undefined;
    const third = await runCli(['import', file], { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' });
    expect((await third.exited).code, third.output()).toBe(0);
    await count(data);
    expect((await entries()).map((e) => e.action)).toEqual(['accounts.import-started', 'accounts.import-started', 'accounts.imported', 'accounts.imported']);
  }, 240_000);

  it('says in one line that Ctrl-C interrupted it (exit 130, no stack), keeps whole batches, and the same import finishes the file', async () => {
    const file = join(dir, 'accounts.csv');
    const rows = 60_000;
    await writeAccountCsv(file, { rows, badEvery: 1_000 });
    const data = join(dir, 'data');
    const first = await runCli(['import', file], { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' });
    await first.line(/^line 1001: /);
    // A batch committed: Ctrl-C comes part-way, with rows in the store and most of the file to read.
    while ((await count(data)) < BATCH) await new Promise((resolve) => setTimeout(resolve, 20));
    first.child.kill('SIGINT');
    expect(await first.exited).toEqual({ code: 130, signal: null });
    const said = first.output().split('\n').filter((l) => l.startsWith('import: 中断'));
    expect(said).toEqual(['import: 中断しました / interrupted (Ctrl-C) before it finished; what it had committed stays; run the same import again to finish the file']);
    expect(first.output()).not.toMatch(/^\s+at /m);
    const left = await count(data);
    expect(left % BATCH).toBe(0);
    await db!.destroy();
    db = undefined;

    const again = await runCli(['import', file], { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' });
    expect((await again.exited).code, again.output()).toBe(0);
    expect(await count(data)).toBe(rows - rows / 1_000);
  }, 240_000);

  it('reads a quote left open to the end of an 80 MB file without gathering it: the rows before kept, the line named, memory as for a small file', async () => {
    const peak = (output: string) => Number(/peak memory (\d+) MB/.exec(output)![1]);
    const small = join(dir, 'small.csv');
    await writeAccountCsv(small, { rows: 10 });
    const smallRun = await runCli(['import', small], { WEBDESK_DATA_DIR: join(dir, 'small-data'), WEBDESK_LOG_LEVEL: 'silent' });
    expect((await smallRun.exited).code, smallRun.output()).toBe(0);
    const base = peak(smallRun.output());

    const file = join(dir, 'open-quote.csv');
    const out = createWriteStream(file);
    out.write(`${CSV_HEADER}\n12500000001,kept@example.jp,前 太郎,会社,部,住所,03\n12500000002,open@example.jp,開 次郎,会社,部,"東京都 (閉じ忘れ)\n`);
    // 80 MB of good-looking rows, all inside the open quote.
    const filler = Buffer.from('12500000003,inside@example.jp,中 三郎,会社,部,住所,03\n'.repeat(10_000));
    for (let written = 0; written < 80e6; written += filler.length) if (!out.write(filler)) await once(out, 'drain');
    out.end();
    await once(out, 'close');

    const data = join(dir, 'data');
    const run = await runCli(['import', file, '--lang', 'en'], { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' });
    // The file did not go in whole: a script sees it in the exit code.
    expect((await run.exited).code, run.output()).toBe(1);
    expect(run.output()).toMatch(/^line 3: The CSV is broken here/m);
    expect(run.output()).toMatch(/^import \(utf-8\): 1 added, 0 updated, 0 unchanged, 1 rejected;/m);
    expect(await count(data)).toBe(1);
    // Gathered, the field alone would add ~80 MB (and a 256 MiB upload past V8's string limit).
    expect(peak(run.output())).toBeLessThan(base + 40);
  }, 120_000);

  it('reads files that are not account CSVs at all with the heap capped at 64 MB: 30 MB of commas on one line, 200,000 one-character lines', async () => {
    const heap64 = { WEBDESK_LOG_LEVEL: 'silent', NODE_OPTIONS: '--max-old-space-size=64' };
    const commas = join(dir, 'commas.csv');
    const out = createWriteStream(commas);
    out.write(`${CSV_HEADER}\n12600000001,kept@example.jp,前 太郎,会社,部,住所,03\n12600000002,c@example.jp,n,co,`);
    // 30 million empty fields to csv-parse: an array of that length alone is ~240 MB.
    const filler = Buffer.alloc(1_000_000, ',');
    for (let i = 0; i < 30; i += 1) if (!out.write(filler)) await once(out, 'drain');
    out.end('\n');
    await once(out, 'close');
    const data = join(dir, 'data');
    const run = await runCli(['import', commas, '--lang', 'en'], { WEBDESK_DATA_DIR: data, ...heap64 });
    expect((await run.exited).code, run.output()).toBe(1);
    expect(run.output()).toMatch(/^line 3: This line is too long \(over 1,048,576 characters\)/m);
    expect(run.output()).toMatch(/^import \(utf-8\): 1 added, 0 updated, 0 unchanged, 1 rejected;/m);

    // Each short row is refused; csv-parse made an error with its stack for each one, and a
    // chunk's worth of them (and of records) at once.
    const short = join(dir, 'short.csv');
    const shortOut = createWriteStream(short);
    shortOut.write(`${CSV_HEADER}\n`);
    const ones = Buffer.from('1\n'.repeat(100_000));
    for (let i = 0; i < 2; i += 1) if (!shortOut.write(ones)) await once(shortOut, 'drain');
    shortOut.end();
    await once(shortOut, 'close');
    const rejects = join(dir, 'short-rejects.csv');
    const shortRun = await runCli(['import', short, '--dry-run', '--rejects', rejects], { WEBDESK_DATA_DIR: data, ...heap64 });
    expect((await shortRun.exited).code, shortRun.output()).toBe(1);
    expect(shortRun.output()).toMatch(/^import --dry-run \(utf-8\): 0 to add, 0 to update, 0 unchanged, 200,000 rejected;/m);
    // The CLI's rejects file holds every refused row, as asked for.
    expect((await readFile(rejects, 'utf8')).trimEnd().split('\r\n')).toHaveLength(1 + 200_000);
  }, 240_000);

  it('--rejects never writes over the file being imported, and a rejects file that was there is replaced with mode 0600', async () => {
    const file = join(dir, 'accounts.csv');
    await writeAccountCsv(file, { rows: 10, badEvery: 5 });
    const before = await readFile(file);
    const data = join(dir, 'data');
    const same = await runCli(['import', file, '--rejects', join(dir, '.', 'accounts.csv')], { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' });
    expect((await same.exited).code).toBe(2);
    expect(same.output()).toContain('is the file being imported; name another file for the rejected rows');
    expect(await readFile(file)).toEqual(before);
    expect(await count(data)).toBe(0);

    const rejects = join(dir, 'rejects.csv');
    await writeFile(rejects, 'someone else’s notes\n', { mode: 0o644 });
    const run = await runCli(['import', file, '--rejects', rejects], { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' });
    expect((await run.exited).code, run.output()).toBe(0);
    expect((await stat(rejects)).mode & 0o777).toBe(0o600);
    expect((await readFile(rejects, 'utf8')).trimEnd().split('\r\n')).toHaveLength(1 + 2);
  }, 120_000);

  it('beside a running counter it says so, gives way, and leaves the counter’s pid file as it was', async () => {
    const data = join(dir, 'data');
    const counter = await startTestApp({ dataDir: data, startMailWorker: false });
    try {
      const pid = readFileSync(pidFile(data), 'utf8');
      expect(pid.split('\n')[0]).toBe(String(process.pid));
      const file = join(dir, 'accounts.csv');
      await writeAccountCsv(file, { rows: 3_000 });
      const run = await runCli(['import', file], { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' });
      expect((await run.exited).code, run.output()).toBe(0);
      expect(run.output()).toContain('import: the counter is running on this store; its calls go first');
      expect(run.output()).toMatch(/^import \(utf-8\): 3,000 added, 0 updated, 0 unchanged, 0 rejected;/m);
      expect(readFileSync(pidFile(data), 'utf8')).toBe(pid);
      expect(await countAccounts(counter.db)).toBe(3_000);
    } finally {
      await counter.close();
    }
  }, 120_000);
});
