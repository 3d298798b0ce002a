import { z } from 'zod';
import { defineCall } from './define-call';

const iso = z.string().nullable();

export const firstSyncSchema = z.object({
  /** paging: copying rows; indexing: every row copied (resets are served), staff search keys being folded. */
  state: z.enum(['not-started', 'paging', 'indexing', 'done']),
  table: z.string().nullable(),
  rows: z.number(),
  total: z.number(),
  ratePerSecond: z.number().nullable(),
  secondsLeft: z.number().nullable(),
  startedAt: iso,
  copiedAt: iso,
  finishedAt: iso,
  index: z.object({ accounts: z.number(), total: z.number(), ratePerSecond: z.number().nullable() }),
});

/** The code keys (DESIGN §7): ids only, never a key. `mismatch` is the one line staff and the log see. */
export const codeKeyStatusSchema = z.object({
  state: z.enum(['standalone', 'awaiting', 'deployment', 'mismatch']),
  currentKeyId: z.string(),
  previousKeyIds: z.array(z.string()),
  retiredLocalKeyId: z.string().nullable(),
  receivedAt: iso,
  mismatch: z.string().nullable(),
  mismatchKind: z.enum(['explicit-secret', 'unknown-key']).nullable(),
  mismatchKeyId: z.string().nullable(),
});

export const syncStatusSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('standalone'), codeKey: codeKeyStatusSchema }),
  z.object({
    mode: z.literal('synced'),
    state: z.enum(['starting', 'first-sync', 'online', 'offline', 'refused', 'stopped']),
    kioskId: z.string(),
    clientId: z.string(),
    offlineSince: iso,
    /** The driver's sentence behind lastErrorCode: for an admin only (masked), null for other roles. */
    lastError: z.string().nullable(),
    /** lastError as a stable code, for the screen's words (contract/central-failures.ts). */
    lastErrorCode: z.string().nullable(),
    outboxDepth: z.number().int(),
    oldestPendingAt: iso,
    lastPushAt: iso,
    lastPullAt: iso,
    pushedTotal: z.number(),
    pulledTotal: z.number(),
    firstSync: firstSyncSchema,
    /** A refresh after the kiosk's cursor fell below central's pruned change log, while it runs. */
    refresh: z.object({ table: z.string(), rows: z.number(), startedAt: iso }).nullable(),
    /** This counter's audit stream: the newest local entry and the last one central holds. */
    auditStream: z.object({ localSeq: z.number().int(), streamedSeq: z.number().int(), streamedAt: iso, error: z.string().nullable() }),
    /** This counter's clock minus central's, measured at the last connect (null: not yet connected). */
    clockAheadMs: z.number().nullable(),
    codeKey: codeKeyStatusSchema,
  }),
]);

const rowValues = z.record(z.string(), z.unknown()).nullable();

export const conflictSchema = z.object({
  id: z.string(),
  table: z.string(),
  rowKey: z.string(),
  kioskId: z.string().nullable(),
  kind: z.enum(['edit', 'duplicate', 'insert-exists', 'missing', 'code-reuse', 'status', 'delete', 'error', 'expired']),
  fields: z.array(z.string()).nullable(),
  /** Secrets (password hash, code/token/grant HMACs) are replaced by a marker before they leave. */
  central: rowValues,
  kiosk: rowValues,
  base: rowValues,
  detail: z.string().nullable(),
  createdAt: z.string(),
  resolvedAt: iso,
  resolvedBy: z.string().nullable(),
  resolution: z.enum(['central', 'kiosk']).nullable(),
});

export const syncCalls = {
  /** DESIGN §7 "sync status is visible": offline since, outbox depth, last push/pull, first-sync progress. */
  'sync.status': defineCall({ role: 'agent', passive: true, input: z.object({}), output: syncStatusSchema }),
  /** Lost races kept at central with both values, for staff to see. */
  'sync.conflicts': defineCall({
    role: 'agent',
    passive: true,
    input: z.object({ open: z.boolean().default(true), limit: z.number().int().min(1).max(200).default(50) }),
    output: z.object({ conflicts: z.array(conflictSchema) }),
  }),
  /** A supervisor keeps central's value, or writes the kiosk's value as a new version. */
  'sync.resolveConflict': defineCall({
    role: 'supervisor',
    input: z.object({ id: z.string().regex(/^[0-9]{1,18}$/), keep: z.enum(['central', 'kiosk']) }),
    output: z.object({ result: z.enum(['resolved', 'already-resolved', 'not-found', 'not-applicable']) }),
  }),
  /**
   * 同期の状態, when central refuses this counter as another installation (central 0017): an
   * admin at the PC that stays takes the counter's identity over, as `npm run sync --
   * --take-over` does (an installed counter has no npm); the other PC's pushes are refused from
   * then on. Audited here. CONFLICT (reason already-this-installation): nothing to take over;
   * UNAVAILABLE (reason central, code): central could not be reached or refused it.
   */
  'sync.takeOver': defineCall({ role: 'admin', input: z.object({}), output: z.object({ result: z.literal('taken-over') }) }),
};
