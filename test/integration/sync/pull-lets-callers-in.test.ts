// A counter pulling a large change (an operator's `accounts:import --central` at another
// desk) keeps answering its customers: the page is applied in short transactions, and a
// customer's call queued behind one runs before the next (DESIGN §7, issue 18).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { applyPace } from '../../../src-main/store/apply-pace';
import { beginRefresh, runRefresh } from '../../../src-main/services/sync/refresh';
import { readSyncState } from '../../../src-main/store/sync-state-repo';
import { seedCentralAccounts, startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const PULLED = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const held = async (app: App) => Number(((await app.db('accounts').where('jsa_id', '>=', '6').where('jsa_id', '<', '7').count({ n: '*' })) as Array<{ n: number }>)[0]!.n);

describe('customers at a counter while it pulls a large change', () => {
  let central: Central;
  let dir: TempDir;
  let app: App | undefined;

  beforeAll(async () => {
    central = await startCentral();
    dir = await makeTempDir('webdesk-pull-callers-');
  });

  afterAll(async () => {
    await app?.close();
    await central?.stop();
    await dir?.remove();
  });

  it('answers a reset.request queued behind the pull before the pull has applied the page, and the page arrives whole', async () => {
    // One page of the whole change; a goal of 1 ms keeps every transaction at the fewest entries.
    app = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-c', centralUrl: await central.kioskUrl('kiosk_c'), syncOptions: { pollMs: 500, pullBatch: PULLED, pullApplyMs: 1 } });
    await waitOnline(app);
    const kiosk = app;
    const session = kiosk.sessions.create();
    const before = await readSyncState(kiosk.db);

    // The pull's transactions, told by the guard each sets; the store has one connection, so
    // nothing else runs between a pull's BEGIN and its COMMIT.
    let inPull = false;
    let pullCommits = 0;
    let answered: { afterCommits: number; ok: boolean } | undefined;
    kiosk.db.on('query', (q: { sql: string; bindings?: unknown[] }) => {
      if (/^update `sync_guard` set `applying`/.test(q.sql) && q.bindings?.[0] === 1 && !inPull) {
        inPull = true;
        if (pullCommits === 0) {
          // Asked while the pull's first transaction holds the connection: it queues behind it.
          void kiosk
            .dispatch('reset.request', { jsaId: '60000000001', email: 'user1@example.jp', locale: 'ja' }, { session, transport: 'http', actor: 'kiosk' })
            .then((result) => (answered = { afterCommits: pullCommits, ok: result.ok }));
        }
      } else if (/^COMMIT/i.test(q.sql) && inPull) {
        inPull = false;
        pullCommits += 1;
      }
    });

    await seedCentralAccounts(central, PULLED, { prefix: '6' });
    for (let polls = 0; answered === undefined || (await held(kiosk)) < PULLED; polls += 1) {
      expect(polls).toBeLessThan(1_200);
      await sleep(50);
    }

    expect(answered.ok).toBe(true);
    // Answered between two of the pull's transactions, not after the last.
    expect(answered.afterCommits).toBeLessThan(pullCommits);
    // Nothing skipped, nothing twice: every entry applied and counted once, the cursor past them.
    expect(await held(kiosk)).toBe(PULLED);
    // The customer's request travels to central and comes back in the change log like any row
    // (a later pull, sooner or later on a busy machine): once it is pushed, the counter has
    // pulled every entry logged after its start, each once.
    await waitPushed(kiosk);
    const logged = async () =>
      Number((await central.query<{ n: string }>('SELECT count(*) AS n FROM change_log WHERE (xid, id) > ($1::xid8, $2::bigint)', [before.cursor_xid, before.cursor_id ?? 0]))[0]!.n);
    const pulled = async () => Number((await readSyncState(kiosk.db)).pulled_total) - Number(before.pulled_total);
    for (let polls = 0; (await pulled()) < (await logged()); polls += 1) {
      expect(polls).toBeLessThan(1_200);
      await sleep(50);
    }
    expect(await logged()).toBeGreaterThanOrEqual(PULLED);
    expect(await pulled()).toBe(await logged());
  }, 120_000);

  it('answers a reset.request queued behind a refresh (the cursor was pruned) before the refresh has applied its first page', async () => {
    const kiosk = app!;
    await kiosk.sync!.stop();
    const session = kiosk.sessions.create();
    // Rows committed by the refresh's transactions, told by the keys each notes.
    let inRefresh = false;
    let noted = 0;
    let committed = 0;
    let answered: { afterRows: number; ok: boolean } | undefined;
    kiosk.db.on('query', (q: { sql: string; bindings?: unknown[] }) => {
      if (/^update `sync_guard` set `applying`/.test(q.sql) && q.bindings?.[0] === 1 && !inRefresh) {
        inRefresh = true;
        noted = 0;
        if (committed === 0 && answered === undefined) {
          void kiosk
            .dispatch('reset.request', { jsaId: '60000000002', email: 'user2@example.jp', locale: 'ja' }, { session, transport: 'http', actor: 'kiosk' })
            .then((result) => (answered = { afterRows: committed, ok: result.ok }));
        }
      } else if (inRefresh && /^INSERT OR IGNORE INTO sync_refresh_keys/.test(q.sql)) {
        noted = (JSON.parse(String(q.bindings?.[1])) as unknown[]).length;
      } else if (/^COMMIT/i.test(q.sql) && inRefresh) {
        inRefresh = false;
        committed += noted;
      }
    });
    const client = await central.client();
    try {
      await beginRefresh(kiosk.db, client, new Date().toISOString());
      await runRefresh(kiosk.db, client, kiosk.sync!.clientId, applyPace(1));
    } finally {
      await client.end();
    }
    for (let polls = 0; answered === undefined; polls += 1) {
      expect(polls).toBeLessThan(600);
      await sleep(50);
    }
    expect(answered.ok).toBe(true);
    // The accounts come first, 5,000 to a page: answered before that page was all applied.
    expect(answered.afterRows).toBeLessThan(PULLED);
    expect(await held(kiosk)).toBe(PULLED);
    expect((await readSyncState(kiosk.db)).refresh_table).toBeNull();
  });

  it('goes on after a kill between two transactions of a refresh page from the slice it had committed, and removes what central removed', async () => {
    const kiosk = app!;
    // Removed at central while this counter does not pull: only a refresh can tell.
    await central.query(`DELETE FROM accounts WHERE jsa_id = $1`, ['60000004999']);
    // The store as a kill leaves it: the third transaction of the refresh never begins.
    let transactions = 0;
    const killed = new Proxy(kiosk.db, {
      get(target, prop, receiver) {
        if (prop !== 'transaction') return Reflect.get(target, prop, receiver) as unknown;
        return (run: Parameters<App['db']['transaction']>[0]) => {
          transactions += 1;
          if (transactions === 3) return Promise.reject(new Error('killed'));
          return target.transaction(run);
        };
      },
    });
    const client = await central.client();
    try {
      await beginRefresh(kiosk.db, client, new Date().toISOString());
      await expect(runRefresh(killed, client, kiosk.sync!.clientId, applyPace(1))).rejects.toThrow('killed');
      const cut = await readSyncState(kiosk.db);
      expect(cut).toMatchObject({ refresh_table: 'accounts', refresh_rows: 100 });
      expect(cut.refresh_after).not.toBeNull();
      await runRefresh(kiosk.db, client, kiosk.sync!.clientId, applyPace(25));
    } finally {
      await client.end();
    }
    expect((await readSyncState(kiosk.db)).refresh_table).toBeNull();
    expect(await held(kiosk)).toBe(PULLED - 1);
    const [central6] = await central.query<{ n: number }>(`SELECT count(*)::int AS n FROM accounts WHERE jsa_id LIKE '6%'`);
    expect(central6!.n).toBe(PULLED - 1);
  });
});
