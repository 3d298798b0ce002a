import { z } from 'zod';
import { defineCall } from './define-call';
import { auditEntrySchema, auditFilterInput, pageInput } from './staff-calls';

/**
 * One entry of the fleet's audit log at central, with the counter that wrote it, described as
 * the local log describes its entries (labelled fields, masked): staff are per counter, so a
 * staff user of this counter is named and another counter's is shown by kind.
 */
export const fleetAuditEntrySchema = auditEntrySchema.extend({
  kioskId: z.string(),
  clientId: z.string(),
});

const fleetFilterInput = { ...auditFilterInput, kiosk: z.string().max(100).optional() };

/** An admin's acceptance of a cut counter log, as central records it. */
export const auditGapSchema = z.object({
  fromSeq: z.number().int(),
  toSeq: z.number().int(),
  acceptedBy: z.string(),
  acceptedAt: z.string(),
  acceptedAtKiosk: z.string(),
  /** The central database login that recorded it. */
  acceptedRole: z.string(),
  reason: z.string(),
});

/**
 * How far one counter's audit stream has reached central (issue 14 item 6):
 * complete: central holds the counter's whole log; behind: newer entries wait at the counter;
 * cut: the counter's log ends before what central holds (its newest entries were removed);
 * refused: central refused entries that do not continue the chain it holds;
 * accepted: the log is still shorter than central's copy, but an admin accepted exactly that gap.
 */
export const auditStreamSchema = z.object({
  kioskId: z.string(),
  clientId: z.string(),
  thisCounter: z.boolean(),
  heldThroughSeq: z.number().int(),
  rowsHeld: z.number().int(),
  purgedThroughSeq: z.number().int(),
  lastEntryAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  localSeq: z.number().int().nullable(),
  reportedAt: z.string().nullable(),
  state: z.enum(['complete', 'behind', 'cut', 'refused', 'accepted']),
  /** cut or refused: central can tell where the counter's log was cut, so an admin may accept the gap (else it was rewritten). */
  acceptable: z.boolean(),
  /** Gaps admins accepted in this counter's log, oldest first (central migration 0015); they stay in the history. */
  acceptedGaps: z.array(auditGapSchema),
});

/** The fleet's audit trail as central holds it (central migration 0012); every call needs central reachable. */
export const auditFleetCalls = {
  /** 監査ログ, scope 「全窓口」: every counter's entries, newest first. */
  'audit.fleet.list': defineCall({
    role: 'supervisor',
    input: z.object({ ...fleetFilterInput, ...pageInput }),
    output: z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), items: z.array(fleetAuditEntrySchema), kiosks: z.array(z.string()), actions: z.array(z.string()) }),
  }),
  /** CSV of the fleet scope (UTF-8 with BOM, CRLF), with the counter in the first column; the export is audited here. */
  'audit.fleet.export': defineCall({
    role: 'supervisor',
    input: z.object(fleetFilterInput),
    output: z.object({ filename: z.string(), csv: z.string(), rows: z.number().int(), truncated: z.boolean() }),
  }),
  /**
   * 同期の状態: after investigating, an admin accepts the gap central sees in one counter's log
   * (cut or refused). Recorded at central with who, where, which entries and why, and audited
   * here; NOT_FOUND: no stream from that client; CONFLICT: no gap to accept any more (accepted
   * meanwhile) or the log was rewritten, not cut.
   */
  'audit.fleet.acceptGap': defineCall({
    role: 'admin',
    input: z.object({ clientId: z.string().uuid(), reason: z.string().trim().min(1).max(500) }),
    output: auditGapSchema,
  }),
  /** 同期の状態: each counter's audit stream. */
  'audit.fleet.streams': defineCall({
    role: 'agent',
    passive: true,
    input: z.object({}),
    output: z.object({ streams: z.array(auditStreamSchema) }),
  }),
};
