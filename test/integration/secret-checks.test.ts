// Issue 13, findings 1, 2, 3 and 5, as the outside probe found them: over the loopback HTTP
// transport, bursts as really parallel requests, each attacker request with its own session
// where an attacker would do that. Every call that checks a secret goes through one rule
// (src-main/services/secret-check.ts): one attempt per subject at a time, the cap read in the
// same step as the compare, nothing compared or accepted past it. The growing login delay is
// recorded instead of slept (`recordingSleep`), so its schedule is compared, not timed.
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { DEMO_PASSWORD } from '../../src-main/app/demo-data';
import { loginDelayMs } from '../../src-main/services/account-service';
import { makeTempDir } from '../support/temp-dir';
import { outcome, recordingSleep, startHttpApp, type HttpApp } from './support/http-app';
import { readyAdmin, readyStaff, STAFF_PASSWORD } from './staff/staff-support';

const JSA_ID = '12345678901'; // the demo account with a password (README)
const NEW_PASSWORD = 'atarashii-kagi-no-hi-2026';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function start(): Promise<HttpApp & { delays: number[]; cap: number }> {
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  const recorder = recordingSleep();
  const h = await startHttpApp(dir.path, { sleep: recorder.sleep });
  cleanups.push(h.close);
  // The shipped cap (10), as the probe met it.
  const cap = (await h.app.settings.get()).limits.maxLoginFailures;
  return { ...h, delays: recorder.delays, cap };
}

const lastSeq = async (app: App) => Number((await app.db('audit_log').max<{ m: number }[]>({ m: 'seq' }))[0]!.m);

/** The audit trail of one subject since `seq`, only the actions named, in order. */
async function trail(app: App, since: number, subject: string, actions: string[]): Promise<string[]> {
  return (await app.db('audit_log').where('seq', '>', since).andWhere({ subject }).whereIn('action', actions).orderBy('seq').pluck('action')) as string[];
}

/**
 * What the one rule promises for a trail: the lock was reached, nothing was evaluated or
 * accepted after it, and exactly `cap` failures led to it since the last success (a success
 * under the cap, e.g. the right guess arriving early, is allowed and starts the count again).
 */
function expectCappedTrail(actions: string[], cap: number, names: { failure: string; success: string; locked: string }): void {
  const lockAt = actions.indexOf(names.locked);
  expect(lockAt, `no ${names.locked} in ${actions.join(', ')}`).toBeGreaterThan(-1);
  expect(actions.slice(lockAt + 1), 'evaluated after the lock').toEqual([]);
  const start = actions.lastIndexOf(names.success, lockAt) + 1;
  expect(actions.slice(start, lockAt)).toEqual(Array<string>(cap).fill(names.failure));
}

describe('finding 1: staff login in a parallel burst', () => {
  it('evaluates at most the cap from 20 sessions at once and never accepts the right password after it', async () => {
    const h = await start();
    const admin = await readyAdmin(h.app);
    await readyStaff(h.app, admin, 'agent', 'suzuki');
    const agent = (await h.app.db('staff_users').where({ username: 'suzuki' }).first('id')) as { id: string };
    const visitors = await Promise.all(Array.from({ length: 20 }, () => h.visitor()));
    const since = await lastSeq(h.app);

    // 19 guesses and the right password, each from its own session, all at once.
    const answers = await Promise.all(
      visitors.map((v, i) => v.call('staff.login', { username: 'suzuki', password: i < 19 ? `guess-number-${i}-wrong` : STAFF_PASSWORD })),
    );

    const actions = await trail(h.app, since, `staff:${agent.id}`, ['staff.login-failed', 'staff.login', 'staff.locked']);
    expectCappedTrail(actions, h.cap, { failure: 'staff.login-failed', success: 'staff.login', locked: 'staff.locked' });
    const evaluated = actions.filter((a) => a !== 'staff.locked').length;
    // Everything past the cap got the lock's answer without a compare; the one that reached it too.
    expect(answers.filter((a) => outcome(a) === 'LOGIN_LOCKED')).toHaveLength(20 - evaluated + 1);
    const right = outcome(answers[19]!);
    expect(right === 'LOGIN_LOCKED' || (right === 'ok' && actions.indexOf('staff.login') < actions.indexOf('staff.locked'))).toBe(true);
    expect(((await h.app.db('staff_users').where({ id: agent.id }).first('locked_at')) as { locked_at: string | null }).locked_at).not.toBeNull();
    // And the lock holds for the right password from a new session.
    expect(outcome(await (await h.visitor()).call('staff.login', { username: 'suzuki', password: STAFF_PASSWORD }))).toBe('LOGIN_LOCKED');
  });
});

describe('finding 2: マイページ password change in a burst from one session', () => {
  it('locks after the cap, changes nothing after it, and the lock holds for the old and the new password', async () => {
    const h = await start();
    const owner = await h.visitor();
    expect(outcome(await owner.call('account.login', { jsaId: JSA_ID, password: DEMO_PASSWORD }))).toBe('ok');
    const since = await lastSeq(h.app);

    // An unattended window: 19 guessed current passwords and the right one, all at once.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        owner.call('mypage.changePassword', { currentPassword: i < 19 ? `guess-number-${i}-wrong` : DEMO_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD, locale: 'ja' }),
      ),
    );

    const actions = await trail(h.app, since, JSA_ID, ['mypage.password-wrong', 'mypage.password-changed', 'login.locked']);
    expectCappedTrail(actions, h.cap, { failure: 'mypage.password-wrong', success: 'mypage.password-changed', locked: 'login.locked' });
    // Whichever password is current now, the account stays locked: the attacker's does not log in.
    for (const password of [DEMO_PASSWORD, NEW_PASSWORD]) {
      expect(outcome(await (await h.visitor()).call('account.login', { jsaId: JSA_ID, password }))).toBe('LOGIN_LOCKED');
    }
    expect(await h.app.db('account_locks').where({ kind: 'login' }).whereNull('unlocked_at')).toHaveLength(1);
  });
});

describe('finding 3: staff password change guesses', () => {
  it('counts wrong current passwords toward the login lock with the login’s delay, audits them, and locks at the cap', async () => {
    const h = await start();
    const admin = await readyAdmin(h.app);
    await readyStaff(h.app, admin, 'agent', 'suzuki');
    const agent = (await h.app.db('staff_users').where({ username: 'suzuki' }).first('id')) as { id: string };
    const desk = await h.visitor();
    expect(outcome(await desk.call('staff.login', { username: 'suzuki', password: STAFF_PASSWORD }))).toBe('ok');
    const since = await lastSeq(h.app);
    const delaysBefore = h.delays.length;

    const codes: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      codes.push(outcome(await desk.call('staff.changePassword', { current: `guess-number-${i}-wrong`, next: NEW_PASSWORD, confirm: NEW_PASSWORD })));
    }

    expect(codes.slice(0, h.cap - 1)).toEqual(Array<string>(h.cap - 1).fill('INVALID_INPUT'));
    expect(codes[h.cap - 1]).toBe('LOGIN_LOCKED');
    // Past the cap nothing is compared: the locked user's session ends.
    for (const code of codes.slice(h.cap)) expect(['SESSION_EXPIRED', 'UNAUTHENTICATED']).toContain(code);
    expect(h.delays.slice(delaysBefore)).toEqual(Array.from({ length: h.cap }, (_, n) => loginDelayMs(n)));
    expect(await trail(h.app, since, `staff:${agent.id}`, ['staff.password-wrong', 'staff.locked', 'staff.password-changed'])).toEqual([
      ...Array<string>(h.cap).fill('staff.password-wrong'),
      'staff.locked',
    ]);
    // The right password is no way back in: neither on that desk nor at a new login.
    expect(outcome(await desk.call('staff.changePassword', { current: STAFF_PASSWORD, next: NEW_PASSWORD, confirm: NEW_PASSWORD }))).not.toBe('ok');
    expect(outcome(await (await h.visitor()).call('staff.login', { username: 'suzuki', password: STAFF_PASSWORD }))).toBe('LOGIN_LOCKED');
  });
});

describe('finding 5: login answers do not tell which JSA-IDs exist', () => {
  /** Wrong passwords one after another, each from a new session, with everything an onlooker sees but the clock. */
  async function guesses(h: Awaited<ReturnType<typeof start>>, jsaId: string, n: number) {
    const answers: Array<{ status: number; text: string; delays: number[] }> = [];
    for (let i = 0; i < n; i += 1) {
      const v = await h.visitor();
      const mark = h.delays.length;
      const answer = await v.call('account.login', { jsaId, password: `guess-number-${i}-wrong` });
      answers.push({ status: answer.status, text: answer.text, delays: h.delays.slice(mark) });
    }
    return answers;
  }

  it('gives an existing and an unknown JSA-ID the same answers, the same growing delay and the same lock', async () => {
    const h = await start();
    const existing = await guesses(h, JSA_ID, h.cap + 2);
    const unknown = await guesses(h, '99999999998', h.cap + 2);

    expect(unknown).toEqual(existing);
    expect(existing.map((a) => JSON.parse(a.text) as unknown)).toEqual([
      ...Array<unknown>(h.cap - 1).fill({ ok: false, error: { code: 'LOGIN_FAILED' } }),
      ...Array<unknown>(3).fill({ ok: false, error: { code: 'LOGIN_LOCKED' } }),
    ]);
    // The delay grows the same way for both; past the lock nothing is compared and nothing waits.
    expect(existing.map((a) => a.delays)).toEqual([...Array.from({ length: h.cap }, (_, n) => [loginDelayMs(n)]), [], []]);
    // The lock is keyed on what was typed: the same ID in full-width digits is the same subject.
    expect(outcome(await (await h.visitor()).call('account.login', { jsaId: '９９９９９９９９９９８', password: 'guess-once-more' }))).toBe('LOGIN_LOCKED');
    // Both were counted and audited; only the real account has a lock row and a notice mail.
    expect(await h.app.db('audit_log').where({ subject: '99999999998', action: 'login.unknown-id' })).toHaveLength(h.cap);
    expect(await h.app.db('account_locks').where({ kind: 'login' }).whereNull('unlocked_at')).toHaveLength(1);
  });
});
