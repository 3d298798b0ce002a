import { z } from 'zod';
import { defineCall } from './define-call';
import { auditFilterInput, pageInput } from './staff-calls';

/** One entry of the fleet's audit log at central, with the counter that wrote it. */
export const fleetAuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  /** As central holds it (JSON); another counter's staff are named only at that counter. */
  detail: z.string(),
  kioskId: z.string(),
  clientId: z.string(),
});

const fleetFilterInput = { ...auditFilterInput, kiosk: z.string().max(100).optional() };

/**
 * How far one counter's audit stream has reached central (issue 14 item 6):
 * complete: central holds the counter's whole log; behind: newer entries wait at the counter;
 * cut: the counter's log ends before what central holds (its newest entries were removed);
 * refused: central refused entries that do not continue the chain it holds.
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
  state: z.enum(['complete', 'behind', 'cut', 'refused']),
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
  /** 同期の状態: each counter's audit stream. */
  'audit.fleet.streams': defineCall({
    role: 'agent',
    input: z.object({}),
    output: z.object({ streams: z.array(auditStreamSchema) }),
  }),
};
