// SessionRegistry against ASVS 5.0 V7: 192-bit random ids (7.2.3), a new id on login (7.2.4),
// idle timeouts of 5 min for customers and 15 min for staff (7.3.1), logout (7.4.1) and the
// end of other sessions after a password change (7.4.3).
import { describe, expect, it } from 'vitest';
import { activityOf } from '../../../src-main/contract/registry';
import { ANONYMOUS_CAP, ANONYMOUS_IDLE_MS, SessionRegistry, sessionTimeouts } from '../../../src-main/services/sessions';
import { defaultRuntimeSettings } from '../../../src-main/domain/runtime-settings';

const timeouts = { customerMinutes: 5, staffMinutes: 15 };

function registry() {
  let now = 1_800_000_000_000;
  const clock = { nowMs: () => now };
  return { sessions: new SessionRegistry(clock), advance: (ms: number) => (now += ms) };
}

describe('SessionRegistry', () => {
  it('hands out unguessable ids: 24 random bytes, base64url, all different', () => {
    const { sessions } = registry();
    const ids = new Set(Array.from({ length: 1000 }, () => sessions.create().id));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('gives a session a new id at customer and at staff login; the old id finds nothing', () => {
    const { sessions } = registry();
    const session = sessions.create();
    const anonymousId = session.id;
    sessions.loginCustomer(session, 'account-1');
    expect(session.id).not.toBe(anonymousId);
    expect(sessions.find(anonymousId, timeouts)).toBeUndefined();
    expect(sessions.find(session.id, timeouts)?.principal.customer).toEqual({ accountId: 'account-1' });
    const customerId = session.id;
    sessions.loginStaff(session, 'staff-1', 'agent', false);
    expect(session.id).not.toBe(customerId);
    expect(sessions.find(customerId, timeouts)).toBeUndefined();
  });

  it('ends an idle customer login after 5 minutes and an idle staff login after 15, keeping the session', () => {
    const { sessions, advance } = registry();
    const session = sessions.create();
    sessions.loginCustomer(session, 'account-1');
    advance(5 * 60_000 - 1);
    expect(sessions.find(session.id, timeouts)?.principal.customer).toBeDefined(); // activity renews it
    advance(5 * 60_000 + 1);
    expect(sessions.find(session.id, timeouts)?.principal.customer).toBeUndefined();

    sessions.loginStaff(session, 'staff-1', 'admin', false);
    advance(15 * 60_000 + 1);
    expect(sessions.find(session.id, timeouts)?.principal.staff).toBeUndefined();
  });

  it('renews only the login a call belongs to: a customer busy at the kiosk keeps no clerk logged in, nor the reverse', () => {
    // Found by the customer probe: a clerk who typed /staff at the counter PC and went back to
    // the kiosk without logging out stayed logged in as long as customers used that browser,
    // so the next person to open /staff had the clerk's tools (and a clerk kept a customer's
    // マイページ open for the next customer).
    const { sessions, advance } = registry();
    const session = sessions.create();
    sessions.loginStaff(session, 'staff-1', 'admin', false);
    sessions.loginCustomer(session, 'account-1');
    const id = session.id;
    for (let minute = 0; minute < 16; minute += 1) {
      advance(60_000);
      sessions.find(id, timeouts, activityOf('mypage.profile'));
    }
    expect(sessions.find(id, timeouts, activityOf('mypage.profile'))?.principal).toEqual({ customer: { accountId: 'account-1' } });

    sessions.loginStaff(session, 'staff-1', 'admin', false);
    for (let minute = 0; minute < 6; minute += 1) {
      advance(60_000);
      sessions.find(session.id, timeouts, activityOf('staff.accounts.search'));
    }
    expect(sessions.find(session.id, timeouts, activityOf('staff.accounts.search'))?.principal).toEqual({ staff: { staffId: 'staff-1', role: 'admin', mustChangePassword: false } });
    // A public call at the kiosk is the customer's act, a screen's own poll nobody's.
    expect([activityOf('reset.request'), activityOf('account.me'), activityOf('app.info'), activityOf('sync.status'), activityOf('no.such.call')]).toEqual(['customer', 'customer', 'none', 'none', 'none']);
  });

  it('logs out, and ends the other logins of an account after its password changed', () => {
    const { sessions } = registry();
    const here = sessions.create();
    const there = sessions.create();
    sessions.loginCustomer(here, 'account-1');
    sessions.loginCustomer(there, 'account-1');
    expect(sessions.endCustomerSessions('account-1', here.id)).toBe(1);
    expect(sessions.find(there.id, timeouts)?.principal.customer).toBeUndefined();
    expect(sessions.find(here.id, timeouts)?.principal.customer).toBeDefined();
    sessions.logoutCustomer(here);
    expect(sessions.find(here.id, timeouts)?.principal.customer).toBeUndefined();
  });

  it('ends a customer login 8 hours after it began and a staff login after 12, however busy (ASVS 7.3.2)', () => {
    const { sessions, advance } = registry();
    const customer = sessions.create();
    const staff = sessions.create();
    sessions.loginCustomer(customer, 'account-1');
    sessions.loginStaff(staff, 'staff-1', 'agent', false);
    const lifetimes = sessionTimeouts(defaultRuntimeSettings);
    expect(lifetimes).toMatchObject({ customerMaxHours: 8, staffMaxHours: 12 });
    // Activity every 4 minutes keeps both idle timers fresh all day.
    let minutes = 0;
    while (minutes + 4 < 8 * 60) {
      advance(4 * 60_000);
      minutes += 4;
      expect(sessions.find(customer.id, lifetimes)?.principal.customer, `${minutes} min`).toBeDefined();
      expect(sessions.find(staff.id, lifetimes)?.principal.staff, `${minutes} min`).toBeDefined();
    }
    advance((8 * 60 - minutes) * 60_000 + 1);
    expect(sessions.find(customer.id, lifetimes)?.principal.customer).toBeUndefined();
    minutes = 8 * 60;
    while (minutes + 4 < 12 * 60) {
      advance(4 * 60_000);
      minutes += 4;
      expect(sessions.find(staff.id, lifetimes)?.principal.staff, `${minutes} min`).toBeDefined();
    }
    advance((12 * 60 - minutes) * 60_000 + 1);
    expect(sessions.find(staff.id, lifetimes)?.principal.staff).toBeUndefined();
  });

  it('takes the absolute lifetime from the settings: 1 hour ends a busy customer login after an hour', () => {
    const { sessions, advance } = registry();
    const session = sessions.create();
    sessions.loginCustomer(session, 'account-1');
    const lifetimes = sessionTimeouts({ ...defaultRuntimeSettings, customerSessionMaxHours: 1 });
    for (let i = 0; i < 14; i += 1) {
      advance(4 * 60_000);
      expect(sessions.find(session.id, lifetimes)?.principal.customer).toBeDefined();
    }
    advance(4 * 60_000 + 1);
    expect(sessions.find(session.id, lifetimes)?.principal.customer).toBeUndefined();
  });

  it('opens a session from a page pass only at the first call, once, and never from a forged or old pass', () => {
    const { sessions, advance } = registry();
    const pass = sessions.issuePass();
    expect(sessions.counts().total).toBe(0);
    expect(sessions.accepts(pass)).toBe(true);
    const opened = sessions.resume(pass, timeouts);
    expect(opened?.id).toBe(pass);
    expect(sessions.resume(pass, timeouts)).toBe(opened);
    expect(sessions.counts().total).toBe(1);
    const forged = pass.slice(0, -1) + (pass.endsWith('A') ? 'B' : 'A');
    expect(sessions.resume(forged, timeouts)).toBeUndefined();
    expect(sessions.resume(new SessionRegistry({ nowMs: () => 0 }).issuePass(), timeouts)).toBeUndefined();
    // Logged in: the pass is rotated away and opens nothing again.
    sessions.loginCustomer(opened!, 'account-1');
    expect(sessions.resume(pass, timeouts)).toBeUndefined();
    // An unused pass expires after an hour.
    const late = sessions.issuePass();
    advance(60 * 60_000 + 1);
    expect(sessions.resume(late, timeouts)).toBeUndefined();
  });

  it('forgets an anonymous session idle for 30 minutes; its pass does not bring it back', () => {
    const { sessions, advance } = registry();
    const pass = sessions.issuePass();
    sessions.resume(pass, timeouts);
    advance(ANONYMOUS_IDLE_MS + 1);
    expect(sessions.find(pass, timeouts)).toBeUndefined();
    expect(sessions.resume(pass, timeouts)).toBeUndefined();
    expect(sessions.counts().total).toBe(0);
  });

  it('keeps at most 1,000 anonymous sessions, dropping the least recently seen; logins are never dropped for it', () => {
    const { sessions, advance } = registry();
    const loggedIn = sessions.create();
    sessions.loginStaff(loggedIn, 'staff-1', 'admin', false);
    const first = sessions.create();
    advance(1);
    const all = Array.from({ length: ANONYMOUS_CAP + 200 }, () => {
      advance(1);
      return sessions.create();
    });
    const counts = sessions.counts();
    expect(counts.anonymous).toBe(ANONYMOUS_CAP);
    expect(counts.total).toBe(ANONYMOUS_CAP + 1);
    expect(sessions.find(first.id, timeouts)).toBeUndefined();
    expect(sessions.find(all.at(-1)!.id, timeouts)).toBeDefined();
    expect(sessions.find(loggedIn.id, timeouts)?.principal.staff).toBeDefined();
  });

  it('forgets a login idled out as an anonymous session, without its id ever coming back', () => {
    const { sessions, advance } = registry();
    const customer = sessions.resume(sessions.issuePass(), timeouts)!;
    sessions.loginCustomer(customer, 'account-1');
    const staff = sessions.create();
    sessions.loginStaff(staff, 'staff-1', 'agent', false);
    // Both logins run out (5 and 15 minutes), then the sessions sit as long as an anonymous one may.
    advance(15 * 60_000 + ANONYMOUS_IDLE_MS + 1);
    sessions.create();
    expect(sessions.counts()).toEqual({ total: 1, anonymous: 1 });
    expect(sessions.find(customer.id, timeouts)).toBeUndefined();
    expect(sessions.find(staff.id, timeouts)).toBeUndefined();
  });

  it('counts logins past their idle time among the 1,000 anonymous sessions, the oldest going first', () => {
    const { sessions, advance } = registry();
    sessions.find('none', timeouts);
    const idled = Array.from({ length: 10 }, () => {
      const session = sessions.create();
      sessions.loginStaff(session, 'staff-1', 'agent', false);
      return session;
    });
    advance(15 * 60_000 + 1);
    for (let i = 0; i < ANONYMOUS_CAP; i += 1) {
      advance(1);
      sessions.create();
    }
    expect(sessions.counts()).toEqual({ total: ANONYMOUS_CAP, anonymous: ANONYMOUS_CAP });
    for (const session of idled) expect(sessions.find(session.id, timeouts)).toBeUndefined();
  });

  it('lists a staff user’s logins without counting the look as activity, and ends one or all (ASVS 7.4.5)', () => {
    const { sessions, advance } = registry();
    const a = sessions.create();
    const b = sessions.create();
    sessions.loginStaff(a, 'staff-1', 'agent', false);
    advance(10 * 60_000);
    sessions.loginStaff(b, 'staff-1', 'agent', false);
    const other = sessions.create();
    sessions.loginStaff(other, 'staff-2', 'agent', false);
    advance(4 * 60_000);
    const listed = sessions.staffSessions('staff-1', timeouts);
    expect(listed.map((s) => s.ref)).toEqual([a.ref, b.ref]);
    expect(listed.map((s) => s.ref)).not.toContain(a.id);
    advance(60_000 + 1);
    // The listing did not renew the first login: idle 15 min, it is over.
    expect(sessions.staffSessions('staff-1', timeouts).map((s) => s.ref)).toEqual([b.ref]);
    expect(sessions.endStaffSessions('staff-1', b.ref)).toBe(1);
    expect(sessions.find(b.id, timeouts)?.principal.staff).toBeUndefined();
    sessions.loginStaff(a, 'staff-1', 'agent', false);
    expect(sessions.endStaffSessions('staff-1')).toBe(1);
    expect(sessions.find(other.id, timeouts)?.principal.staff).toBeDefined();
  });
});
