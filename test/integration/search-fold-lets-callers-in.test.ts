// A counter folding many stale search keys (a large pull, a clerk's first search after one)
// keeps answering its customers: the pass folds in short transactions of the pull's pace, and
// a customer's call queued behind one runs before the next, not after 1,000 rows. So many
// stale rows that an import would set the search indexes aside fold with them on: rebuilt,
// each index was one statement sorting every row, and a call queued behind it waited for all.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { importAccountsCsv } from '../../src-main/services/account-import';
import { SET_ASIDE_FROM_ROWS } from '../../src-main/store/account-search-fold';
import { foldStaleSearchRows, staleSearchRows } from '../../src-main/store/account-search-repo';
import { accountCsvRow, CSV_HEADER } from '../support/account-csv';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { kiosk, startTestApp } from './support/test-app';

// Enough stale rows for an import to set the search indexes aside (account-search-fold.ts).
const ROWS = SET_ASIDE_FROM_ROWS + 2_000;

describe('customers at a counter while it folds stale search keys', () => {
  let dir: TempDir;
  let app: App;

  beforeAll(async () => {
    dir = await makeTempDir('webdesk-fold-callers-');
    app = await startTestApp({ dataDir: join(dir.path, 'data'), startMailWorker: false });
    const csv = [CSV_HEADER, ...Array.from({ length: ROWS }, (_, i) => accountCsvRow(i + 1, { rows: ROWS }))].join('\n');
    await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test' });
  });

  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  it('answers a reset.request queued behind the fold before the fold has folded 1,000 rows, and folds every stale row once', async () => {
    await app.db('account_search').update({ stale: 1 });
    const stale = await staleSearchRows(app.db);
    expect(stale).toBeGreaterThanOrEqual(ROWS);
    const customer = kiosk(app);

    // Rows committed by the fold's transactions, told by what each one's read returned; the
    // store has one connection, so nothing else runs between a batch's read and its COMMIT.
    let inFold = false;
    let read = 0;
    let folded = 0;
    let answered: { afterRows: number; ok: boolean } | undefined;
    const isFoldRead = (sql: string) => /from `account_search` as `s` inner join `accounts` as `a`/.test(sql) && /`s`.`stale` = \?/.test(sql);
    app.db.on('query', (q: { sql: string }) => {
      if (isFoldRead(q.sql)) {
        inFold = true;
        if (folded === 0 && answered === undefined) {
          // Asked while the fold's first transaction holds the connection: it queues behind it.
          void customer.call('reset.request', { jsaId: '80000000001', email: 'imp1@example.jp', locale: 'ja' }).then((result) => (answered = { afterRows: folded, ok: result.ok }));
        }
      } else if (/^COMMIT/i.test(q.sql) && inFold) {
        inFold = false;
        folded += read;
      }
    });
    app.db.on('query-response', (response: unknown, q: { sql: string }) => {
      if (isFoldRead(q.sql)) read = (response as unknown[]).length;
    });

    const total = await foldStaleSearchRows(app.db);

    expect(answered?.ok).toBe(true);
    // Answered between two of the fold's first transactions, not after a whole 1,000 rows.
    expect(answered!.afterRows).toBeLessThan(1_000);
    // Nothing skipped, nothing twice: every stale row read and committed once, none left.
    expect(total).toBe(stale);
    expect(folded).toBe(stale);
    expect(await staleSearchRows(app.db)).toBe(0);
  }, 120_000);

  it('answers every reset.request queued behind a statement of a fold of more rows than an import sets the indexes aside for after less than 1,000 rows of work, no index dropped', async () => {
    await app.db('account_search').update({ stale: 1 });
    const stale = await staleSearchRows(app.db);
    expect(stale).toBeGreaterThanOrEqual(SET_ASIDE_FROM_ROWS);
    const customer = kiosk(app);

    // Rows the store worked through, by the fold's statements: a batch's rows at its COMMIT; a
    // CREATE INDEX sorts every row of the table. A call queued behind a statement (the store
    // has one connection) is answered after the work committed meanwhile.
    const isFoldRead = (sql: string) => /from `account_search` as `s` inner join `accounts` as `a`/.test(sql) && /`s`.`stale` = \?/.test(sql);
    const isIndexStatement = (sql: string) => /^(DROP|CREATE) INDEX/i.test(sql);
    let inFold = false;
    let read = 0;
    let work = 0;
    let outstanding = false;
    let reads = 0;
    const indexStatements: string[] = [];
    const waited: number[] = [];
    const calls: Array<Promise<boolean>> = [];
    const queue = () => {
      const at = work;
      outstanding = true;
      const n = calls.length + 1;
      calls.push(
        customer.call('reset.request', { jsaId: `7${String(n).padStart(10, '0')}`, email: `nobody${n}@example.jp`, locale: 'ja' }).then((result) => {
          waited.push(work - at);
          outstanding = false;
          return result.ok;
        }),
      );
    };
    app.db.on('query', (q: { sql: string }) => {
      if (isIndexStatement(q.sql)) {
        indexStatements.push(q.sql.split(' ').slice(0, 2).join(' '));
        // Behind every index statement, whatever else waits: it is the longest hold there is.
        queue();
      } else if (isFoldRead(q.sql)) {
        inFold = true;
        // Behind every fifth batch: spread over the pass, under the kiosk's hourly cap.
        if (!outstanding && reads++ % 5 === 0 && calls.length < 40) queue();
      } else if (/^COMMIT/i.test(q.sql) && inFold) {
        inFold = false;
        work += read;
      }
    });
    app.db.on('query-response', (response: unknown, q: { sql: string }) => {
      if (isFoldRead(q.sql)) read = (response as unknown[]).length;
      else if (/^CREATE INDEX/i.test(q.sql)) work += ROWS;
    });

    const total = await foldStaleSearchRows(app.db);
    expect(await Promise.all(calls)).toEqual(calls.map(() => true));

    expect(calls.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...waited)).toBeLessThan(1_000);
    expect(indexStatements).toEqual([]);
    expect(total).toBe(stale);
    expect(await staleSearchRows(app.db)).toBe(0);
  }, 240_000);
});
