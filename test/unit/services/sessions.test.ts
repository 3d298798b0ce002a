// SessionRegistry against ASVS 5.0 V7: 192-bit random ids (7.2.3), a new id on login (7.2.4),
// idle timeouts of 5 min for customers and 15 min for staff (7.3.1), logout (7.4.1) and the
// end of other sessions after a password change (7.4.3).
import { describe, expect, it } from 'vitest';
import { SessionRegistry } from '../../../src-main/services/sessions';

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
});
