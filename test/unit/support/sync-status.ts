// A kiosk's sync status as `sync.status` answers it, for the CLI line and the 同期の状態 screen tests.
import type { CallOutput } from '../../../src-main/contract';

export type SyncedStatus = Extract<CallOutput<'sync.status'>, { mode: 'synced' }>;
export type FirstSync = SyncedStatus['firstSync'];

export const firstSyncNotStarted: FirstSync = {
  state: 'not-started',
  table: null,
  rows: 0,
  total: 0,
  ratePerSecond: null,
  secondsLeft: null,
  startedAt: null,
  copiedAt: null,
  finishedAt: null,
  index: { accounts: 0, total: 0, ratePerSecond: null },
};

/** The deployment's key from central, current, no mismatch. */
export const deploymentKey: SyncedStatus['codeKey'] = {
  state: 'deployment',
  currentKeyId: 'k-3f9a0c12d4e5',
  previousKeyIds: [],
  retiredLocalKeyId: null,
  receivedAt: '2026-12-01T09:00:00.000Z',
  mismatch: null,
  mismatchKind: null,
  mismatchKeyId: null,
};

/** Online (or `state`) kiosk tokyo-01 with an empty outbox and the given first sync. */
export function syncedStatus(firstSync: FirstSync, state: SyncedStatus['state'] = 'online'): SyncedStatus {
  return {
    mode: 'synced',
    state,
    kioskId: 'tokyo-01',
    clientId: 'c1',
    offlineSince: null,
    lastError: null,
    lastErrorCode: null,
    outboxDepth: 0,
    oldestPendingAt: null,
    lastPushAt: null,
    lastPullAt: null,
    pushedTotal: 0,
    pulledTotal: 0,
    firstSync,
    refresh: null,
    auditStream: { localSeq: 0, streamedSeq: 0, streamedAt: null, error: null },
    clockAheadMs: 40,
    codeKey: deploymentKey,
  };
}
