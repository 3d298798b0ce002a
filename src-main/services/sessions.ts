import { randomBytes } from 'node:crypto';
import type { Principal, StaffRole } from '../contract/roles';
import type { Clock } from './clock';

export interface Session {
  id: string;
  principal: Principal;
  seenMs: number;
  customerSeenMs: number;
  staffSeenMs: number;
}

export interface SessionTimeouts {
  customerMinutes: number;
  staffMinutes: number;
}

/**
 * Sessions live in the main process only; a window or a browser holds just an opaque id.
 * Idle customer and staff logins end separately (5 and 15 minutes by default), and a
 * password change ends every session of that account.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly clock: Clock) {}

  /** A new session with an unguessable id (the web-mode cookie, or one per Electron window). */
  create(): Session {
    const now = this.clock.nowMs();
    this.pruneIdle(now);
    const session: Session = { id: randomBytes(24).toString('base64url'), principal: {}, seenMs: now, customerSeenMs: now, staffSeenMs: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session for this id, with expired logins already removed; undefined if never issued. */
  find(id: string, timeouts: SessionTimeouts): Session | undefined {
    const now = this.clock.nowMs();
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.principal.customer && now - session.customerSeenMs > timeouts.customerMinutes * 60_000) {
      delete session.principal.customer;
    }
    if (session.principal.staff && now - session.staffSeenMs > timeouts.staffMinutes * 60_000) {
      delete session.principal.staff;
    }
    session.seenMs = now;
    if (session.principal.customer) session.customerSeenMs = now;
    if (session.principal.staff) session.staffSeenMs = now;
    return session;
  }

  loginCustomer(session: Session, accountId: string): void {
    this.rotate(session);
    session.principal.customer = { accountId };
    session.customerSeenMs = this.clock.nowMs();
  }

  loginStaff(session: Session, staffId: string, role: StaffRole, mustChangePassword: boolean): void {
    this.rotate(session);
    session.principal.staff = { staffId, role, mustChangePassword };
    session.staffSeenMs = this.clock.nowMs();
  }

  logoutCustomer(session: Session): void {
    delete session.principal.customer;
  }

  logoutStaff(session: Session): void {
    delete session.principal.staff;
  }

  /** Ends every customer session of the account except `keep` (the one that changed it). */
  endCustomerSessions(accountId: string, keep?: string): number {
    let ended = 0;
    for (const session of this.sessions.values()) {
      if (session.id !== keep && session.principal.customer?.accountId === accountId) {
        delete session.principal.customer;
        ended += 1;
      }
    }
    return ended;
  }

  drop(id: string): void {
    this.sessions.delete(id);
  }

  /**
   * A login gets a new token and the old one stops working (ASVS 5.0 V7.2.4): an id seen or
   * planted before the login (a shared kiosk browser, a fixed cookie) is worth nothing after it.
   * The transport that holds the id (the web-mode cookie) sends the new one with the answer.
   */
  private rotate(session: Session): void {
    this.sessions.delete(session.id);
    session.id = randomBytes(24).toString('base64url');
    this.sessions.set(session.id, session);
  }

  /** Browsers that came once and left: forget anonymous sessions idle for a day. */
  private pruneIdle(now: number): void {
    if (this.sessions.size < 1000) return;
    for (const [id, session] of this.sessions) {
      if (!session.principal.customer && !session.principal.staff && now - session.seenMs > 24 * 60 * 60_000) this.sessions.delete(id);
    }
  }
}
