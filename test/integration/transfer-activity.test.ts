// A download or upload renews only the login its ticket belongs to (registry activityOf): a
// clerk exporting accounts at the counter PC keeps no customer's マイページ open, as a call
// does not (sessions.test.ts 'renews only the login a call belongs to').
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src-main/app/demo-data';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { startHttpApp, type HttpApp, type Visitor } from './support/http-app';
import { manualClock, type ManualClock } from './support/test-app';

const MINUTE = 60_000;
const ADMIN_PASSWORD = 'Harbor-Lantern-7-quiet';

let dir: TempDir;
let web: HttpApp;
let clock: ManualClock;

beforeAll(async () => {
  dir = await makeTempDir();
  clock = manualClock(Date.parse('2026-12-07T09:00:00.000Z'));
  web = await startHttpApp(dir.path, { clock });
});

afterAll(async () => {
  await web?.close();
  await dir?.remove();
});

const ok = async <T>(v: Visitor, name: string, body: unknown): Promise<T> => {
  const { result } = await v.call(name, body);
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
  return result.value as T;
};

describe('a staff download at a counter PC that also holds a customer login', () => {
  it('keeps the clerk logged in, not the customer (5 minutes idle ends マイページ)', async () => {
    const v = await web.visitor();
    await ok(v, 'account.login', { jsaId: '12345678901', password: DEMO_PASSWORD });
    const first = web.app.firstAdmin!.password;
    await ok(v, 'staff.login', { username: 'admin', password: first });
    await ok(v, 'staff.changePassword', { current: first, next: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD });
    for (let i = 0; i < 3; i += 1) {
      clock.advance(2 * MINUTE);
      const begun = await ok<{ ticket: string }>(v, 'accounts.export.begin', { encoding: 'utf-8', personalDataConfirmed: true });
      const res = await fetch(`${web.base}/api/download/${begun.ticket}`, { headers: { Cookie: v.cookie } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    // 6 minutes of the clerk's work: the customer did nothing in that time.
    expect(await ok(v, 'account.me', {})).toEqual({ loggedIn: false });
    expect((await v.call('staff.me', {})).result.ok).toBe(true);
  });
});
