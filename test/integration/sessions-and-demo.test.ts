// Issue 13's ASVS rows over the HTTP transport: an absolute login lifetime, settable (7.3.2);
// admins list a staff user's logins and end them (7.4.5); demo accounts only on a standalone
// non-kiosk first start, marked, shown and removable (6.3.2). And issue 16 §7: no CLI command
// makes (or prints) the first admin; the app's first start does.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src-main/app/config';
import { createApp, type App } from '../../src-main/app/create-app';
import { DEMO_PASSWORD } from '../../src-main/app/demo-data';
import { importAccountsCsv } from '../../src-main/services/account-import';
import { createHttpTransport } from '../../src-main/transport/http';
import { runCli } from '../support/cli-bundle';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { manualClock, TEST_SCRYPT, type ManualClock } from './support/test-app';

const ADMIN_PASSWORD = 'kiri-no-naka-no-tokei-2026';
const AGENT_PASSWORD = 'madoguchi-no-hikari-2026';

interface Web {
  app: App;
  base: string;
  close(): Promise<void>;
}

const opened: Web[] = [];
const dirs: TempDir[] = [];
afterEach(async () => {
  for (const web of opened.splice(0)) await web.close();
  for (const dir of dirs.splice(0)) await dir.remove();
});

async function dataDir(): Promise<string> {
  const dir = await makeTempDir('webdesk-sessions-demo-');
  dirs.push(dir);
  return join(dir.path, 'data');
}

/** The app as web mode starts it (first start on), behind the real HTTP transport. */
async function startWeb(data: string, env: Record<string, string> = {}, clock?: ManualClock, firstStart = true): Promise<Web> {
  const staticDir = join(data, '..', 'renderer');
  await mkdir(staticDir, { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  const app = await createApp(loadConfig({ WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent', ...env }), {
    defaultLinkBase: 'web',
    scrypt: { ...TEST_SCRYPT },
    startMailWorker: false,
    startSync: false,
    firstStart,
    clock,
  });
  const http = createHttpTransport({ dispatch: app.dispatch, sessions: app.sessions, timeouts: async () => {
      const s = await app.settings.get();
      return { customerMinutes: s.customerSessionMinutes, staffMinutes: s.staffSessionMinutes, customerMaxHours: s.customerSessionMaxHours, staffMaxHours: s.staffSessionMaxHours };
    }, staticDir, getRoutes: { '/health': () => app.publicHealth() } });
  const base = `http://127.0.0.1:${await http.listen(0)}`;
  const web = {
    app,
    base,
    close: async () => {
      await http.close();
      await app.close();
    },
  };
  opened.push(web);
  return web;
}

/** One browser: a cookie jar of one cookie, as the page and the answers set it. */
function browser(web: Web) {
  let cookie = '';
  return {
    get cookie() {
      return cookie;
    },
    async open() {
      const res = await fetch(`${web.base}/`);
      cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    },
    // The answers of many calls, read field by field; each assertion states the shape it expects.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async call(name: string, body: unknown = {}): Promise<{ status: number; ok: boolean; value?: any; error?: { code: string } }> {
      const res = await fetch(`${web.base}/api/call/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Webdesk-Request': '1', Origin: web.base, Cookie: cookie },
        body: JSON.stringify(body),
      });
      const next = res.headers.get('set-cookie');
      if (next) cookie = next.split(';')[0]!;
      return { status: res.status, ...((await res.json()) as { ok: boolean }) };
    },
  };
}

async function adminBrowser(web: Web) {
  const first = web.app.firstAdmin!;
  const b = browser(web);
  await b.open();
  expect((await b.call('staff.login', { username: first.username, password: first.password })).ok).toBe(true);
  expect((await b.call('staff.changePassword', { current: first.password, next: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD })).ok).toBe(true);
  return b;
}

describe('absolute login lifetime (ASVS 7.3.2)', () => {
  it('ends a busy customer login after 8 hours, and after the hours an admin sets', async () => {
    const clock = manualClock();
    const web = await startWeb(await dataDir(), {}, clock);
    const customer = browser(web);
    await customer.open();
    expect((await customer.call('account.login', { jsaId: '12345678901', password: DEMO_PASSWORD })).ok).toBe(true);
    // A call every 4 minutes: the 5-minute idle timeout never fires.
    for (let minutes = 4; minutes < 8 * 60; minutes += 4) {
      clock.advance(4 * 60_000);
      expect((await customer.call('account.me')).value, `${minutes} min`).toMatchObject({ loggedIn: true });
    }
    clock.advance(4 * 60_000 + 1);
    expect((await customer.call('account.me')).value).toEqual({ loggedIn: false });

    const admin = await adminBrowser(web);
    const { settings, revision } = (await admin.call('staff.settings.get')).value;
    expect(settings).toMatchObject({ customerSessionMaxHours: 8, staffSessionMaxHours: 12 });
    expect((await admin.call('staff.settings.update', { settings: { ...settings, customerSessionMaxHours: 1 }, revision })).ok).toBe(true);
    expect((await customer.call('account.login', { jsaId: '12345678901', password: DEMO_PASSWORD })).ok).toBe(true);
    for (let minutes = 4; minutes < 60; minutes += 4) {
      clock.advance(4 * 60_000);
      expect((await customer.call('account.me')).value, `${minutes} min`).toMatchObject({ loggedIn: true });
      expect((await admin.call('staff.me')).ok).toBe(true);
    }
    clock.advance(4 * 60_000 + 1);
    expect((await customer.call('account.me')).value).toEqual({ loggedIn: false });
  });

  it('ends a busy staff login after 12 hours', async () => {
    const clock = manualClock();
    const web = await startWeb(await dataDir(), {}, clock);
    const admin = await adminBrowser(web);
    for (let minutes = 10; minutes < 12 * 60; minutes += 10) {
      clock.advance(10 * 60_000);
      expect((await admin.call('staff.me')).ok, `${minutes} min`).toBe(true);
    }
    clock.advance(10 * 60_000 + 1);
    expect(await admin.call('staff.me')).toMatchObject({ status: 401, ok: false, error: { code: 'UNAUTHENTICATED' } });
  });
});

describe('idle logins (ASVS 7.3.1)', () => {
  it('are not kept alive by the calls a screen makes by itself: 同期 polling every 3 s, the frame’s app.info', async () => {
    const clock = manualClock();
    const web = await startWeb(await dataDir(), {}, clock);
    const admin = await adminBrowser(web);
    const customer = browser(web);
    await customer.open();
    expect((await customer.call('account.login', { jsaId: '12345678901', password: DEMO_PASSWORD })).ok).toBe(true);
    // 15 and 5 minutes (the defaults) of screens polling by themselves, nobody at the desk
    // (every 30 s of the manual clock: how often does not matter, only that nobody acts).
    for (let seconds = 30; seconds <= 15 * 60; seconds += 30) {
      clock.advance(30_000);
      for (const name of ['sync.status', 'sync.conflicts', 'audit.fleet.streams', 'app.info']) expect((await admin.call(name)).ok, `${name} at ${seconds} s`).toBe(true);
      expect((await customer.call('app.info')).ok).toBe(true);
    }
    clock.advance(1);
    expect(await admin.call('staff.me')).toMatchObject({ status: 401, error: { code: 'UNAUTHENTICATED' } });
    expect((await customer.call('account.me')).value).toEqual({ loggedIn: false });
  });

  it('are kept alive by what the person does', async () => {
    const clock = manualClock();
    const web = await startWeb(await dataDir(), {}, clock);
    const admin = await adminBrowser(web);
    for (let minutes = 10; minutes <= 60; minutes += 10) {
      clock.advance(10 * 60_000);
      expect((await admin.call('staff.accounts.search', { query: 'tanaka' })).ok, `${minutes} min`).toBe(true);
    }
    expect((await admin.call('staff.me')).ok).toBe(true);
  });
});

describe('admins end a staff user’s logins (ASVS 7.4.5)', () => {
  it('lists an agent’s two logins, ends one, then all; audited; an agent may not', async () => {
    const web = await startWeb(await dataDir());
    const admin = await adminBrowser(web);
    const created = await admin.call('staff.users.create', { username: 'hanako.k', displayName: '窓口 花子', role: 'agent' });
    const staffId: string = created.value.user.staffId;
    const desk = browser(web);
    const tablet = browser(web);
    for (const b of [desk, tablet]) await b.open();
    expect((await desk.call('staff.login', { username: 'hanako.k', password: created.value.oneTimePassword })).ok).toBe(true);
    expect((await desk.call('staff.changePassword', { current: created.value.oneTimePassword, next: AGENT_PASSWORD, confirm: AGENT_PASSWORD })).ok).toBe(true);
    expect((await tablet.call('staff.login', { username: 'hanako.k', password: AGENT_PASSWORD })).ok).toBe(true);

    const listed = await admin.call('staff.users.sessions', { staffId });
    expect(listed.ok).toBe(true);
    const sessions = listed.value.sessions as Array<{ ref: string; loggedInAt: string; lastSeenAt: string; current: boolean }>;
    expect(sessions).toHaveLength(2);
    for (const s of sessions) {
      expect(s.current).toBe(false);
      expect(s.loggedInAt).toMatch(/Z$/);
      // A handle, never the token the browser holds.
      expect([desk.cookie, tablet.cookie].map((c) => c.split('=')[1])).not.toContain(s.ref);
    }
    const adminId = (await admin.call('staff.me')).value.staffId as string;
    // The admin's own list marks the screen it is looking from.
    expect((await admin.call('staff.users.sessions', { staffId: adminId })).value.sessions).toEqual([
      expect.objectContaining({ current: true }),
    ]);

    // The agent may not see or end anyone's logins.
    expect(await desk.call('staff.users.sessions', { staffId })).toMatchObject({ status: 403, error: { code: 'FORBIDDEN' } });
    expect(await desk.call('staff.users.endSessions', { staffId })).toMatchObject({ status: 403, error: { code: 'FORBIDDEN' } });

    // The tablet logged in second: end that one.
    expect((await admin.call('staff.users.endSessions', { staffId, ref: sessions[1]!.ref })).value).toEqual({ ended: 1 });
    expect(await tablet.call('staff.me')).toMatchObject({ status: 401, error: { code: 'UNAUTHENTICATED' } });
    expect((await desk.call('staff.me')).ok).toBe(true);

    expect((await admin.call('staff.users.endSessions', { staffId })).value).toEqual({ ended: 1 });
    expect(await desk.call('staff.me')).toMatchObject({ status: 401, error: { code: 'UNAUTHENTICATED' } });
    expect((await admin.call('staff.users.sessions', { staffId })).value.sessions).toEqual([]);

    const audit = (await web.app.db('audit_log').where({ action: 'staff.sessions-ended' }).orderBy('seq').select('actor', 'subject', 'detail_json')) as Array<{ actor: string; subject: string; detail_json: string }>;
    expect(audit.map(({ detail_json, ...a }) => ({ ...a, detail: JSON.parse(detail_json) as unknown }))).toEqual([
      { actor: `staff:${adminId}`, subject: `staff:${staffId}`, detail: { username: 'hanako.k', ended: 1, all: false } },
      { actor: `staff:${adminId}`, subject: `staff:${staffId}`, detail: { username: 'hanako.k', ended: 1, all: true } },
    ]);
    expect((await admin.call('staff.users.sessions', { staffId: 'no-such-user' })).error).toEqual({ code: 'NOT_FOUND' });
  });
});

describe('demo accounts (ASVS 6.3.2)', () => {
  it('are made on a standalone first start, marked, shown on /health, the dashboard and 初期設定, and removed by the admin', async () => {
    const data = await dataDir();
    const web = await startWeb(data);
    const health = (await (await fetch(`${web.base}/health`)).json()) as { demoAccounts: number; problems: string[] };
    expect(health.demoAccounts).toBe(3);
    expect(health.problems).toContain('demo-accounts');
    const admin = await adminBrowser(web);
    expect((await admin.call('staff.dashboard', { days: 7 })).value.demoAccounts).toBe(3);
    expect((await admin.call('ops.setup.get')).value.demoAccounts).toBe(3);
    const customer = browser(web);
    await customer.open();
    expect((await customer.call('account.login', { jsaId: '12345678901', password: DEMO_PASSWORD })).ok).toBe(true);

    expect((await admin.call('ops.setup.removeDemoAccounts')).value).toEqual({ removed: 3 });
    expect((await (await fetch(`${web.base}/health`)).json()) as object).toMatchObject({ demoAccounts: 0 });
    expect(((await (await fetch(`${web.base}/health`)).json()) as { problems: string[] }).problems).not.toContain('demo-accounts');
    expect((await admin.call('staff.dashboard', { days: 7 })).value.demoAccounts).toBe(0);
    expect((await admin.call('ops.setup.get')).value.demoAccounts).toBe(0);
    const again = browser(web);
    await again.open();
    expect((await again.call('account.login', { jsaId: '12345678901', password: DEMO_PASSWORD })).error).toEqual({ code: 'LOGIN_FAILED' });
    const audit = (await web.app.db('audit_log').where({ action: 'demo-data.removed' }).select('actor', 'detail_json')) as Array<{ actor: string; detail_json: string }>;
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail_json)).toEqual({ accounts: 3, reason: 'admin' });
    expect(audit[0]!.actor).toMatch(/^staff:/);

    // A later start of the same store does not bring them back.
    await opened.pop()!.close();
    const restarted = await startWeb(data);
    expect((await restarted.app.db('accounts').count<{ n: number }[]>({ n: '*' }))[0]!.n).toBe(0);
    expect(restarted.app.firstAdmin).toBeUndefined();
  });

  it('are not made in kiosk mode; the first admin still is', async () => {
    const web = await startWeb(await dataDir(), { WEBDESK_MODE: 'kiosk' });
    expect(web.app.firstAdmin?.username).toBe('admin');
    expect((await web.app.db('accounts').count<{ n: number }[]>({ n: '*' }))[0]!.n).toBe(0);
    expect(((await (await fetch(`${web.base}/health`)).json()) as { demoAccounts: number }).demoAccounts).toBe(0);
  });

  it('go with the first real import; a file with no good row leaves them', async () => {
    const web = await startWeb(await dataDir());
    const header = 'jsa_id,email,contact_name,company,department,address,phone';
    const bad = await importAccountsCsv(web.app.db, web.app.clock, Buffer.from(`${header}\n1234,x@example.jp,名,社,部,所,0\n`), { actor: 'cli' });
    expect(bad.demoRemoved).toBe(0);
    expect((await web.app.health()).demoAccounts).toBe(3);
    // The file reuses a demo JSA-ID: it arrives as a new account, without the demo password.
    const real = await importAccountsCsv(web.app.db, web.app.clock, Buffer.from(`${header}\n12345678901,real@example.co.jp,本物 太郎,本物商事,総務部,東京都,03-0000-0000\n`), { actor: 'cli' });
    expect(real).toMatchObject({ inserted: 1, updated: 0, demoRemoved: 3 });
    expect((await web.app.health()).demoAccounts).toBe(0);
    const rows = (await web.app.db('accounts').select('jsa_id', 'password_hash')) as Array<{ jsa_id: string; password_hash: string | null }>;
    expect(rows).toEqual([{ jsa_id: '12345678901', password_hash: null }]);
  });

  it('go before the first sync when a central database is configured', async () => {
    const data = await dataDir();
    const standalone = await startWeb(data);
    expect((await standalone.app.health()).demoAccounts).toBe(3);
    await opened.pop()!.close();
    // Nothing listens there; startSync is off, so no connection is tried: only the start-up step runs.
    const synced = await startWeb(data, { WEBDESK_CENTRAL_URL: 'postgres://kiosk@127.0.0.1:9/webdesk' });
    expect((await synced.app.health()).demoAccounts).toBe(0);
    expect((await synced.app.db('accounts').count<{ n: number }[]>({ n: '*' }))[0]!.n).toBe(0);
    expect(await synced.app.db('sync_outbox').count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 0 }]);
  });
});

describe('the first admin comes only from the app’s first start (issue 16 §7)', () => {
  it('is not made or printed by accounts:import, seed or migrate on a fresh data folder; the first start makes it', async () => {
    const data = await dataDir();
    const csv = join(data, '..', 'accounts.csv');
    await writeFile(csv, 'jsa_id,email,contact_name,company,department,address,phone\n41000000001,a@example.co.jp,山田 太郎,テスト,総務部,東京都,03-0000-0000\n');
    const env = { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'info' };
    for (const args of [['import', csv], ['seed', '--accounts', '2'], ['migrate']]) {
      const run = await runCli(args, env);
      expect((await run.exited).code, run.output()).toBe(0);
      expect(run.output()).not.toMatch(/one-time password|ワンタイム|admin/i);
    }
    const log = await readFile(join(data, 'logs', 'main.log'), 'utf8').catch(() => '');
    expect(log).not.toMatch(/one-time password/i);
    const web = await startWeb(data);
    expect(web.app.firstAdmin?.username).toBe('admin');
    // Accounts came first: no demo data on top of real ones.
    expect((await web.app.health()).demoAccounts).toBe(0);
    const staff = (await web.app.db('staff_users').select('username', 'must_change_password')) as Array<{ username: string; must_change_password: number }>;
    expect(staff).toEqual([{ username: 'admin', must_change_password: 1 }]);
  });

  it('is not made by a start without firstStart (tests, CLI), so only the printed one exists', async () => {
    const data = await dataDir();
    const quiet = await startWeb(data, {}, undefined, false);
    expect(quiet.app.firstAdmin).toBeUndefined();
    expect(await quiet.app.db('staff_users').count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('is what the README says', async () => {
    const readme = await readFile(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toMatch(/never by a CLI command/);
  });
});
