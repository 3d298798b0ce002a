// The first sync in two stages (docs/decisions.md, "First sync: copy, then the search index"):
// once every row is copied the kiosk serves customers, and staff find accounts by JSA-ID and
// address, while the search keys are folded; an account edited before the index stage
// reaches it is found by its new name afterwards; a stopped index stage resumes where it was.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { runFirstSync } from '../../../src-main/services/sync/first-sync';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { refreshStaleSearchRows, searchAccounts } from '../../../src-main/store/account-search-repo';
import { applyPace } from '../../../src-main/store/apply-pace';
import { integrityCheck } from '../../../src-main/store/database';
import { readSyncState } from '../../../src-main/store/sync-state-repo';
import { kiosk } from '../support/test-app';
import { seedCentralAccounts, startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { readyAdmin, readyStaff, STAFF_PASSWORD, staffClient } from '../staff/staff-support';

const ACCOUNTS = 6_000;
const jsaId = (n: number) => `8${String(n).padStart(10, '0')}`;
const jsaIds = async (result: Promise<{ rows: Array<{ jsa_id: string }> }>) => (await result).rows.map((r) => r.jsa_id);

describe('first sync: copy, then the search index', () => {
  let central: Central;
  let dir: TempDir;
  let app: App | undefined;

  beforeAll(async () => {
    central = await startCentral();
    await seedCentralAccounts(central, ACCOUNTS, { quiet: true });
    dir = await makeTempDir('webdesk-first-sync-stages-');
  });

  afterAll(async () => {
    await app?.close();
    await central?.stop();
    await dir?.remove();
  });

  it('serves once every row is copied, finds new names after the index stage, and resumes a stopped index stage', async () => {
    app = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-s', centralUrl: await central.kioskUrl('kiosk_s'), startSync: false });
    const connection = new pg.Client({ connectionString: await central.kioskUrl('kiosk_s') });
    await connection.connect();
    const events: string[] = [];
    let folded = 0;
    try {
      const outcome = await runFirstSync(app.db, connection, randomUUID(), {
        pageSize: 500,
        nowIso: () => new Date().toISOString(),
        shouldStop: () => folded >= 1_500,
        onEvent: (event) => {
          events.push(event);
          folded = Number(/search keys (\d+)\//.exec(event)?.[1] ?? folded);
        },
      });
      expect(outcome).toBe('stopped');
    } finally {
      await connection.end();
    }
    expect(events[0]).toBe(`first sync: ${ACCOUNTS} rows copied; folding the search keys`);
    const state = await readSyncState(app.db);
    expect(state).toMatchObject({ first_sync: 'indexing', first_sync_rows: ACCOUNTS, first_sync_indexed: 1_500, first_sync_index_total: ACCOUNTS });
    expect(Number((await app.db('accounts').count({ n: '*' }))[0]!.n)).toBe(ACCOUNTS);
    expect(Number((await app.db('account_search').count({ n: '*' }))[0]!.n)).toBe(1_500);

    // The customer's side works for an account whose keys are not folded yet.
    const last = (await findAccountByJsaId(app.db, jsaId(ACCOUNTS)))!;
    await kiosk(app).ok('reset.request', { jsaId: last.jsa_id, email: last.email, locale: 'ja' });
    expect(await app.db('reset_requests').where({ account_id: last.id }).count({ n: '*' })).toEqual([{ n: 1 }]);

    // Staff: JSA-ID and address from the accounts' own indexes; names only where folded so far.
    expect(await jsaIds(searchAccounts(app.db, last.jsa_id, 'any', 1, 10))).toEqual([last.jsa_id]);
    expect(await jsaIds(searchAccounts(app.db, last.email.toUpperCase(), 'email', 1, 10))).toEqual([last.jsa_id]);
    expect(await jsaIds(searchAccounts(app.db, '佐藤 1234', 'name', 1, 10))).toEqual([jsaId(1_234)]);
    expect(await jsaIds(searchAccounts(app.db, `佐藤 ${ACCOUNTS}`, 'name', 1, 10))).toEqual([]);

    // The clerk's screen says which searches may miss accounts meanwhile.
    const agent = await readyStaff(app, await readyAdmin(app), 'agent', 'counter-agent');
    const byName = await agent.ok('staff.accounts.search', { query: `佐藤 ${ACCOUNTS}`, field: 'name' });
    expect(byName).toMatchObject({ total: 0, incomplete: 'indexing' });
    expect(await agent.ok('staff.accounts.search', { query: last.jsa_id, field: 'jsaId' })).toMatchObject({ total: 1, incomplete: null });

    // Edited before the index stage reaches it: folded from the edited row.
    const edited = (await findAccountByJsaId(app.db, jsaId(5_000)))!;
    await updateAccount(app.db, edited.id, { contact_name: '渡辺 まどか' }, new Date().toISOString());
    await app.close();

    // The next start resumes the index stage (not the copy) and ends it.
    app = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-s', centralUrl: await central.kioskUrl('kiosk_s'), syncOptions: { pageSize: 500 } });
    await waitOnline(app);
    const done = await readSyncState(app.db);
    expect(done).toMatchObject({ first_sync: 'done', first_sync_rows: ACCOUNTS, first_sync_indexed: ACCOUNTS, first_sync_set_aside: null });
    expect(Date.parse(done.first_sync_finished_at!)).toBeGreaterThanOrEqual(Date.parse(done.first_sync_copied_at!));
    expect(Number((await app.db('account_search').count({ n: '*' }))[0]!.n)).toBe(ACCOUNTS);
    expect(await app.db.raw('SELECT count(*) AS n FROM account_search_fts')).toEqual([{ n: ACCOUNTS }]);
    expect(await refreshStaleSearchRows(app.db)).toBe(0);
    expect(await jsaIds(searchAccounts(app.db, 'マドカ', 'name', 1, 10))).toEqual([edited.jsa_id]);
    expect(await jsaIds(searchAccounts(app.db, '渡辺　まどか', 'name', 1, 10))).toEqual([edited.jsa_id]);
    expect(await jsaIds(searchAccounts(app.db, `佐藤 ${ACCOUNTS}`, 'name', 1, 10))).toEqual([jsaId(ACCOUNTS)]);
    expect(await integrityCheck(app.db)).toBe('ok');
    const clerk = staffClient(app);
    await clerk.ok('staff.login', { username: 'counter-agent', password: STAFF_PASSWORD });
    expect(await clerk.ok('staff.accounts.search', { query: `佐藤 ${ACCOUNTS}`, field: 'name' })).toMatchObject({ total: 1, incomplete: null });
  });

  it('answers a reset.request queued behind the index stage before the stage has folded a page, and folds every account once', async () => {
    const other = await makeTempDir('webdesk-first-sync-callers-');
    const counter = await startKiosk({ dataDir: other.path, kioskId: 'kiosk-t', centralUrl: await central.kioskUrl('kiosk_t'), startSync: false });
    const connection = new pg.Client({ connectionString: await central.kioskUrl('kiosk_t') });
    await connection.connect();
    const customer = kiosk(counter);
    // Accounts committed by the index stage's transactions, told by what each one's read
    // returned; the store has one connection, so nothing else runs inside one.
    let inStage = false;
    let read = 0;
    let indexed = 0;
    let answered: Promise<{ afterRows: number; ok: boolean }> | undefined;
    const isStageRead = (sql: string) => /^select .* from `accounts` where `id` > \? order by `id` asc limit \?$/.test(sql);
    counter.db.on('query', (q: { sql: string }) => {
      if (isStageRead(q.sql)) {
        inStage = true;
        if (indexed === 0 && answered === undefined) {
          // Every row is copied, so the replica serves: asked while the stage's first transaction holds the connection.
          answered = customer.call('reset.request', { jsaId: jsaId(1), email: 'user1@example.jp', locale: 'ja' }).then((result) => ({ afterRows: indexed, ok: result.ok }));
        }
      } else if (/^COMMIT/i.test(q.sql) && inStage) {
        inStage = false;
        indexed += read;
      }
    });
    counter.db.on('query-response', (response: unknown, q: { sql: string }) => {
      if (isStageRead(q.sql)) read = (response as unknown[]).length;
    });
    try {
      // One page of every account, at the engine's pace for the index stage.
      const outcome = await runFirstSync(counter.db, connection, randomUUID(), { pageSize: ACCOUNTS, nowIso: () => new Date().toISOString(), shouldStop: () => false, pace: applyPace(25) });
      expect(outcome).toBe('done');
      const call = await answered;
      expect(call?.ok).toBe(true);
      // Answered between two of the stage's transactions, not after the page.
      expect(call!.afterRows).toBeLessThan(ACCOUNTS);
      expect(indexed).toBe(ACCOUNTS);
      expect(await readSyncState(counter.db)).toMatchObject({ first_sync: 'done', first_sync_indexed: ACCOUNTS, first_sync_set_aside: null });
      expect(Number((await counter.db('account_search').count({ n: '*' }))[0]!.n)).toBe(ACCOUNTS);
      expect(await refreshStaleSearchRows(counter.db)).toBe(0);
    } finally {
      await connection.end();
      await counter.close();
      await other.remove();
    }
  });
});
