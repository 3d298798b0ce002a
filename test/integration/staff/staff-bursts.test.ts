// Staff calls sent many times at once over the API, where the screens block a double submit:
// a burst does its work once and answers the rest in words, and never turns a person's own
// right answer against them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import type { CallResult } from '../../../src-main/contract/errors';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { manualClock, startTestApp } from '../support/test-app';
import { readyAdmin, readyStaff, staffClient, STAFF_PASSWORD, type StaffClient } from './staff-support';

let dir: TempDir;
let app: App;

beforeEach(async () => {
  dir = await makeTempDir();
  app = await startTestApp({ dataDir: dir.path, clock: manualClock(), startMailWorker: false });
});
afterEach(async () => {
  await app.close();
  await dir.remove();
});

const BURST = 12;
const NEXT = 'hoshi-no-furu-yoru-2027';
const outcomes = (results: Array<CallResult<unknown>>) => results.map((r) => (r.ok ? 'ok' : r.error.code));
const refusals = (results: Array<CallResult<unknown>>) => results.flatMap((r) => (r.ok ? [] : [r.error]));
const audited = async (action: string, subject: string) =>
  Number(((await app.db('audit_log').where({ action, subject }).count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n);

describe('a staff user sending their own right password in a burst', () => {
  async function suzuki(): Promise<{ desks: StaffClient[]; id: string }> {
    const admin = await readyAdmin(app);
    const desk = await readyStaff(app, admin, 'agent', 'suzuki');
    const tablet = staffClient(app);
    await tablet.ok('staff.login', { username: 'suzuki', password: STAFF_PASSWORD });
    return { desks: [desk, tablet], id: (await desk.ok('staff.me', {})).staffId };
  }

  it.each([
    ['one session', 1],
    ['two sessions', 2],
  ])('changes the password once from %s and tells the rest it was already changed, without a lock', async (_what, sessions) => {
    const { desks, id } = await suzuki();
    const input = { current: STAFF_PASSWORD, next: NEXT, confirm: NEXT };
    const changedBefore = await audited('staff.password-changed', `staff:${id}`);
    const results = await Promise.all(Array.from({ length: BURST }, (_, i) => desks[i % sessions]!.call('staff.changePassword', input)));

    expect(outcomes(results).filter((o) => o === 'ok')).toHaveLength(1);
    expect(refusals(results)).toEqual(Array(BURST - 1).fill({ code: 'CONFLICT', params: { reason: 'password-changed' } }));
    expect(await audited('staff.password-changed', `staff:${id}`)).toBe(changedBefore + 1);
    expect(await audited('staff.password-wrong', `staff:${id}`)).toBe(0);
    expect(await audited('staff.locked', `staff:${id}`)).toBe(0);
    const row = (await app.db('staff_users').where({ id }).first()) as { locked_at: string | null; failed_logins: number };
    expect([row.locked_at, row.failed_logins]).toEqual([null, 0]);
    // The new password logs in.
    await staffClient(app).ok('staff.login', { username: 'suzuki', password: NEXT });
  });
});

describe('an admin taking their own admin role', () => {
  it('is refused with the reason in words, for a role change and for 無効化, and nothing is changed', async () => {
    const admin = await readyAdmin(app);
    const me = await admin.ok('staff.me', {});
    const before = await audited('staff.updated', `staff:${me.staffId}`);
    for (const change of [{ role: 'agent' as const }, { role: 'supervisor' as const }, { disabled: true }]) {
      const refused = await admin.call('staff.users.update', { staffId: me.staffId, ...change });
      expect(refused.ok ? undefined : refused.error).toEqual({ code: 'CONFLICT', params: { reason: 'own-admin' } });
    }
    expect(await admin.ok('staff.me', {})).toMatchObject({ role: 'admin' });
    expect(await audited('staff.updated', `staff:${me.staffId}`)).toBe(before);
  });
});
