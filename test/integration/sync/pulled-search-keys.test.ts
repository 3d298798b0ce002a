// Accounts that arrive by pull (a central import, another counter's writes) are stored with
// their search keys still to fold (0011 marks them stale). The sync engine folds them in the
// background once the pull is done, so a clerk's first search does not fold them itself; many
// at once fold with the search indexes on: the counter serves meanwhile, and a rebuilt index
// was one statement sorting every row (search-fold-lets-callers-in.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { rebuildSetAsideSearchIndexes, SET_ASIDE_FROM_ROWS, setAsideSearchIndexCount, setAsideSearchIndexesRecorded } from '../../../src-main/store/account-search-fold';
import { applyPace, MIN_APPLY_ENTRIES } from '../../../src-main/store/apply-pace';
import { foldStaleSearchRows, refreshStaleSearchRows, searchAccounts, staleSearchRows, stopFoldingSearchRows } from '../../../src-main/store/account-search-repo';
import { integrityCheck } from '../../../src-main/store/database';
import { seedCentralAccounts, startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const PULLED = SET_ASIDE_FROM_ROWS + 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jsaIds = async (result: Promise<{ rows: Array<{ jsa_id: string }> }>) => (await result).rows.map((r) => r.jsa_id);
const count = async (app: App, table: string) => Number(((await app.db(table).count({ n: '*' })) as Array<{ n: number }>)[0]!.n);
const searchIndexes = async (app: App) =>
  ((await app.db.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'account_search' AND sql IS NOT NULL ORDER BY name`)) as Array<{ name: string }>).map((r) => r.name);

describe('search keys of pulled accounts', () => {
  let central: Central;
  let dir: TempDir;
  let app: App | undefined;

  beforeAll(async () => {
    central = await startCentral();
    dir = await makeTempDir('webdesk-pulled-search-');
  });

  afterAll(async () => {
    await app?.close();
    await central?.stop();
    await dir?.remove();
  });

  it('folds a large pull in the background with the search indexes on, before any search asks', async () => {
    app = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-p', centralUrl: await central.kioskUrl('kiosk_p'), syncOptions: { pollMs: 500 } });
    await waitOnline(app);
    const before = await searchIndexes(app);
    expect(before).toHaveLength(7);
    const statements: string[] = [];
    app.db.on('query', (q: { sql: string }) => {
      if (/^(DROP|CREATE) INDEX/i.test(q.sql)) statements.push(q.sql.split(' ').slice(0, 3).join(' '));
    });

    // Written at central after this counter's first sync: they come by the change log.
    await seedCentralAccounts(central, PULLED, { prefix: '6' });

    // Every row here and none left stale, with no search made: the engine's fold did it.
    for (let polls = 0; ; polls += 1) {
      const held = Number(((await app.db('accounts').where('jsa_id', 'like', '6%').count({ n: '*' })) as Array<{ n: number }>)[0]!.n);
      if (held === PULLED && (await staleSearchRows(app.db)) === 0) break;
      expect(polls, `held ${held}, stale ${await staleSearchRows(app.db)}`).toBeLessThan(2_400);
      await sleep(50);
    }
    // More rows than an import sets the indexes aside for, and none dropped.
    expect(statements).toEqual([]);
    expect(await setAsideSearchIndexCount(app.db)).toBe(0);
    expect(await searchIndexes(app)).toEqual(before);
    expect(await count(app, 'account_search')).toBe(PULLED);
    expect(await app.db.raw('SELECT count(*) AS n FROM account_search_fts')).toEqual([{ n: PULLED }]);
    expect(await integrityCheck(app.db)).toBe('ok');
    expect(await jsaIds(searchAccounts(app.db, `佐藤 ${PULLED}`, 'name', 1, 10))).toEqual([`6${String(PULLED).padStart(10, '0')}`]);
  }, 180_000);

  it('leaves indexes another writer set aside to that writer, and folds all the same', async () => {
    const db = app!.db;
    await db.transaction((tx) => setAsideSearchIndexesRecorded(tx, 'import:cli', new Date().toISOString()));
    await db('account_search').whereIn('account_id', db('accounts').select('id').where('jsa_id', 'like', '600000001%')).update({ stale: 1 });
    const stale = await staleSearchRows(db);
    expect(stale).toBeGreaterThan(0);
    expect(await refreshStaleSearchRows(db)).toBe(stale);
    expect(await staleSearchRows(db)).toBe(0);
    expect(await setAsideSearchIndexCount(db)).toBe(6);
    expect(await searchIndexes(app!)).toEqual(['account_search_account_id_unique']);
    expect(await jsaIds(searchAccounts(db, '佐藤 150', 'name', 1, 50))).toContain('60000000150');
  });

  it('stops a fold when the counter closes; after the next start the rest is folded', async () => {
    await rebuildSetAsideSearchIndexes(app!.db);
    await app!.db('account_search').update({ stale: 1 });
    // Told to stop after its second batch (a goal of 1 ms keeps each at the fewest rows).
    let asked = 0;
    const folded = await refreshStaleSearchRows(app!.db, { pace: applyPace(1), shouldStop: () => ++asked > 3 });
    expect(folded).toBe(2 * MIN_APPLY_ENTRIES);
    expect(await setAsideSearchIndexCount(app!.db)).toBe(0);
    expect(await staleSearchRows(app!.db)).toBe(PULLED - 2 * MIN_APPLY_ENTRIES);
    await app!.close();

    app = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-p', centralUrl: await central.kioskUrl('kiosk_p') });
    await waitOnline(app);
    // What is left folds with the next pass (the start's own, or this one after it).
    await foldStaleSearchRows(app.db);
    expect(await staleSearchRows(app.db)).toBe(0);
    expect(await setAsideSearchIndexCount(app.db)).toBe(0);
    expect(await searchIndexes(app)).toHaveLength(7);
    expect(await jsaIds(searchAccounts(app.db, `佐藤 ${PULLED - 1}`, 'name', 1, 10))).toEqual([`6${String(PULLED - 1).padStart(10, '0')}`]);
    expect(await integrityCheck(app.db)).toBe('ok');

    // Closing: a pass asked for afterwards folds nothing, and the rows stay stale for the next start.
    await app.db('account_search').where('rid', '<=', 100).update({ stale: 1 });
    await stopFoldingSearchRows(app.db);
    expect(await foldStaleSearchRows(app.db)).toBe(0);
    expect(await staleSearchRows(app.db)).toBe(100);
  });
});
