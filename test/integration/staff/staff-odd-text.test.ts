// Odd characters in every free-text field a staff user types: a field message on that field,
// and nothing written (no row, no audit entry, no counted login failure).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import type { CallInput, CallName } from '../../../src-main/contract/registry';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { manualClock, startTestApp } from '../support/test-app';
import { readyAdmin, staffClient, type StaffClient } from './staff-support';

let dir: TempDir;
let app: App;
let admin: StaffClient;

beforeAll(async () => {
  dir = await makeTempDir();
  app = await startTestApp({ dataDir: dir.path, clock: manualClock(), startMailWorker: false });
  admin = await readyAdmin(app);
});
afterAll(async () => {
  await app.close();
  await dir.remove();
});

const odd = {
  NUL: 'Canon\u0000LBP',
  'a lone surrogate': 'Canon\uD800LBP',
  'U+202E': 'Canon\u202ELBP',
  '10,000 characters': 'あ'.repeat(10_000),
};
/** One-line fields refuse a line separator too; the notes' fold keeps one (they take line breaks). */
const oneLine = { ...odd, 'U+2028': 'Canon\u2028LBP' };

const written = async () =>
  Promise.all(['audit_log', 'settings', 'staff_users', 'limit_events', 'inquiry_reviews', 'account_locks'].map(async (table) => Number(((await app.db(table).count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n)));

async function refusedOnField<K extends CallName>(client: StaffClient, name: K, field: string, input: CallInput<K>) {
  const before = await written();
  const result = await client.call(name, input);
  expect(result.ok, `${name} ${field}`).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('INVALID_INPUT');
  expect(result.error.fields?.map((f) => f.field)).toEqual([field]);
  expect(await written()).toEqual(before);
}

describe('odd characters in a staff field', () => {
  it.each(Object.entries(oneLine))('設定’s printer name over the API, with %s', async (_what, value) => {
    const { settings, revision } = await admin.ok('staff.settings.get', {});
    await refusedOnField(admin, 'staff.settings.update', 'settings.printerName', { settings: { ...settings, printerName: value }, revision });
  });

  it.each(Object.entries(oneLine))('初期設定’s printer name, with %s', async (_what, value) => {
    await refusedOnField(admin, 'ops.setup.save', 'printerName', { printerName: value });
  });

  it.each(Object.entries(odd))('the login name, with %s: not a counted failure under a name nobody can have', async (_what, value) => {
    await refusedOnField(staffClient(app), 'staff.login', 'username', { username: value, password: 'any-password-at-all' });
  });

  it.each(Object.entries(odd))('the other staff fields, with %s', async (_what, value) => {
    const id = '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee';
    await refusedOnField(admin, 'staff.users.create', 'username', { username: value, displayName: '山田 太郎', role: 'agent' });
    await refusedOnField(admin, 'staff.users.create', 'displayName', { username: 'yamada', displayName: value, role: 'agent' });
    await refusedOnField(admin, 'staff.accounts.revealIdentity', 'note', { accountId: id, document: 'passport', note: value });
    await refusedOnField(admin, 'staff.locks.lift', 'reason', { accountId: id, kind: 'reset', reason: value });
    await refusedOnField(admin, 'staff.inquiries.decide', 'reasonText', { inquiryId: id, decision: 'refuse', reasonTemplate: 'other', reasonText: value });
    await refusedOnField(admin, 'staff.inquiries.decide', 'overrideReason', { inquiryId: id, decision: 'approve', accountId: id, reasonTemplate: 'other', overrideReason: value });
    await refusedOnField(admin, 'staff.accounts.search', 'query', { query: value });
  });
});
