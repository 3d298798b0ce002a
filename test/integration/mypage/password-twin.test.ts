// マイページ's 変更 sent many times at once with the right current password (the screen blocks a
// double submit; the API does not): one change, the rest told it was already changed, and the
// customer never locked out by their own right password.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallResult } from '../../../src-main/contract/errors';
import { accountRow, DEMO, loggedIn, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const BURST = 12;
const NEXT = 'aki-no-sora-takaku-2027';
const audited = async (action: string) => Number(((await h.app.db('audit_log').where({ action, subject: DEMO.jsaId }).count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n);

describe('a customer sending their own right password in a burst', () => {
  it('changes it once and tells the rest it was already changed, without a lock or a mail per press', async () => {
    const windows = [await loggedIn(h.app), await loggedIn(h.app)];
    const input = { currentPassword: DEMO.password, password: NEXT, confirm: NEXT, locale: 'ja' as const };
    const results: Array<CallResult<unknown>> = await Promise.all(Array.from({ length: BURST }, (_, i) => windows[i % 2]!.call('mypage.changePassword', input)));

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.flatMap((r) => (r.ok ? [] : [r.error]))).toEqual(Array(BURST - 1).fill({ code: 'CONFLICT', params: { reason: 'password-changed' } }));
    expect(await audited('mypage.password-changed')).toBe(1);
    expect(await audited('mypage.password-wrong')).toBe(0);
    expect(await h.app.db('account_locks').where({ account_id: (await accountRow(h.app)).id }).whereNull('unlocked_at').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await h.app.db('mail_outbox').where({ template: 'password-changed' }).count({ n: '*' })).toEqual([{ n: 1 }]);
    await loggedIn(h.app, DEMO.jsaId, NEXT);
  });
});
