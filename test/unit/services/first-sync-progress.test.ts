import { describe, expect, it } from 'vitest';
import { firstSyncProgress } from '../../../src-main/services/sync/first-sync';
import type { SyncStateRow } from '../../../src-main/store/sync-state-repo';

const blank: SyncStateRow = {
  client_id: 'c1',
  kiosk_id: 'tokyo-01',
  cursor_xid: null,
  cursor_id: null,
  first_sync: null,
  first_sync_start_xid: null,
  first_sync_table: null,
  first_sync_after: null,
  first_sync_rows: 0,
  first_sync_total: 0,
  first_sync_started_at: null,
  first_sync_finished_at: null,
  first_sync_rate: null,
  refresh_table: null,
  refresh_after: null,
  refresh_rows: 0,
  refresh_started_at: null,
  first_sync_set_aside: null,
  first_sync_copied_at: null,
  first_sync_index_after: null,
  first_sync_indexed: 0,
  first_sync_index_total: 0,
  first_sync_index_rate: null,
  last_push_at: null,
  last_pull_at: null,
  offline_since: null,
  last_error: null,
  last_error_code: null,
  pushed_total: 0,
  pulled_total: 0,
  updated_at: null,
  audit_streamed_seq: 0,
  audit_streamed_at: null,
  audit_stream_error: null,
};

const copying: SyncStateRow = {
  ...blank,
  first_sync: 'paging',
  first_sync_table: 'accounts',
  first_sync_rows: 350_000,
  first_sync_total: 1_000_000,
  first_sync_rate: 65_000,
  first_sync_started_at: '2026-11-29T08:00:00.000Z',
};

const indexing: SyncStateRow = {
  ...copying,
  first_sync: 'indexing',
  first_sync_table: 'reset_requests',
  first_sync_rows: 1_000_000,
  first_sync_copied_at: '2026-11-29T08:00:16.000Z',
  first_sync_indexed: 12_000,
  first_sync_index_total: 1_000_000,
  first_sync_index_rate: 45_000,
};

describe('firstSyncProgress', () => {
  it('before the first sync: not started, no time left to tell', () => {
    const p = firstSyncProgress(blank);
    expect(p).toMatchObject({ state: 'not-started', table: null, secondsLeft: null, copiedAt: null, index: { accounts: 0, total: 0, ratePerSecond: null } });
  });

  it('while copying: the time left is that of the rows still to copy at the copy rate', () => {
    const p = firstSyncProgress(copying);
    expect(p).toMatchObject({ state: 'paging', table: 'accounts', rows: 350_000, total: 1_000_000, ratePerSecond: 65_000 });
    // 650,000 rows at 65,000 rows/s.
    expect(p.secondsLeft).toBe(10);
  });

  it('while copying, before a page has committed: no rate, so no time left', () => {
    expect(firstSyncProgress({ ...copying, first_sync_rate: null }).secondsLeft).toBeNull();
    expect(firstSyncProgress({ ...copying, first_sync_rate: 0 }).secondsLeft).toBeNull();
  });

  it('while indexing: the time left is that of the accounts still to fold at the index rate, not the copy rate', () => {
    const p = firstSyncProgress(indexing);
    expect(p).toMatchObject({
      state: 'indexing',
      table: null,
      rows: 1_000_000,
      ratePerSecond: 65_000,
      copiedAt: '2026-11-29T08:00:16.000Z',
      finishedAt: null,
      index: { accounts: 12_000, total: 1_000_000, ratePerSecond: 45_000 },
    });
    // 988,000 accounts at 45,000 accounts/s = 21.96 s, rounded up.
    expect(p.secondsLeft).toBe(22);
  });

  it('while indexing, before the first batch has committed: no index rate, so no time left', () => {
    expect(firstSyncProgress({ ...indexing, first_sync_indexed: 0, first_sync_index_rate: null }).secondsLeft).toBeNull();
  });

  it('done: nothing left, with when the copy ended and when the index was ready', () => {
    const p = firstSyncProgress({ ...indexing, first_sync: 'done', first_sync_indexed: 1_000_000, first_sync_finished_at: '2026-11-29T08:00:39.000Z' });
    expect(p).toMatchObject({ state: 'done', table: null, secondsLeft: 0, copiedAt: '2026-11-29T08:00:16.000Z', finishedAt: '2026-11-29T08:00:39.000Z' });
    expect(p.index).toEqual({ accounts: 1_000_000, total: 1_000_000, ratePerSecond: 45_000 });
  });
});
