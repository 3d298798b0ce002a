import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KioskView } from '../contract/kiosk-calls';
import type { Activity } from '../contract/registry';
import type { Principal, StaffRole } from '../contract/roles';
import type { RuntimeSettings } from '../domain/runtime-settings';
import type { Clock } from './clock';

export interface Session {
  id: string;
  /** A handle that names the session in staff screens and audit entries; not a credential. */
  ref: string;
  principal: Principal;
  seenMs: number;
  customerSeenMs: number;
  staffSeenMs: number;
  /** When the current customer / staff login began: the absolute lifetime counts from here. */
  customerLoginMs: number;
  staffLoginMs: number;
  /** The grant 「確認」 gave this session, so a reload of パスワード登録 keeps it (held-grant.ts). */
  resetGrant?: { grant: string; usedMs: number };
  /** The kiosk screen's look and step, so a reload keeps them (held-view.ts); never a typed value. */
  kioskView?: { view: KioskView; usedMs: number };
}

export interface SessionTimeouts {
  customerMinutes: number;
  staffMinutes: number;
  /** ASVS 5.0 V7.3.2: a login ends this long after it began, however busy (defaults 8 h / 12 h). */
  customerMaxHours?: number;
  staffMaxHours?: number;
}

/** What a staff screen may know about one of a staff user's sessions. */
export interface StaffSessionView {
  ref: string;
  loggedInMs: number;
  seenMs: number;
}

/** The transports read the lifetimes from the run-time settings through this one mapping. */
export function sessionTimeouts(s: RuntimeSettings): SessionTimeouts {
  return {
    customerMinutes: s.customerSessionMinutes,
    staffMinutes: s.staffSessionMinutes,
    customerMaxHours: s.customerSessionMaxHours,
    staffMaxHours: s.staffSessionMaxHours,
  };
}

const DEFAULT_CUSTOMER_MAX_HOURS = 8;
const DEFAULT_STAFF_MAX_HOURS = 12;
/**
 * Anonymous sessions (no login) are cheap to ask for, so they are few and short: a page left
 * idle for 30 minutes, or the oldest of more than 1,000 at once, is forgotten and the page's
 * next call gets a fresh one (the web client fetches a new pass and retries by itself).
 */
export const ANONYMOUS_IDLE_MS = 30 * 60_000;
export const ANONYMOUS_CAP = 1000;
/** A pass from the page is good for this long before its first call; a spent pass never again. */
const PASS_LIFETIME_MS = 60 * 60_000;
/** No login may be idle longer than 120 minutes (settings bounds); anything older is gone. */
const ANY_IDLE_MS = 24 * 60 * 60_000;
/** Spent passes remembered at most; a forgotten one can only ever open an empty session again. */
const SPENT_CAP = 20_000;

const newId = () => randomBytes(24).toString('base64url');

/**
 * Sessions live in the main process only; a window or a browser holds just an opaque id.
 * Idle customer and staff logins end separately (5 and 15 minutes by default), every login
 * ends at an absolute lifetime, and a password change ends every session of that account.
 *
 * Web mode: the page carries a signed pass (no server state); the first call that presents it
 * opens the session under that id. A pass this process never signed, or one already used by a
 * session that logged in (rotated) or ended, opens nothing.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  /** Pass ids that may not open a session again, with when they would have expired anyway. */
  private readonly spent = new Map<string, number>();
  private readonly passKey = randomBytes(32);
  /** The lifetimes the transports last asked with (run-time settings), for prune(). */
  private timeouts: SessionTimeouts | undefined;

  constructor(private readonly clock: Clock) {}

  /** A new session with an unguessable id (one per Electron window, and tests). */
  create(): Session {
    return this.open(newId());
  }

  /** A pass for the page's cookie: `p<issued>.<random>.<mac>`, 192 random bits. */
  issuePass(): string {
    const body = `p${this.clock.nowMs().toString(36)}.${newId()}`;
    return `${body}.${this.mac(body)}`;
  }

  /** True when the id is a live session or a pass that could still open one. */
  accepts(id: string): boolean {
    return this.sessions.has(id) || this.passOpens(id);
  }

  /**
   * The session for this id, with expired logins already removed; undefined if never issued.
   * `activity` (registry activityOf) names the one login whose idle clock the call renews:
   * none for a screen's own poll; left out, both (a look that is not a call, and tests).
   */
  find(id: string, timeouts: SessionTimeouts, activity?: Activity): Session | undefined {
    const now = this.clock.nowMs();
    this.timeouts = timeouts;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (!session.principal.customer && !session.principal.staff && now - session.seenMs > ANONYMOUS_IDLE_MS) {
      this.end(session);
      return undefined;
    }
    this.endExpiredLogins(session, now, timeouts);
    session.seenMs = now;
    if (session.principal.customer && (activity === undefined || activity === 'customer')) session.customerSeenMs = now;
    if (session.principal.staff && (activity === undefined || activity === 'staff')) session.staffSeenMs = now;
    return session;
  }

  /** find(), or the session a valid unspent pass opens now (the first call from a page). */
  resume(id: string, timeouts: SessionTimeouts, activity?: Activity): Session | undefined {
    return this.find(id, timeouts, activity) ?? (this.passOpens(id) ? this.open(id) : undefined);
  }

  loginCustomer(session: Session, accountId: string): void {
    this.rotate(session);
    session.principal.customer = { accountId };
    session.customerSeenMs = this.clock.nowMs();
    session.customerLoginMs = session.customerSeenMs;
  }

  loginStaff(session: Session, staffId: string, role: StaffRole, mustChangePassword: boolean): void {
    this.rotate(session);
    session.principal.staff = { staffId, role, mustChangePassword };
    session.staffSeenMs = this.clock.nowMs();
    session.staffLoginMs = session.staffSeenMs;
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

  /** The staff user's current logins, oldest first (ASVS 5.0 V7.4.5). */
  staffSessions(staffId: string, timeouts: SessionTimeouts): StaffSessionView[] {
    const views: StaffSessionView[] = [];
    const now = this.clock.nowMs();
    for (const session of this.sessions.values()) {
      if (session.principal.staff?.staffId !== staffId) continue;
      // The timeouts applied, without counting the look as activity.
      this.endExpiredLogins(session, now, timeouts);
      if (!session.principal.staff) continue;
      views.push({ ref: session.ref, loggedInMs: session.staffLoginMs, seenMs: session.staffSeenMs });
    }
    return views.sort((a, b) => a.loggedInMs - b.loggedInMs);
  }

  /** Ends the staff login in one session (by ref) or in all of the user's sessions; returns how many ended. */
  endStaffSessions(staffId: string, ref?: string): number {
    let ended = 0;
    for (const session of this.sessions.values()) {
      if (session.principal.staff?.staffId === staffId && (ref === undefined || session.ref === ref)) {
        delete session.principal.staff;
        ended += 1;
      }
    }
    return ended;
  }

  drop(id: string): void {
    const session = this.sessions.get(id);
    if (session) this.end(session);
  }

  /** How many sessions are held, and how many of them have no login (for tests and /health). */
  counts(): { total: number; anonymous: number } {
    let anonymous = 0;
    for (const s of this.sessions.values()) if (!s.principal.customer && !s.principal.staff) anonymous += 1;
    return { total: this.sessions.size, anonymous };
  }

  /**
   * A login, or the grant 「確認」 leaves in the session, gets a new token and the old one stops
   * working (ASVS 5.0 V7.2.4): an id seen or planted before (a shared kiosk browser, a cookie set
   * by a page on another 127.0.0.1 port, which shares the browser's cookies) is worth nothing
   * after it. The transport that holds the id (the web-mode cookie) sends the new one with the answer.
   */
  rotate(session: Session): void {
    this.sessions.delete(session.id);
    this.spend(session.id);
    session.id = newId();
    this.sessions.set(session.id, session);
  }

  private open(id: string): Session {
    const now = this.clock.nowMs();
    this.prune(now);
    const session: Session = { id, ref: randomBytes(9).toString('base64url'), principal: {}, seenMs: now, customerSeenMs: now, staffSeenMs: now, customerLoginMs: now, staffLoginMs: now };
    this.sessions.set(id, session);
    return session;
  }

  private end(session: Session): void {
    this.sessions.delete(session.id);
    this.spend(session.id);
  }

  private spend(id: string): void {
    const issued = this.passIssuedMs(id);
    if (issued === undefined) return;
    this.spent.set(id, issued + PASS_LIFETIME_MS);
    if (this.spent.size > SPENT_CAP) this.spent.delete(this.spent.keys().next().value!);
  }

  /** Takes away a customer or staff login past its idle time or its absolute lifetime; the session stays. */
  private endExpiredLogins(session: Session, now: number, timeouts: SessionTimeouts): void {
    const customerMax = (timeouts.customerMaxHours ?? DEFAULT_CUSTOMER_MAX_HOURS) * 3_600_000;
    const staffMax = (timeouts.staffMaxHours ?? DEFAULT_STAFF_MAX_HOURS) * 3_600_000;
    if (session.principal.customer && (now - session.customerSeenMs > timeouts.customerMinutes * 60_000 || now - session.customerLoginMs > customerMax)) {
      delete session.principal.customer;
    }
    if (session.principal.staff && (now - session.staffSeenMs > timeouts.staffMinutes * 60_000 || now - session.staffLoginMs > staffMax)) {
      delete session.principal.staff;
    }
  }

  /**
   * Forgets idle anonymous sessions, then the oldest anonymous ones over the cap; and expired
   * spent passes. A login past its time counts as gone here too, not only when its id comes
   * back: otherwise it stayed 24 h, outside the anonymous cap.
   */
  private prune(now: number): void {
    const anonymous: Session[] = [];
    for (const session of this.sessions.values()) {
      if (this.timeouts) this.endExpiredLogins(session, now, this.timeouts);
      const loggedIn = session.principal.customer || session.principal.staff;
      if (now - session.seenMs > (loggedIn ? ANY_IDLE_MS : ANONYMOUS_IDLE_MS)) this.end(session);
      else if (!loggedIn) anonymous.push(session);
    }
    if (anonymous.length >= ANONYMOUS_CAP) {
      anonymous.sort((a, b) => a.seenMs - b.seenMs);
      for (const session of anonymous.slice(0, anonymous.length - ANONYMOUS_CAP + 1)) this.end(session);
    }
    for (const [id, expires] of this.spent) if (expires <= now) this.spent.delete(id);
  }

  private mac(body: string): string {
    return createHmac('sha256', this.passKey).update(body).digest('base64url').slice(0, 22);
  }

  private passIssuedMs(id: string): number | undefined {
    const match = /^p([0-9a-z]{1,12})\.([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{22})$/.exec(id);
    if (!match) return undefined;
    const body = `p${match[1]}.${match[2]}`;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(match[3]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return parseInt(match[1]!, 36);
  }

  private passOpens(id: string): boolean {
    const issued = this.passIssuedMs(id);
    if (issued === undefined || this.spent.has(id) || this.sessions.has(id)) return false;
    const age = this.clock.nowMs() - issued;
    return age >= 0 && age <= PASS_LIFETIME_MS;
  }
}
