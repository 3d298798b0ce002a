import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError, type CallError } from '../../contract/errors';
import { satisfiesRole, type Role } from '../../contract/roles';
import type { CallContext } from '../call-context';
import type { Session } from '../sessions';

/** 60 s: the screen uses a ticket the moment it has it; a ticket found later in a log is dead. */
const TICKET_LIFETIME_MS = 60_000;

interface TicketBase {
  /** The session that asked for it: another session's cookie cannot use it. */
  sessionId: string;
  /** The contract role of the call that issued it, checked again when it is used. */
  role: Role;
  fileName: string;
}

export interface UploadTicket extends TicketBase {
  kind: 'upload';
  maxBytes: number;
  /** Takes the request body as it streams in; `declared` is its Content-Length when sent. */
  receive(body: Readable, declared: number | undefined): Promise<unknown>;
}

export interface DownloadTicket extends TicketBase {
  kind: 'download';
  contentType: string;
  /**
   * The download's audit entry, written and committed; rejects with a worded AppError when it
   * cannot be (account-file-handlers.ts). Only FileTransfers calls it, before the first byte.
   */
  record(): Promise<void>;
  /** The file's bytes, streamed (never the whole file in memory). */
  stream(): Readable;
}

export type Ticket = UploadTicket | DownloadTicket;

/**
 * Single-use, short-lived tickets for the file transfers that cannot ride a JSON call: the
 * call that issues one has passed dispatch (role, session); the upload or download route then
 * needs the same session and takes the ticket once.
 */
export class FileTransfers {
  private readonly tickets = new Map<string, { ticket: Ticket; expiresMs: number }>();

  constructor(
    private readonly nowMs: () => number,
    /** The staff module's re-read of the caller's staff row (staff-handlers `current`); rejects when disabled, gone or re-roled. */
    private readonly currentStaff: (ctx: CallContext) => Promise<void>,
  ) {}

  issue(ticket: Ticket): string {
    this.sweep();
    const id = randomBytes(24).toString('base64url');
    this.tickets.set(id, { ticket, expiresMs: this.nowMs() + TICKET_LIFETIME_MS });
    return id;
  }

  /**
   * The ticket, once; undefined when unknown, used, expired, of another kind or asked for by
   * another session (which leaves it for its owner: a stranger cannot spend it).
   */
  take<K extends Ticket['kind']>(id: string, kind: K, sessionId: string): Extract<Ticket, { kind: K }> | undefined {
    this.sweep();
    const held = this.tickets.get(id);
    if (!held || held.ticket.kind !== kind || held.ticket.sessionId !== sessionId) return undefined;
    this.tickets.delete(id);
    return held.ticket as Extract<Ticket, { kind: K }>;
  }

  /**
   * Why a taken ticket may not be used now, or undefined. The session's role is cached from its
   * login: a user disabled or demoted in the ticket's minute still had it, so the staff row is
   * read again, as every staff call does (call-handlers.ts `checkingStaff`).
   */
  async refusal(ticket: Ticket, session: Session, transport: CallContext['transport']): Promise<CallError | undefined> {
    if (!satisfiesRole(session.principal, ticket.role)) return { code: 'FORBIDDEN', params: { role: ticket.role } };
    const staff = session.principal.staff;
    // A ticket its role lets a non-staff session use has no staff row to read (none is issued today).
    if (!staff) return undefined;
    try {
      await this.currentStaff({ session, transport, actor: `staff:${staff.staffId}` });
      return undefined;
    } catch (error) {
      if (error instanceof AppError) return error.toCallError();
      throw error;
    }
  }

  /**
   * A download's bytes: the one way both transports start one (the HTTP route, the Electron
   * save). Its audit entry is committed first, so personal data never leaves unrecorded; when
   * the entry cannot be written (a full or read-only disk) this rejects and nothing is sent.
   */
  async open(ticket: DownloadTicket): Promise<Readable> {
    await ticket.record();
    return ticket.stream();
  }

  /**
   * Web mode's first step: a link the browser saves cannot read a refusal, so the page asks
   * here (a fetch it can read) and the entry is written now; the answer is a new ticket for the
   * same bytes whose entry is already written, which the link then fetches.
   */
  async prepare(ticket: DownloadTicket): Promise<string> {
    await ticket.record();
    return this.issue({ ...ticket, record: async () => undefined });
  }

  private sweep(): void {
    const now = this.nowMs();
    for (const [id, held] of this.tickets) if (held.expiresMs <= now) this.tickets.delete(id);
  }
}
