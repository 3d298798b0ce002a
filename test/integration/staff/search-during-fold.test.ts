// A clerk's search and the search-key fold (decisions.md, "A clerk's search does not wait for a
// large fold"): a few stale rows are folded before the search answers; a large pull's are folded
// in the background at the pull's pace (minutes at a million rows), and the clerk is answered
// at once and told that a search by name, company or phone may miss accounts meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { foldStaleSearchRows, staleSearchRows } from '../../../src-main/store/account-search-repo';
import { addSyntheticAccounts } from '../../../src-main/services/synthetic-accounts';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { addAccount, startTestApp } from '../support/test-app';
import { readyAdmin, readyStaff, type StaffClient } from './staff-support';

let dir: TempDir;
let app: App;
let agent: StaffClient;

beforeAll(async () => {
  dir = await makeTempDir();
  app = await startTestApp({ dataDir: dir.path, startMailWorker: false });
  await addSyntheticAccounts(app.db, app.clock, 6_000);
  await addAccount(app, { jsaId: '45678901234', email: 'kato@example.co.jp', contactName: 'かとう けいこ', company: '(株)ひかり精機' });
  const admin = await readyAdmin(app);
  agent = await readyStaff(app, admin, 'agent');
  await foldStaleSearchRows(app.db);
});
afterAll(async () => {
  await app.close();
  await dir.remove();
});

describe('a clerk searching while search keys are folded', () => {
  it('is answered while more than a few thousand rows wait to be folded, told that names may be missing', async () => {
    await app.db('account_search').update({ stale: 1 });
    const stale = await staleSearchRows(app.db);
    expect(stale).toBeGreaterThan(6_000);
    // The search starts the fold and answers beside its first batches, not after its last.
    const byName = await agent.ok('staff.accounts.search', { query: 'かとう けいこ', field: 'name' });
    expect(byName).toMatchObject({ incomplete: 'indexing' });
    const byJsaId = await agent.ok('staff.accounts.search', { query: '45678901234', field: 'jsaId' });
    expect(byJsaId).toMatchObject({ total: 1, incomplete: null });
    await foldStaleSearchRows(app.db);
    expect(await staleSearchRows(app.db)).toBe(0);
    expect(await agent.ok('staff.accounts.search', { query: 'かとう けいこ', field: 'name' })).toMatchObject({ total: 1, incomplete: null });
  });

  it('folds a few stale rows before it answers, so a name changed a moment ago is found', async () => {
    const id = (await app.db('accounts').where({ jsa_id: '45678901234' }).first('id')) as { id: string };
    // The row's keys are those of another name until it is folded again.
    await app.db('account_search').where({ account_id: id.id }).update({ name_f: 'べつのなまえ', name_last_f: 'なまえ', stale: 1 });
    const found = await agent.ok('staff.accounts.search', { query: 'かとう けいこ', field: 'name' });
    expect(found).toMatchObject({ total: 1, incomplete: null });
    expect(await staleSearchRows(app.db)).toBe(0);
  });
});
