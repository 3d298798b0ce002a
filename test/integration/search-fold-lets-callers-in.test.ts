// A counter folding many stale search keys (a large pull, a clerk's first search after one)
// keeps answering its customers: the pass folds in short transactions of the pull's pace, and
// a customer's call queued behind one runs before the next, not after 1,000 rows.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { importAccountsCsv } from '../../src-main/services/account-import';
import { foldStaleSearchRows, staleSearchRows } from '../../src-main/store/account-search-repo';
import { accountCsvRow, CSV_HEADER } from '../support/account-csv';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { kiosk, startTestApp } from './support/test-app';

const ROWS = 3_000;

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

    const total = await foldStaleSearchRows(app.db, new Date().toISOString());

    expect(answered?.ok).toBe(true);
    // Answered between two of the fold's first transactions, not after a whole 1,000 rows.
    expect(answered!.afterRows).toBeLessThan(1_000);
    // Nothing skipped, nothing twice: every stale row read and committed once, none left.
    expect(total).toBe(stale);
    expect(folded).toBe(stale);
    expect(await staleSearchRows(app.db)).toBe(0);
  }, 120_000);
});
