import { describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import { AppError, type ApiClient, type CallOutput } from '../../../src-main/contract';
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

type AuditStream = CallOutput<'audit.fleet.streams'>['streams'][number];
type Conflict = CallOutput<'sync.conflicts'>['conflicts'][number];

/** The calls the screen makes, answered as the main process would (without `streams`, central cannot be asked for them). */
function client(firstSync: FirstSync, streams?: AuditStream[], calls: Array<[string, unknown]> = [], conflicts: Conflict[] = []): ApiClient {
  const answers: Partial<Record<string, unknown>> = {
    'sync.status': status(firstSync),
    'sync.conflicts': { conflicts },
    'audit.fleet.acceptGap': { fromSeq: 78, toSeq: 80, acceptedBy: 'staff:s9', acceptedAt: '2026-12-06T02:00:00.000Z', acceptedAtKiosk: 'tokyo-01', acceptedRole: 'kiosk_tokyo_01', reason: 'x' },
    ...(streams ? { 'audit.fleet.streams': { streams } } : {}),
  };
  return {
    call: (name, input) => {
      calls.push([name, input]);
      return name in answers ? Promise.resolve(answers[name] as never) : Promise.reject(new Error(`unexpected call ${name}`));
    },
  };
}

async function mountSyncPage(firstSync: FirstSync, streams?: AuditStream[], who: StaffMe = me, calls?: Array<[string, unknown]>, conflicts?: Conflict[]) {
  return mount(
    <ApiProvider client={client(firstSync, streams, calls, conflicts)}>
      <StaffSessionProvider me={who} onMe={() => undefined} onLost={() => undefined} onLogout={() => undefined}>
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
    expect(figures(container)).toEqual(['データの取得：350,000 / 1,000,000 行', '取得中の表：アカウント', '65,000 行/秒', '残り約 10 秒']);
  });
});

describe('SyncPage, conflicts', () => {
  const refused: Conflict = {
    id: '7',
    table: 'accounts',
    rowKey: '0190a000-0000-7000-8000-00000000a001',
    kioskId: 'tokyo-01',
    kind: 'error',
    fields: null,
    central: null,
    kiosk: { jsa_id: '11111111111', company: '株式会社テスト' },
    base: null,
    detail: '23514: new row for relation "accounts" violates check constraint',
    createdAt: '2026-12-06T01:00:00.000Z',
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
  };

  test('names the table and what happened in words; central’s own message is kept aside, for support', async () => {
    await mountSyncPage({ ...indexing, state: 'done', finishedAt }, undefined, me, undefined, [refused]);
    await expect.element(page.getByRole('heading', { name: 'アカウント（エラー）2026/12/06 10:00:00' })).toBeVisible();
    await expect.element(page.getByText('中央データベースがこの変更を受け付けませんでした。中央の値が使われています。')).toBeVisible();
    await expect.element(page.getByText(refused.detail!)).toHaveAttribute('lang', 'en');
  });
});

describe('SyncPage, clock', () => {
  function clockClient(clockAheadMs: number): ApiClient {
    const answers: Record<string, unknown> = { 'sync.status': { ...status({ ...indexing, state: 'done', finishedAt }), clockAheadMs }, 'sync.conflicts': { conflicts: [] } };
    return { call: (name) => (name in answers ? Promise.resolve(answers[name] as never) : Promise.reject(new Error(`unexpected call ${name}`))) };
  }
  const mountWithClock = (clockAheadMs: number) =>
    mount(
      <ApiProvider client={clockClient(clockAheadMs)}>
        <StaffSessionProvider me={me} onMe={() => undefined} onLogout={() => undefined} onLost={() => undefined}>
          <SyncPage />
        </StaffSessionProvider>
      </ApiProvider>,
    );

  test('says in words how far this counter’s clock is off central’s, and what that breaks', async () => {
    const { i18n } = await mountWithClock(3 * 3_600_000 + 60_000);
    await expect.element(page.getByRole('alert')).toHaveTextContent('この端末の時計が中央データベースより約 3 時間 1 分 進んでいます。');
    await i18n.changeLanguage('en');
    await expect.element(page.getByRole('alert')).toHaveTextContent('This kiosk’s clock is about 3 hours 1 minute ahead of the central database’s.');
  });

  test('says nothing of a clock within the skew the codes allow', async () => {
    await mountWithClock(-9 * 60_000);
    await expect.element(page.getByTestId('sync-state')).toHaveTextContent('オンライン');
    expect(document.querySelector('[data-testid="sync-clock"]')).toBeNull();
  });
});

describe('SyncPage, audit streams', () => {
  const stream = (kioskId: string, state: AuditStream['state'], held: number, local: number | null, thisCounter = false): AuditStream => ({
    kioskId,
    clientId: `client-${kioskId}`,
    thisCounter,
    heldThroughSeq: held,
    rowsHeld: held,
    purgedThroughSeq: 0,
    lastEntryAt: '2026-12-06T01:00:00.000Z',
    receivedAt: '2026-12-06T01:00:01.000Z',
    localSeq: local,
    reportedAt: thisCounter ? null : '2026-12-06T01:00:01.000Z',
    state,
    acceptable: false,
    acceptedGaps: [],
  });
  const done: FirstSync = { ...indexing, state: 'done', finishedAt, secondsLeft: null };

  test('names each counter with how far its log reached central, in words for every state', async () => {
    const { container } = await mountSyncPage(done, [
      stream('tokyo-01', 'behind', 1_200, 1_234, true),
      stream('osaka-02', 'complete', 500, 500),
      stream('nagoya-03', 'cut', 80, 77),
      stream('kobe-04', 'refused', 40, 41),
    ]);
    await expect.element(page.getByRole('heading', { level: 2, name: '監査ログの送信状況' })).toBeVisible();
    const rows = [...container.querySelectorAll('[data-testid="audit-streams"] tbody tr')].map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent));
    expect(rows.map((r) => [r[0], r[1], r[2], r[5]])).toEqual([
      ['tokyo-01（この窓口）', '1,200 番まで（1,200 件）', '1,234 番まで', '送信待ちあり'],
      ['osaka-02', '500 番まで（500 件）', '500 番まで', 'すべて届いています'],
      ['nagoya-03', '80 番まで（80 件）', '77 番まで', '記録の欠落（窓口の記録が中央より短い）'],
      ['kobe-04', '40 番まで（40 件）', '41 番まで', '受け付けられない記録あり'],
    ]);
  });

  test('shows accepted gaps with who, when and why; an admin may accept a gap central can place, after confirming', async () => {
    const admin: StaffMe = { ...me, staffId: 's9', username: 'admin1', role: 'admin' };
    const calls: Array<[string, unknown]> = [];
    const accepted = { ...stream('sendai-05', 'accepted', 90, 85), acceptedGaps: [{ fromSeq: 86, toSeq: 90, acceptedBy: 'staff:s9', acceptedAt: '2026-12-06T02:00:00.000Z', acceptedAtKiosk: 'tokyo-01', acceptedRole: 'kiosk_tokyo_01', reason: '端末の復元' }] };
    const { container } = await mountSyncPage(done, [{ ...stream('nagoya-03', 'cut', 80, 77), acceptable: true }, stream('kobe-04', 'refused', 40, 41), accepted], admin, calls);
    await expect.element(page.getByRole('heading', { level: 3, name: 'nagoya-03 の記録の欠落を承認する' })).toBeVisible();
    const rows = [...container.querySelectorAll('[data-testid="audit-streams"] tbody tr')].map((tr) => tr.querySelectorAll('td')[4]!.textContent);
    expect(rows).toEqual(['記録の欠落（窓口の記録が中央より短い）', '受け付けられない記録あり', '記録の欠落（承認済み）']);
    expect(container.querySelector('[data-testid="accepted-gaps"]')!.textContent).toBe('sendai-05：86〜90 番 — staff:s9 が 2026/12/06 11:00:00 に承認（tokyo-01 で、データベースのログイン kiosk_tokyo_01）。理由：端末の復元');
    // kobe-04's log was rewritten: no form, a note.
    await expect.element(page.getByText('kobe-04 の記録は削除ではなく書き換えられているため、承認できません。窓口を新しいデータフォルダで参加させてください。')).toBeVisible();
    expect(container.querySelectorAll('[data-testid="gap-form"]')).toHaveLength(1);
    const button = page.getByRole('button', { name: '欠落を承認する' });
    await expect.element(button).toBeDisabled();
    await page.getByRole('textbox', { name: /承認の理由/ }).fill('端末の故障で復元（チケット 4711）');
    await button.click();
    await page.getByRole('dialog', { name: 'nagoya-03 の記録の欠落を承認しますか？' }).getByRole('button', { name: '承認する' }).click();
    await expect.element(page.getByText('nagoya-03 の 78〜80 番の欠落を承認しました。')).toBeVisible();
    expect(calls.filter(([name]) => name === 'audit.fleet.acceptGap')).toEqual([['audit.fleet.acceptGap', { clientId: 'client-nagoya-03', reason: '端末の故障で復元（チケット 4711）' }]]);
  });

  test('offers no acceptance to an agent', async () => {
    const { container } = await mountSyncPage(done, [{ ...stream('nagoya-03', 'cut', 80, 77), acceptable: true }]);
    await expect.element(page.getByRole('heading', { level: 2, name: '監査ログの送信状況' })).toBeVisible();
    expect(container.querySelectorAll('[data-testid="gap-form"]')).toHaveLength(0);
  });

  test('says so when central cannot be asked', async () => {
    await mountSyncPage(done);
    await expect.element(page.getByText('中央データベースに接続できないため、送信状況を表示できません。')).toBeVisible();
  });
});

describe('SyncPage, why central cannot be used', () => {
  const offlineClient = (lastError: string | null): ApiClient => {
    const answers: Record<string, unknown> = {
      'sync.status': { ...status({ ...indexing, state: 'done', finishedAt }, 'offline'), offlineSince: '2026-12-06T01:00:00.000Z', lastError, lastErrorCode: '28000' },
      'sync.conflicts': { conflicts: [] },
    };
    return { call: (name) => (name in answers ? Promise.resolve(answers[name] as never) : Promise.reject(new Error(`unexpected call ${name}`))) };
  };
  const mountOffline = (lastError: string | null) =>
    mount(
      <ApiProvider client={offlineClient(lastError)}>
        <StaffSessionProvider me={me} onMe={() => undefined} onLogout={() => undefined} onLost={() => undefined}>
          <SyncPage />
        </StaffSessionProvider>
      </ApiProvider>,
    );

  test('words the reason from its code when the driver’s sentence is not given (agents, supervisors)', async () => {
    await mountOffline(null);
    const figures = page.getByTestId('sync-figures');
    await expect.element(figures).toHaveTextContent('最後のエラー中央データベースがこの窓口のユーザー名かパスワードを受け付けませんでした。初期設定を確認してください。 (28000)');
  });

  test('adds the driver’s sentence where it is given (an admin)', async () => {
    await mountOffline('role "kiosk_x" does not exist');
    await expect.element(page.getByTestId('sync-figures')).toHaveTextContent('(28000: role "kiosk_x" does not exist)');
  });
});

describe('SyncPage, another installation', () => {
  const admin: StaffMe = { ...me, staffId: 's9', username: 'admin1', role: 'admin' };
  const refusedStatus = { ...status({ ...indexing, state: 'done', finishedAt }, 'offline'), offlineSince: '2026-12-06T01:00:00.000Z', lastError: 'counter tokyo-01 pushes from another installation', lastErrorCode: 'WD002', outboxDepth: 2 };
  function refusedClient(takeOver: () => Promise<unknown>, calls: string[]): ApiClient {
    const answers: Record<string, () => Promise<unknown>> = {
      'sync.status': () => Promise.resolve(refusedStatus),
      'sync.conflicts': () => Promise.resolve({ conflicts: [] }),
      'audit.fleet.streams': () => Promise.resolve({ streams: [] }),
      'sync.takeOver': takeOver,
    };
    return {
      call: (name) => {
        calls.push(name);
        return name in answers ? (answers[name]!() as Promise<never>) : Promise.reject(new Error(`unexpected call ${name}`));
      },
    };
  }
  const mountRefused = (who: StaffMe, takeOver: () => Promise<unknown>, calls: string[] = []) =>
    mount(
      <ApiProvider client={refusedClient(takeOver, calls)}>
        <StaffSessionProvider me={who} onMe={() => undefined} onLogout={() => undefined} onLost={() => undefined}>
          <SyncPage />
        </StaffSessionProvider>
      </ApiProvider>,
    );
  const confirm = async () => {
    await page.getByRole('button', { name: 'この端末で同期を引き継ぐ' }).click();
    await page.getByRole('dialog', { name: 'この端末で同期を引き継ぎますか？' }).getByRole('button', { name: '引き継ぐ' }).click();
  };

  test('says central refuses this PC, not that it is offline until the line is back', async () => {
    const { i18n } = await mountRefused(me, () => Promise.reject(new Error('not called')));
    await expect.element(page.getByTestId('sync-state')).toHaveTextContent('中央データベースがこの PC からの送信を受け付けていません（別の PC がこの窓口として同期しています）');
    // It still receives: the guide says so with the last receipt, not that sync with the others has stopped.
    await expect.element(page.getByText('ほかの窓口の変更（ロック、新しいアカウント、パスワードの変更など）は引き続き受信しています（最終受信：', { exact: false })).toBeVisible();
    await expect.element(page.getByText('この端末の変更は送信待ちに入り、引き継ぐまで自動では送られません。', { exact: false })).toBeVisible();
    expect(document.body.textContent).not.toContain('届きません');
    expect(document.body.textContent).not.toContain('接続が戻ると自動で送ります');
    await i18n.changeLanguage('en');
    await expect.element(page.getByTestId('sync-state')).toHaveTextContent('The central database refuses this PC’s changes (another PC syncs as this counter)');
  });

  test('names the button, not a command; an agent reads it without the button', async () => {
    const { container } = await mountRefused(me, () => Promise.reject(new Error('not called')));
    await expect.element(page.getByTestId('sync-figures')).toHaveTextContent('管理者が「同期の状態」の「この端末で同期を引き継ぐ」を押してください。');
    expect(container.textContent).not.toContain('npm');
    expect(container.querySelector('[data-testid="sync-take-over"]')).toBeNull();
  });

  test('an admin takes over after the dialog; done is said as a status', async () => {
    const calls: string[] = [];
    await mountRefused(admin, () => Promise.resolve({ result: 'taken-over' }), calls);
    await confirm();
    await expect.element(page.getByRole('status')).toHaveTextContent('この PC が窓口 tokyo-01 として同期するようになりました。');
    expect(calls.filter((n) => n === 'sync.takeOver')).toHaveLength(1);
  });

  test('says in words, as an alert, that this PC already syncs as the counter, or why central could not take it over', async () => {
    await mountRefused(admin, () => Promise.reject(new AppError('CONFLICT', { params: { reason: 'already-this-installation' } })));
    await confirm();
    await expect.element(page.getByRole('alert')).toHaveTextContent('この PC はすでに窓口 tokyo-01 として同期しています。引き継ぐ必要はありません。');
  });

  test('says central could not be reached, in the sync failure’s words', async () => {
    const { i18n } = await mountRefused(admin, () => Promise.reject(new AppError('UNAVAILABLE', { params: { reason: 'central', code: 'ECONNREFUSED' } })));
    await confirm();
    await expect.element(page.getByRole('alert')).toHaveTextContent('中央データベースで引き継げませんでした。中央データベースのサーバーが接続を拒否しました');
    await i18n.changeLanguage('en');
    await expect.element(page.getByRole('alert')).toHaveTextContent('The central database could not take it over.');
  });

  test('says central took it over but the audit log could not record it, not that central could not', async () => {
    const { i18n } = await mountRefused(admin, () => Promise.reject(new AppError('UNAVAILABLE', { params: { reason: 'take-over-not-audited' } })));
    await confirm();
    await expect.element(page.getByRole('alert')).toHaveTextContent(
      '中央データベースでは引き継ぎました（この PC が窓口 tokyo-01 として同期し、送信待ちの変更を送ります）。ただし、この操作を監査ログに記録できませんでした（記録は動作ログ logs/main.log にあります）。',
    );
    expect(document.body.textContent).not.toContain('引き継げませんでした');
    await i18n.changeLanguage('en');
    await expect.element(page.getByRole('alert')).toHaveTextContent('The central database took it over');
  });
});
