import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../../src-main/app/sync-cli';
import type { FirstSyncProgress } from '../../../src-main/services/sync/first-sync';
import { firstSyncNotStarted, syncedStatus } from '../support/sync-status';

const firstSyncLine = (firstSync: Partial<FirstSyncProgress>) =>
  formatStatus(syncedStatus({ ...firstSyncNotStarted, ...firstSync }, 'first-sync')).find((line) => line.startsWith('first sync'));

const started = '2026-11-29T08:00:00.000Z';
const copied = '2026-11-29T08:00:16.000Z';
const finished = '2026-11-29T08:00:39.000Z';

describe('formatStatus, the first-sync line', () => {
  it('before the first sync says it has not started', () => {
    expect(firstSyncLine({})).toBe('first sync: not started');
  });

  it('while copying: rows of the total, the table, the rate and the time left (the format crash.test.ts reads)', () => {
    const line = firstSyncLine({ state: 'paging', table: 'accounts', rows: 350_000, total: 1_000_000, ratePerSecond: 65_000.4, secondsLeft: 10, startedAt: started });
    expect(line).toBe('first sync: 350000/1000000 rows (accounts), 65000 rows/s, about 10 s left');
    expect(line).toMatch(/first sync: \d+\/\d+ rows \(accounts\), \d+ rows\/s, about \d+ s left/);
  });

  it('while copying, before a page has committed: rate unknown and no time left', () => {
    expect(firstSyncLine({ state: 'paging', table: 'accounts', total: 1_000_000, startedAt: started })).toBe('first sync: 0/1000000 rows (accounts), rate unknown');
  });

  it('while indexing: the rows copied and when, then the search keys folded, their rate and the time left', () => {
    const line = firstSyncLine({
      state: 'indexing',
      rows: 1_000_000,
      total: 1_000_000,
      ratePerSecond: 65_000,
      secondsLeft: 22,
      startedAt: started,
      copiedAt: copied,
      index: { accounts: 12_000, total: 1_000_000, ratePerSecond: 45_000.2 },
    });
    expect(line).toBe(`first sync: 1000000 rows copied at ${copied} (65000 rows/s); search keys 12000/1000000, 45000 accounts/s, about 22 s left`);
  });

  it('while indexing, before the first batch has committed: the index rate is unknown and no time left', () => {
    const line = firstSyncLine({ state: 'indexing', rows: 3000, total: 3000, ratePerSecond: 9000, startedAt: started, copiedAt: copied, index: { accounts: 0, total: 3000, ratePerSecond: null } });
    expect(line).toBe(`first sync: 3000 rows copied at ${copied} (9000 rows/s); search keys 0/3000, rate unknown`);
  });

  it('done: the rows and the whole span, then when the copy ended and when the search keys were ready', () => {
    const line = firstSyncLine({
      state: 'done',
      rows: 1_000_000,
      total: 1_000_000,
      ratePerSecond: 65_000,
      secondsLeft: 0,
      startedAt: started,
      copiedAt: copied,
      finishedAt: finished,
      index: { accounts: 1_000_000, total: 1_000_000, ratePerSecond: 45_000 },
    });
    expect(line).toBe(`first sync: done, 1000000 rows (${started} → ${finished}); copied at ${copied} (65000 rows/s), search keys of 1000000 accounts ready at ${finished}`);
  });

  it('done before the index stage existed (no copy time): the line as it was', () => {
    const line = firstSyncLine({ state: 'done', rows: 3000, total: 3000, ratePerSecond: 9000, secondsLeft: 0, startedAt: started, finishedAt: finished });
    expect(line).toBe(`first sync: done, 3000 rows (${started} → ${finished})`);
  });
});

describe('formatStatus, the code key line', () => {
  const keyLine = (codeKey: Partial<ReturnType<typeof syncedStatus>['codeKey']>) =>
    formatStatus({ ...syncedStatus(firstSyncNotStarted), codeKey: { ...syncedStatus(firstSyncNotStarted).codeKey, ...codeKey } }).find((line) => line.startsWith('code key'));

  it("names central's key by its id, with the earlier keys still checking codes and the counter's own from before it joined", () => {
    expect(keyLine({ previousKeyIds: ['k-0000000000aa'], retiredLocalKeyId: 'k-0000000000bb' })).toBe(
      "code key: k-3f9a0c12d4e5 from central (received 2026-12-01T09:00:00.000Z); earlier keys still verifying: k-0000000000aa; this counter's own key from before it joined: k-0000000000bb (its own earlier requests only)",
    );
  });

  it('before central has handed out its key, says codes made now work here only', () => {
    expect(keyLine({ state: 'awaiting', currentKeyId: 'k-0000000000cc', receivedAt: null })).toBe(
      'code key: not yet received from central; codes made now (key k-0000000000cc) work at this counter only',
    );
  });

  it('a mismatch is the one line itself', () => {
    expect(keyLine({ state: 'mismatch', mismatch: 'code key mismatch: WEBDESK_SECRET here (key k-1) is not the deployment’s' })).toBe(
      'code key mismatch: WEBDESK_SECRET here (key k-1) is not the deployment’s',
    );
  });
});

describe('formatStatus, a counter refused as another installation', () => {
  const refused = {
    ...syncedStatus(firstSyncNotStarted, 'starting'),
    offlineSince: '2026-12-06T01:00:00.000Z',
    lastError: 'counter tokyo-01 (client c1) pushes from another installation',
    lastErrorCode: 'WD002',
    outboxDepth: 2,
  };

  it('words the refusal as 同期 does and names the way out, the button and the command, beside central\'s own words', () => {
    const lines = formatStatus(refused);
    expect(lines).toContain(
      '中央データベースがこの PC からの送信を受け付けていません（別の PC がこの窓口として同期しています）。この PC を使い続ける場合は、管理者が「同期の状態」の「この端末で同期を引き継ぐ」を押してください' +
        ' / The central database refuses this PC’s changes (another PC syncs as this counter). If this PC is the one that stays, an administrator presses “Take over sync on this PC” on Sync status' +
        ' (here: npm run sync -- --take-over)',
    );
    expect(lines).toContain('last error: counter tokyo-01 (client c1) pushes from another installation');
  });

  it('says nothing of it for another failure', () => {
    expect(formatStatus({ ...refused, lastError: 'connect ECONNREFUSED 127.0.0.1:5432', lastErrorCode: 'ECONNREFUSED' }).join('\n')).not.toContain('take-over');
  });
});
