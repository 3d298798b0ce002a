import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { contract, callNames } from '../../../src-main/contract/registry';
import { createStaffAuthService } from '../../../src-main/services/staff-auth-service';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { manualClock, startTestApp, type ManualClock } from '../support/test-app';
import { ADMIN_PASSWORD, readyAdmin, readyStaff, staffClient, STAFF_PASSWORD } from './staff-support';
import { createSecretCheck } from '../../../src-main/services/secret-check';

let dir: TempDir;
let app: App;
let clock: ManualClock;

beforeEach(async () => {
  dir = await makeTempDir();
  clock = manualClock();
  app = await startTestApp({ dataDir: dir.path, clock, startMailWorker: false });
});
afterEach(async () => {
  await app.close();
  await dir.remove();
});

describe('staff accounts and roles', () => {
  it('creates admin on the first start only, with a one-time password that must be changed first', async () => {
    expect(app.firstAdmin?.username).toBe('admin');
    expect(app.firstAdmin?.password).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){4}$/);
    const admin = staffClient(app);
    const me = await admin.ok('staff.login', { username: 'ADMIN', password: app.firstAdmin!.password });
    expect(me).toMatchObject({ username: 'admin', role: 'admin', mustChangePassword: true });
    expect(await admin.fails('staff.accounts.search', { query: 'tanaka' })).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(await admin.fails('staff.changePassword', { current: app.firstAdmin!.password, next: 'password', confirm: 'password' })).toBe('PASSWORD_POLICY');
    await admin.ok('staff.changePassword', { current: app.firstAdmin!.password, next: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD });
    expect((await admin.ok('staff.me', {})).mustChangePassword).toBe(false);
    await admin.ok('staff.accounts.search', { query: 'tanaka' });

    // A second start of the same store creates nobody and prints nothing.
    await app.close();
    app = await startTestApp({ dataDir: dir.path, clock, startMailWorker: false });
    expect(app.firstAdmin).toBeUndefined();
    const again = staffClient(app);
    await again.ok('staff.login', { username: 'admin', password: ADMIN_PASSWORD });
  });

  it('lets an admin create an agent, who logs in, must change the password, and is refused admin calls', async () => {
    const admin = await readyAdmin(app);
    const agent = await readyStaff(app, admin, 'agent', 'yamada');
    expect((await agent.ok('staff.me', {})).role).toBe('agent');
    expect(await agent.fails('staff.users.list', {})).toBe('FORBIDDEN');
    const list = await admin.ok('staff.users.list', {});
    expect(list.items.map((u) => u.username).sort()).toEqual(['admin', 'yamada']);
    expect(await admin.fails('staff.users.create', { username: 'Yamada', displayName: 'x', role: 'agent' })).toBe('CONFLICT');
  });

  it('refuses an anonymous session every staff call except staff.login', async () => {
    const anonymous = staffClient(app);
    const staffNames = callNames.filter((n) => n.startsWith('staff.') && n !== 'staff.login');
    expect(staffNames.length).toBeGreaterThan(20);
    for (const name of staffNames) {
      expect(contract[name].role, name).not.toBe('public');
      const result = await app.dispatch(name, {}, { session: anonymous.session, transport: 'http', actor: 'kiosk' });
      expect(result.ok ? 'ok' : result.error.code, name).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses an agent every supervisor and admin call, at the contract', async () => {
    const admin = await readyAdmin(app);
    const agent = await readyStaff(app, admin, 'agent');
    const supervisor = await readyStaff(app, admin, 'supervisor');
    const above = callNames.filter((n) => contract[n].role === 'supervisor' || contract[n].role === 'admin');
    expect(above).toEqual(expect.arrayContaining(['staff.locks.lift', 'staff.audit.list', 'staff.outbox.retry', 'staff.outbox.resolveUnknown', 'staff.settings.update']));
    for (const name of above) {
      const result = await app.dispatch(name, {}, { session: agent.session, transport: 'http', actor: 'staff:x' });
      expect(result.ok ? 'ok' : result.error.code, name).toBe('FORBIDDEN');
    }
    // A supervisor may make the supervisor calls (input errors aside) but not the admin ones.
    const audit = await supervisor.call('staff.audit.list', {});
    expect(audit.ok).toBe(true);
    expect(await supervisor.fails('staff.settings.get', {})).toBe('FORBIDDEN');
  });

  it('ends a staff session after 15 idle minutes, and logs out', async () => {
    const admin = await readyAdmin(app);
    const timeouts = { customerMinutes: 5, staffMinutes: 15 };
    clock.advance(14 * 60_000);
    expect(app.sessions.find(admin.session.id, timeouts)?.principal.staff).toBeDefined();
    await admin.ok('staff.me', {});
    clock.advance(16 * 60_000);
    expect(app.sessions.find(admin.session.id, timeouts)?.principal.staff).toBeUndefined();
    expect(await admin.fails('staff.me', {})).toBe('UNAUTHENTICATED');

    const again = await staffClient(app);
    await again.ok('staff.login', { username: 'admin', password: ADMIN_PASSWORD });
    await again.ok('staff.logout', {});
    expect(await again.fails('staff.me', {})).toBe('UNAUTHENTICATED');
  });

  it('never leaves the store without an enabled admin, not even when two admins demote each other at once', async () => {
    const first = await readyAdmin(app);
    const second = await readyStaff(app, first, 'admin', 'admin2');
    const firstId = (await first.ok('staff.me', {})).staffId;
    const secondId = (await second.ok('staff.me', {})).staffId;
    const answers = await Promise.all([
      first.call('staff.users.update', { staffId: secondId, role: 'agent' }),
      second.call('staff.users.update', { staffId: firstId, role: 'agent' }),
    ]);
    expect(answers.map((a) => (a.ok ? 'ok' : a.error.code)).sort()).toEqual(['CONFLICT', 'ok']);
    expect(await app.db('staff_users').where({ role: 'admin' }).whereNull('disabled_at').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('ends a user’s other logins when their password is reset by an admin or changed by themselves', async () => {
    const admin = await readyAdmin(app);
    await readyStaff(app, admin, 'agent', 'sato');
    const desk1 = staffClient(app);
    const desk2 = staffClient(app);
    for (const desk of [desk1, desk2]) await desk.ok('staff.login', { username: 'sato', password: STAFF_PASSWORD });
    const id = (await desk1.ok('staff.me', {})).staffId;
    const { oneTimePassword } = await admin.ok('staff.users.resetPassword', { staffId: id });
    for (const desk of [desk1, desk2]) expect(await desk.fails('staff.dashboard', {})).toBe('UNAUTHENTICATED');

    const next = 'kaede-no-michi-2031-desk';
    const desk3 = staffClient(app);
    const desk4 = staffClient(app);
    await desk3.ok('staff.login', { username: 'sato', password: oneTimePassword });
    await desk4.ok('staff.login', { username: 'sato', password: oneTimePassword });
    await desk3.ok('staff.changePassword', { current: oneTimePassword, next, confirm: next });
    // The desk that changed it goes on; the other login ends.
    expect(await desk3.ok('staff.me', {})).toMatchObject({ username: 'sato', mustChangePassword: false });
    expect(await desk4.fails('staff.dashboard', {})).toBe('UNAUTHENTICATED');
  });

  it('a lock from wrong logins at the login screen refuses new logins but does not log out the user’s desk', async () => {
    const admin = await readyAdmin(app);
    const agent = await readyStaff(app, admin, 'agent', 'suzuki');
    const stranger = staffClient(app);
    let locked = false;
    for (let i = 0; i < 20 && !locked; i += 1) {
      const answer = await stranger.call('staff.login', { username: 'SUZUKI ', password: `wrong-guess-${i}` });
      locked = !answer.ok && answer.error.code === 'LOGIN_LOCKED';
    }
    expect(locked).toBe(true);
    // The clerk helping a customer goes on; the right password no longer opens a new login.
    await agent.ok('staff.dashboard', {});
    expect(await staffClient(app).fails('staff.login', { username: 'suzuki', password: STAFF_PASSWORD })).toBe('LOGIN_LOCKED');
  });

  it('a name locked by wrong logins before its user existed, or while the user was disabled, does not lock the user it then names', async () => {
    const admin = await readyAdmin(app);
    const lockName = async (username: string) => {
      const stranger = staffClient(app);
      let answer = '';
      for (let i = 0; i < 20 && answer !== 'LOGIN_LOCKED'; i += 1) answer = await stranger.fails('staff.login', { username, password: `wrong-guess-${i}` });
      expect(answer).toBe('LOGIN_LOCKED');
    };
    // Guesses at a name nobody had were compared with no password: the new user starts without them.
    await lockName('newhire');
    const { user, oneTimePassword } = await admin.ok('staff.users.create', { username: 'newhire', displayName: '新人', role: 'agent' });
    expect(user.locked).toBe(false);
    await staffClient(app).ok('staff.login', { username: 'newhire', password: oneTimePassword });

    // The same for guesses while the user was disabled (answered like an unknown name).
    const away = await readyStaff(app, admin, 'agent', 'away');
    const awayId = (await away.ok('staff.me', {})).staffId;
    await admin.ok('staff.users.update', { staffId: awayId, disabled: true });
    await lockName('away');
    expect((await admin.ok('staff.users.update', { staffId: awayId, disabled: false })).user.locked).toBe(false);
    await staffClient(app).ok('staff.login', { username: 'away', password: STAFF_PASSWORD });
  });

  it('ends a login whose password was reset from the command line (another process) at its next call', async () => {
    const admin = await readyAdmin(app);
    const other = await readyStaff(app, admin, 'admin', 'yamada');
    const id = (await other.ok('staff.me', {})).staffId;
    // What `npm run staff:reset-password -- yamada` does in its own process: the running counter's sessions are out of its reach.
    await app.staff.auth.resetUserPassword('cli', id);
    expect(await other.fails('ops.setup.get', {})).toBe('SESSION_EXPIRED');
    expect(await other.fails('staff.me', {})).toBe('UNAUTHENTICATED');
    // Other users' logins go on.
    await admin.ok('staff.users.list', {});
  });

  it('logs out a disabled user at the next call', async () => {
    const admin = await readyAdmin(app);
    const agent = await readyStaff(app, admin, 'agent');
    const me = await agent.ok('staff.me', {});
    await admin.ok('staff.users.update', { staffId: me.staffId, disabled: true });
    expect(await agent.fails('staff.dashboard', {})).toBe('SESSION_EXPIRED');
    expect(await agent.fails('staff.me', {})).toBe('UNAUTHENTICATED');
  });

  it('refuses a disabled or demoted admin’s open login every staff call, the ops, sync and app ones too', async () => {
    const admin = await readyAdmin(app);
    const leaving = await readyStaff(app, admin, 'admin', 'leaving');
    const demoted = await readyStaff(app, admin, 'admin', 'demoted');
    const leavingId = (await leaving.ok('staff.me', {})).staffId;
    const demotedId = (await demoted.ok('staff.me', {})).staffId;
    // Calls a staff role makes with no input: past dispatch's checks, only the staff row can refuse them.
    const staffCalls = callNames.filter((n) => n !== 'staff.logout' && !['public', 'customer'].includes(contract[n].role) && contract[n].input.safeParse({}).success);
    expect(staffCalls).toEqual(expect.arrayContaining(['ops.backupNow', 'ops.purgeNow', 'ops.setup.get', 'sync.status', 'app.exitKiosk', 'audit.fleet.streams']));
    // One open login per call, as the user had it (admin) before the change.
    const logins = (staffId: string) =>
      staffCalls.map((name) => {
        const desk = staffClient(app);
        app.sessions.loginStaff(desk.session, staffId, 'admin', false);
        return { name, desk };
      });
    const leavingDesks = logins(leavingId);
    const demotedDesks = logins(demotedId);
    await admin.ok('staff.users.update', { staffId: leavingId, disabled: true });
    await admin.ok('staff.users.update', { staffId: demotedId, role: 'agent' });
    const backupsBefore = app.backups.list().length;
    for (const { name, desk } of [...leavingDesks, ...demotedDesks]) expect(`${name}: ${await desk.fails(name, {} as never)}`).toBe(`${name}: SESSION_EXPIRED`);
    expect(app.backups.list()).toHaveLength(backupsBefore);
  });

  it('slows wrong passwords down and locks the login after 10, until an admin unlocks it', async () => {
    const admin = await readyAdmin(app);
    const agent = await readyStaff(app, admin, 'agent', 'suzuki');
    const agentId = (await agent.ok('staff.me', {})).staffId;
    const slept: number[] = [];
    const auth = createStaffAuthService({ db: app.db, clock, hasher: app.hasher, settings: app.settings, secretCheck: createSecretCheck({ sleep: async (ms) => void slept.push(ms) }) });
    const codes: string[] = [];
    for (let i = 0; i < 10; i += 1) codes.push(await auth.login('suzuki', 'wrong-password').then(() => 'ok', (e: { code: string }) => e.code));
    expect(codes.slice(0, 9).every((c) => c === 'LOGIN_FAILED')).toBe(true);
    expect(codes[9]).toBe('LOGIN_LOCKED');
    expect(slept).toEqual([0, 250, 500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]);
    // Locked: the right password does not help either.
    await expect(auth.login('suzuki', STAFF_PASSWORD)).rejects.toMatchObject({ code: 'LOGIN_LOCKED' });
    await admin.ok('staff.users.update', { staffId: agentId, unlock: true });
    await expect(auth.login('suzuki', STAFF_PASSWORD)).resolves.toMatchObject({ username: 'suzuki' });
    const actions = (await app.db('audit_log').select('action')).map((r: { action: string }) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['staff.login-failed', 'staff.locked', 'staff.updated']));
  });
});

describe('one-time passwords expire', () => {
  it('refuses a right one-time password after 72 hours in words, shows it in スタッフ管理, audits it, and a new one works', async () => {
    const admin = await readyAdmin(app);
    const { user, oneTimePassword } = await admin.ok('staff.users.create', { username: 'kondo', displayName: '近藤', role: 'agent' });
    clock.advance(72 * 60 * 60_000 - 60_000);
    const early = staffClient(app);
    expect((await early.ok('staff.login', { username: 'kondo', password: oneTimePassword })).mustChangePassword).toBe(true);
    await early.ok('staff.logout', {});

    clock.advance(60_000);
    const late = staffClient(app);
    const refused = await late.call('staff.login', { username: 'kondo', password: oneTimePassword });
    expect(refused).toEqual({ ok: false, error: { code: 'LOGIN_FAILED', params: { reason: 'one-time-password-expired', hours: 72 } } });
    expect(late.session.principal.staff).toBeUndefined();
    // A wrong password, or a name nobody has, gets the plain answer: the expiry tells nothing to a stranger.
    expect(await late.call('staff.login', { username: 'kondo', password: 'not-the-password' })).toEqual({ ok: false, error: { code: 'LOGIN_FAILED' } });
    expect(await late.call('staff.login', { username: 'nobody', password: oneTimePassword })).toEqual({ ok: false, error: { code: 'LOGIN_FAILED' } });
    const listed = (await admin.ok('staff.users.list', {})).items.find((u) => u.staffId === user.staffId);
    expect(listed).toMatchObject({ mustChangePassword: true, oneTimePasswordExpired: true });
    const audit = await app.db('audit_log').where({ action: 'staff.one-time-password-expired' }).select('actor', 'subject');
    expect(audit).toEqual([{ actor: `staff:${user.staffId}`, subject: `staff:${user.staffId}` }]);

    // A reset starts a new lifetime from its own moment.
    const renewed = await admin.ok('staff.users.resetPassword', { staffId: user.staffId });
    expect((await admin.ok('staff.users.list', {})).items.find((u) => u.staffId === user.staffId)?.oneTimePasswordExpired).toBe(false);
    clock.advance(71 * 60 * 60_000);
    await late.ok('staff.login', { username: 'kondo', password: renewed.oneTimePassword });
    await late.ok('staff.changePassword', { current: renewed.oneTimePassword, next: STAFF_PASSWORD, confirm: STAFF_PASSWORD });
    clock.advance(72 * 60 * 60_000);
    expect((await admin.ok('staff.users.list', {})).items.find((u) => u.staffId === user.staffId)?.oneTimePasswordExpired).toBe(false);
  });

  it('asks for a password left empty, at ログイン and at パスワード変更, and spends none of the tries on it', async () => {
    const admin = await readyAdmin(app);
    // A clerk pressing Enter before typing the password: twelve times, more than the lock allows.
    const hurried = staffClient(app);
    for (let i = 0; i < 12; i += 1) {
      expect(await hurried.call('staff.login', { username: 'admin', password: '' })).toEqual({ ok: false, error: { code: 'INVALID_INPUT', fields: [{ field: 'password', code: 'required' }] } });
    }
    expect(await app.db('audit_log').where({ action: 'staff.login-failed' }).count({ n: '*' }).first()).toEqual({ n: 0 });
    await hurried.ok('staff.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(await admin.call('staff.changePassword', { current: '', next: STAFF_PASSWORD, confirm: STAFF_PASSWORD })).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: [{ field: 'current', code: 'required' }] },
    });
  });

  it('leaves the first-start admin’s printed password without an expiry: no other admin could issue one', async () => {
    clock.advance(30 * 24 * 60 * 60_000);
    await staffClient(app).ok('staff.login', { username: 'admin', password: app.firstAdmin!.password });
  });
});
