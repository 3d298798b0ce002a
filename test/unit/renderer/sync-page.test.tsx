import { describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import type { ApiClient } from '../../../src-main/contract';
import { ApiProvider } from '../../../src-renderer/api/api-context';
import { StaffSessionProvider, type StaffMe } from '../../../src-renderer/staff/staff-session';
import { SyncPage } from '../../../src-renderer/staff/SyncPage';
import { mount } from './mount';
import { syncedStatus as status, type FirstSync } from '../support/sync-status';


const me: StaffMe = { staffId: 's1', username: 'agent1', displayName: '窓口 一郎', role: 'agent', mustChangePassword: false, sessionMinutes: 30, minPasswordLength: 12 };

// Times as central and the store give them (UTC); the screen shows them in Japan time.
const copiedAt = '2026-11-29T08:00:16.000Z';
const finishedAt = '2026-11-29T08:00:39.000Z';

const indexing: FirstSync = {
  state: 'indexing',
  table: null,
  rows: 1_000_000,
  total: 1_000_000,
  ratePerSecond: 65_000,
  secondsLeft: 22,
  startedAt: '2026-11-29T08:00:00.000Z',
  copiedAt,
  finishedAt: null,
  index: { accounts: 12_000, total: 1_000_000, ratePerSecond: 45_000.4 },
};

/** The two calls the screen makes, answered as the main process would. */
function client(firstSync: FirstSync): ApiClient {
  const answers: Partial<Record<string, unknown>> = { 'sync.status': status(firstSync), 'sync.conflicts': { conflicts: [] } };
  return {
    call: (name) => (name in answers ? Promise.resolve(answers[name] as never) : Promise.reject(new Error(`unexpected call ${name}`))),
  };
}

async function mountSyncPage(firstSync: FirstSync) {
  return mount(
    <ApiProvider client={client(firstSync)}>
      <StaffSessionProvider me={me} onLost={() => undefined}>
        <SyncPage />
      </StaffSessionProvider>
    </ApiProvider>,
  );
}

const figures = (container: HTMLElement) => [...container.querySelectorAll('[data-testid="first-sync-figures"] li')].map((li) => li.textContent);

describe('SyncPage, first sync', () => {
  test('while the search index is built: the bar follows the index, the list keeps the copy and says how far the index is', async () => {
    const { container } = await mountSyncPage(indexing);
    await expect.element(page.getByTestId('first-sync-state')).toHaveTextContent('検索索引を作成中');
    await expect.element(page.getByText('お客様の手続きはもう使えます', { exact: false })).toBeVisible();
    const bar = page.getByRole('progressbar', { name: '初回同期の進み具合' });
    await expect.element(bar).toHaveAttribute('aria-valuetext', '検索索引：12,000 / 1,000,000 件');
    const progress = container.querySelector('progress')!;
    expect([progress.value, progress.max]).toEqual([12_000, 1_000_000]);
    expect(figures(container)).toEqual(['データの取得：1,000,000 / 1,000,000 行（2026/11/29 17:00:16 に完了）', '検索索引：12,000 / 1,000,000 件', '45,000 件/秒', '残り約 22 秒']);
  });

  test('the same in English', async () => {
    const { container, i18n } = await mountSyncPage(indexing);
    await i18n.changeLanguage('en');
    await expect.element(page.getByTestId('first-sync-state')).toHaveTextContent('building the search index');
    await expect.element(page.getByRole('progressbar', { name: 'First sync progress' })).toHaveAttribute('aria-valuetext', 'Search index: 12,000 / 1,000,000 accounts');
    expect(figures(container)).toEqual(['Data copied: 1,000,000 / 1,000,000 rows (finished at 29/11/2026, 17:00:16)', 'Search index: 12,000 / 1,000,000 accounts', '45,000 accounts/s', 'about 22 s left']);
  });

  test('done: the copy and the index with their end, and when everything was ready', async () => {
    const { container } = await mountSyncPage({ ...indexing, state: 'done', secondsLeft: 0, finishedAt, index: { accounts: 1_000_000, total: 1_000_000, ratePerSecond: 45_000 } });
    await expect.element(page.getByTestId('first-sync-state')).toHaveTextContent('完了');
    const progress = container.querySelector('progress')!;
    expect(progress.value).toBe(progress.max);
    expect(figures(container)).toEqual(['データの取得：1,000,000 / 1,000,000 行（2026/11/29 17:00:16 に完了）', '検索索引：1,000,000 / 1,000,000 件', '2026/11/29 17:00:39 にすべて完了']);
  });

  test('while copying: rows of the total, the table, the copy rate and the time left; no index line yet', async () => {
    const { container } = await mountSyncPage({ ...indexing, state: 'paging', table: 'accounts', rows: 350_000, copiedAt: null, secondsLeft: 10, index: { accounts: 0, total: 0, ratePerSecond: null } });
    await expect.element(page.getByTestId('first-sync-state')).toHaveTextContent('データを取得中');
    await expect.element(page.getByRole('progressbar', { name: '初回同期の進み具合' })).toHaveAttribute('aria-valuetext', 'データの取得：350,000 / 1,000,000 行');
    expect(figures(container)).toEqual(['データの取得：350,000 / 1,000,000 行', '取得中の表：accounts', '65,000 行/秒', '残り約 10 秒']);
  });
});
