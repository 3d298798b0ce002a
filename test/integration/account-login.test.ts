// ログイン画面 through the contract: one answer for every failure, and the lock after the
// configured number of wrong passwords (DESIGN §6: progressive delay, lock after 10).
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { DEMO_PASSWORD } from '../../src-main/app/demo-data';
import { makeTempDir } from '../support/temp-dir';
import { kiosk, startTestApp } from './support/test-app';

const JSA_ID = '12345678901'; // the demo account with a password (README)

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function start(): Promise<App> {
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  const app = await startTestApp({ dataDir: dir.path, startMailWorker: false });
  cleanups.push(() => app.close());
  // 3, the lowest the settings allow, keeps the growing delay (0.25 s, 0.5 s …) short.
  const s = await app.settings.get();
  await app.settings.update({ limits: { ...s.limits, maxLoginFailures: 3 } }, 'staff:test');
  return app;
}

const activeLoginLocks = (app: App) => app.db('account_locks').where({ kind: 'login' }).whereNull('unlocked_at');

describe('account.login', () => {
  it('logs in with the right password and shows who is logged in', async () => {
    const app = await start();
    const k = kiosk(app);
    expect(await k.call('account.login', { jsaId: '１２３４５６７８９０１', password: DEMO_PASSWORD })).toEqual({
      ok: true,
      value: { contactName: '田中 一郎', maskedJsaId: '•••••••8901' },
    });
    expect(await k.ok('account.me', {})).toEqual({ loggedIn: true, contactName: '田中 一郎', maskedJsaId: '•••••••8901' });
    await k.ok('account.logout', {});
    expect(await k.ok('account.me', {})).toEqual({ loggedIn: false });
  });

  it('gives one answer for a wrong password, an unknown JSA-ID and an account without a password', async () => {
    const app = await start();
    const k = kiosk(app);
    const wrong = await k.call('account.login', { jsaId: JSA_ID, password: 'not-the-password' });
    const unknown = await k.call('account.login', { jsaId: '99999999999', password: 'not-the-password' });
    const noPassword = await k.call('account.login', { jsaId: '23456789012', password: 'not-the-password' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'LOGIN_FAILED' } });
    expect(unknown).toEqual(wrong);
    expect(noPassword).toEqual(wrong);
  });

  it('locks after the configured number of wrong passwords, and then refuses the right one', async () => {
    const app = await start();
    const k = kiosk(app);
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await k.call('account.login', { jsaId: JSA_ID, password: `wrong-password-${i}` }));
    expect(answers.map((a) => (a.ok ? 'ok' : a.error.code))).toEqual(['LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_LOCKED']);
    expect(await k.call('account.login', { jsaId: JSA_ID, password: DEMO_PASSWORD })).toMatchObject({ ok: false, error: { code: 'LOGIN_LOCKED' } });
    expect(await activeLoginLocks(app)).toHaveLength(1);
  });

  it('locks just the same when the wrong passwords arrive together, so parallel guessing gains nothing', async () => {
    const app = await start();
    // Three windows (or one script) send wrong passwords at once; the right one comes next.
    const guesses = Array.from({ length: 3 }, (_, i) => kiosk(app).call('account.login', { jsaId: JSA_ID, password: `wrong-password-${i}` }));
    const right = kiosk(app).call('account.login', { jsaId: JSA_ID, password: DEMO_PASSWORD });
    await Promise.all(guesses);
    expect(await right).toMatchObject({ ok: false, error: { code: 'LOGIN_LOCKED' } });
    expect(await activeLoginLocks(app)).toHaveLength(1);
  });
});
