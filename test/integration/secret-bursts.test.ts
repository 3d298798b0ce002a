// The one rule for every call that checks a secret (issue 13, DESIGN §6), walked over the
// contract registry: each call marked `checksSecret` gets a parallel burst of wrong secrets
// over the HTTP transport (a session per request where an attacker would open many; one
// logged-in window where the call needs a login), then the right secret. At most the cap is
// evaluated (each evaluation leaves an audit entry), and nothing succeeds after the cap. A call
// marked without a burst here fails the walk, so a new secret check cannot be left out.
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { DEMO_PASSWORD } from '../../src-main/app/demo-data';
import { callNames, contract, type CallName } from '../../src-main/contract/registry';
import { CODE_ALPHABET } from '../../src-main/domain/reset-code';
import { codeAndTokenFrom, startMailbox, type Mailbox } from '../support/mailbox';
import { makeTempDir } from '../support/temp-dir';
import { outcome, recordingSleep, startHttpApp, type HttpApp, type Visitor } from './support/http-app';
import { codeFrom, mailTo } from './mypage/harness';
import { readyAdmin, readyStaff, STAFF_PASSWORD } from './staff/staff-support';

const JSA_ID = '12345678901';
const EMAIL = 'tanaka@example.co.jp';
const NEW_PASSWORD = 'atarashii-kagi-no-hi-2026';
const EXTRA = 5; // wrong secrets beyond the cap in each burst

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

interface Counter extends HttpApp {
  mailbox: Mailbox;
}

async function start(): Promise<Counter> {
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  const mailbox = await startMailbox();
  cleanups.push(mailbox.close);
  const h = await startHttpApp(dir.path, { smtpUrl: mailbox.url, startMailWorker: true, sleep: recordingSleep().sleep });
  cleanups.push(h.close);
  return { ...h, mailbox };
}

/** One attack on one subject: how to send a guess, and what the audit log calls an evaluation. */
interface Attack {
  cap: number;
  /** The session a guess comes from: a new one each time, or the one logged-in window. */
  session(): Promise<Visitor>;
  wrong(i: number): unknown;
  right: unknown;
  subject: string;
  failure: string;
  /** What the audit log calls the evaluation that reaches the cap, where it is not `failure`. */
  atCap?: string;
  success: string;
}

const limits = async (app: App) => (await app.settings.get()).limits;

/** A well-formed code that is not `code`: the i-th of a run through the code alphabet. */
const wrongCode = (code: string, i: number) => {
  const other = CODE_ALPHABET.split('').filter((c) => c !== code[0])[i % (CODE_ALPHABET.length - 1)]!;
  return other + code.slice(1);
};

async function loggedInCustomer(c: Counter): Promise<Visitor> {
  const owner = await c.visitor();
  expect(outcome(await owner.call('account.login', { jsaId: JSA_ID, password: DEMO_PASSWORD }))).toBe('ok');
  return owner;
}

async function staffUser(c: Counter): Promise<string> {
  await readyStaff(c.app, await readyAdmin(c.app), 'agent', 'suzuki');
  return ((await c.app.db('staff_users').where({ username: 'suzuki' }).first('id')) as { id: string }).id;
}

async function requestedCode(c: Counter): Promise<{ code: string; token: string }> {
  expect(outcome(await (await c.visitor()).call('reset.request', { jsaId: JSA_ID, email: EMAIL, locale: 'ja' }))).toBe('ok');
  return codeAndTokenFrom(await mailTo(c.mailbox, EMAIL, /パスワード変更権限コード/));
}

const bursts: Array<{ call: CallName; what: string; prepare(c: Counter): Promise<Attack> }> = [
  {
    call: 'account.login',
    what: 'customer login, a new session per guess',
    prepare: async (c) => ({
      cap: (await limits(c.app)).maxLoginFailures,
      session: () => c.visitor(),
      wrong: (i) => ({ jsaId: JSA_ID, password: `guess-number-${i}-wrong` }),
      right: { jsaId: JSA_ID, password: DEMO_PASSWORD },
      subject: JSA_ID,
      failure: 'login.password-wrong',
      success: 'login.succeeded',
    }),
  },
  {
    call: 'mypage.changePassword',
    what: 'マイページ password change from one logged-in window',
    async prepare(c) {
      const owner = await loggedInCustomer(c);
      return {
        cap: (await limits(c.app)).maxLoginFailures,
        session: async () => owner,
        wrong: (i) => ({ currentPassword: `guess-number-${i}-wrong`, password: NEW_PASSWORD, confirm: NEW_PASSWORD, locale: 'ja' }),
        right: { currentPassword: DEMO_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD, locale: 'ja' },
        subject: JSA_ID,
        failure: 'mypage.password-wrong',
        success: 'mypage.password-changed',
      };
    },
  },
  {
    call: 'mypage.requestEmailChange',
    what: 'マイページ address change (its current password) from one logged-in window',
    async prepare(c) {
      const owner = await loggedInCustomer(c);
      return {
        cap: (await limits(c.app)).maxLoginFailures,
        session: async () => owner,
        wrong: (i) => ({ currentPassword: `guess-number-${i}-wrong`, newEmail: 'thief@example.net', locale: 'ja' }),
        right: { currentPassword: DEMO_PASSWORD, newEmail: 'thief@example.net', locale: 'ja' },
        subject: JSA_ID,
        failure: 'mypage.password-wrong',
        success: 'mypage.email-change-requested',
      };
    },
  },
  {
    call: 'mypage.confirmEmailChange',
    what: 'e-mail change code from one logged-in window',
    async prepare(c) {
      const owner = await loggedInCustomer(c);
      expect(outcome(await owner.call('mypage.requestEmailChange', { currentPassword: DEMO_PASSWORD, newEmail: 'tanaka.new@example.co.jp', locale: 'ja' }))).toBe('ok');
      const code = codeFrom(await mailTo(c.mailbox, 'tanaka.new@example.co.jp', /確認コード/), /確認コード/);
      return {
        cap: (await limits(c.app)).maxCodeAttempts,
        session: async () => owner,
        wrong: (i) => ({ code: wrongCode(code, i), locale: 'ja' }),
        right: { code, locale: 'ja' },
        subject: JSA_ID,
        failure: 'mypage.email-code-wrong',
        success: 'mypage.email-changed',
      };
    },
  },
  {
    call: 'reset.verifyCode',
    what: 'reset code typed at the kiosk with the JSA-ID, a new session per guess',
    async prepare(c) {
      const { code } = await requestedCode(c);
      return {
        cap: (await limits(c.app)).maxCodeAttempts,
        session: () => c.visitor(),
        wrong: (i) => ({ identifier: JSA_ID, code: wrongCode(code, i) }),
        right: { identifier: JSA_ID, code },
        subject: JSA_ID,
        failure: 'reset.code-wrong',
        atCap: 'reset.voided',
        success: 'reset.code-verified',
      };
    },
  },
  {
    call: 'reset.verifyCode',
    what: 'reset code with the link token, a new session per guess',
    async prepare(c) {
      const { code, token } = await requestedCode(c);
      return {
        cap: (await limits(c.app)).maxCodeAttempts,
        session: () => c.visitor(),
        wrong: (i) => ({ token, code: wrongCode(code, i) }),
        right: { token, code },
        subject: JSA_ID,
        failure: 'reset.code-wrong',
        atCap: 'reset.voided',
        success: 'reset.code-verified',
      };
    },
  },
  {
    call: 'staff.login',
    what: 'staff login, a new session per guess',
    async prepare(c) {
      const id = await staffUser(c);
      return {
        cap: (await limits(c.app)).maxLoginFailures,
        session: () => c.visitor(),
        wrong: (i) => ({ username: 'suzuki', password: `guess-number-${i}-wrong` }),
        right: { username: 'suzuki', password: STAFF_PASSWORD },
        subject: `staff:${id}`,
        failure: 'staff.login-failed',
        success: 'staff.login',
      };
    },
  },
  {
    call: 'staff.changePassword',
    what: 'staff password change from one logged-in desk',
    async prepare(c) {
      const id = await staffUser(c);
      const desk = await c.visitor();
      expect(outcome(await desk.call('staff.login', { username: 'suzuki', password: STAFF_PASSWORD }))).toBe('ok');
      return {
        cap: (await limits(c.app)).maxLoginFailures,
        session: async () => desk,
        wrong: (i) => ({ current: `guess-number-${i}-wrong`, next: NEW_PASSWORD, confirm: NEW_PASSWORD }),
        right: { current: STAFF_PASSWORD, next: NEW_PASSWORD, confirm: NEW_PASSWORD },
        subject: `staff:${id}`,
        failure: 'staff.password-wrong',
        success: 'staff.password-changed',
      };
    },
  },
];

const marked = callNames.filter((name) => (contract[name] as { checksSecret?: true }).checksSecret === true);

describe('the calls marked as checking a secret', () => {
  it('are the ones with a burst below, no more and no fewer', () => {
    expect(marked.length).toBeGreaterThan(0);
    expect([...new Set(bursts.map((b) => b.call))].sort()).toEqual([...marked].sort());
  });
});

describe.each(marked)('%s in a parallel burst', (call) => {
  const mine = bursts.filter((b) => b.call === call);
  it.each(mine.map((b) => [b.what, b] as const))('%s: at most the cap evaluated, and no success after it', async (_what, burst) => {
    const c = await start();
    const attack = await burst.prepare(c);
    const since = Number((await c.app.db('audit_log').max<{ m: number }[]>({ m: 'seq' }))[0]!.m);
    const evaluations = async () =>
      (await c.app.db('audit_log').where('seq', '>', since).andWhere({ subject: attack.subject }).whereIn('action', [attack.failure, attack.atCap ?? attack.failure, attack.success]).orderBy('seq').pluck('action')) as string[];
    // The cap-th wrong secret writes one entry naming its outcome (a reset code's fifth voids the request).
    const capped = [...Array<string>(attack.cap - 1).fill(attack.failure), attack.atCap ?? attack.failure];

    const sessions = await Promise.all(Array.from({ length: attack.cap + EXTRA }, () => attack.session()));
    const answers = await Promise.all(sessions.map((s, i) => s.call(call, attack.wrong(i))));
    expect(answers.filter((a) => a.result.ok)).toEqual([]);
    expect(await evaluations()).toEqual(capped);

    // The right secret, after the cap: refused, and not evaluated either.
    expect(outcome(await (await attack.session()).call(call, attack.right))).not.toBe('ok');
    expect(await evaluations()).toEqual(capped);
  });
});
