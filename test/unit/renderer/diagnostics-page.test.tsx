import { describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import type { ApiClient, CallOutput } from '../../../src-main/contract';
import { ApiProvider } from '../../../src-renderer/api/api-context';
import { DiagnosticsPage } from '../../../src-renderer/staff/DiagnosticsPage';
import { StaffSessionProvider, type StaffMe } from '../../../src-renderer/staff/staff-session';
import { mount } from './mount';

const admin: StaffMe = { staffId: 's1', username: 'admin', displayName: '管理 花子', role: 'admin', mustChangePassword: false, sessionMinutes: 30, minPasswordLength: 12 };

type Health = CallOutput<'ops.diagnostics'>;

/** The counter's figures as ops.diagnostics gives them; times in UTC, shown in Japan time. */
function health(over: Partial<Health> = {}): Health {
  return {
    status: 'ok',
    problems: [],
    version: '0.1.0',
    versions: { app: '0.1.0', node: '24.0.0', electron: null, sqlite: '3.50.0' },
    schema: '0001_init',
    schemaExpected: '0001_init',
    mode: 'staff',
    kioskId: 'counter-01',
    store: { bytes: 4096, walBytes: 0, startupCheck: 'ok' },
    outboxDepth: 0,
    outboxFailed: 0,
    outboxUnknown: 0,
    sync: { central: false, state: null, offlineSince: null, lastErrorCode: null, outboxDepth: 0, lagSeconds: null, clockAheadMs: null, codeKey: { state: 'standalone', currentKeyId: 'local', mismatch: null } },
    lastErrors: [],
    backups: { count: 1, newestAt: '2026-12-07T00:00:00Z', newestAhead: false, keep: 7 },
    retention: { lastPurgeAt: '2026-12-07T00:00:00.000Z', lastPurgeAhead: false },
    clock: { now: '2026-12-07T03:00:00.000Z', referenceAt: '2026-12-07T00:00:00.000Z' },
    startedAt: '2026-12-07T00:00:00.000Z',
    uptimeSeconds: 60,
    demoAccounts: 0,
    ...over,
  };
}

const purgeReport = { at: '2026-12-07T03:00:00.000Z', resetRequests: 0, attemptRecords: 0, mailSecrets: 0, mail: 0, maildropFiles: 0, auditEntries: 0 };

type Answers = Partial<Record<'ops.backups' | 'ops.retention', unknown>>;

function client(h: Health, calls: Array<[string, unknown]>, more: Answers = {}): ApiClient {
  const answers: Partial<Record<string, unknown>> = {
    'ops.diagnostics': h,
    'ops.backups': { keep: 7, items: [] },
    'ops.retention': { items: [], lastPurge: null, lastPurgeAhead: false },
    ...more,
    'ops.purgeNow': purgeReport,
  };
  return {
    call: (name, input) => {
      calls.push([name, input]);
      return name in answers ? Promise.resolve(answers[name] as never) : Promise.reject(new Error(`unexpected call ${name}`));
    },
  };
}

async function mountPage(h: Health, calls: Array<[string, unknown]> = [], more: Answers = {}) {
  return mount(
    <ApiProvider client={client(h, calls, more)}>
      <StaffSessionProvider me={admin} onMe={() => undefined} onLost={() => undefined} onLogout={() => undefined}>
        <DiagnosticsPage />
      </StaffSessionProvider>
    </ApiProvider>,
  );
}

describe('DiagnosticsPage, 今すぐ削除 under a clock the chores distrust', () => {
  test('the dialog says the clock problem with the clock’s time and the last purge, and the purge carries the admin’s check', async () => {
    const calls: Array<[string, unknown]> = [];
    const { i18n } = await mountPage(
      health({ status: 'degraded', problems: ['clock-implausible'], clock: { now: '2028-05-01T03:00:00.000Z', referenceAt: '2026-12-07T00:00:00.000Z' } }),
      calls,
    );
    await page.getByRole('button', { name: '今すぐ削除' }).click();
    const dialog = page.getByRole('dialog', { name: '保存期間を過ぎたデータを今すぐ削除しますか？' });
    await expect.element(dialog).toHaveTextContent('この端末の時計に問題があります。時計は 2028/05/01 12:00:00 を指していて、前回の削除（まだ削除していないときは最後の記録）の 2026/12/07 9:00:00 から 31 日以上たっています。');
    await expect.element(dialog).toHaveTextContent('時計が進んでいると、保存期間内のデータまで削除され、元に戻せません。');
    await i18n.changeLanguage('en');
    const english = page.getByRole('dialog', { name: 'Delete the data past its retention period now?' });
    await expect.element(english).toHaveTextContent("This counter's clock has a problem. It reads 01/05/2028, 12:00:00, more than 31 days after the last purge");
    await english.getByRole('button', { name: 'Clock checked: delete' }).click();
    await expect.element(page.getByRole('status')).toHaveTextContent('Deleted');
    expect(calls.filter(([name]) => name === 'ops.purgeNow')).toEqual([['ops.purgeNow', { clockChecked: true }]]);
  });

  test('with the clock trusted: no clock words, and the purge does not claim a check', async () => {
    const calls: Array<[string, unknown]> = [];
    await mountPage(health(), calls);
    await page.getByRole('button', { name: '今すぐ削除' }).click();
    const dialog = page.getByRole('dialog', { name: '保存期間を過ぎたデータを今すぐ削除しますか？' });
    await expect.element(dialog).toHaveTextContent('上の表の期間を過ぎたデータを削除します。');
    await expect.element(dialog).not.toHaveTextContent('時計');
    await dialog.getByRole('button', { name: '削除する' }).click();
    await expect.element(page.getByRole('status')).toHaveTextContent('削除しました');
    expect(calls.filter(([name]) => name === 'ops.purgeNow')).toEqual([['ops.purgeNow', { clockChecked: false }]]);
  });
});

describe('DiagnosticsPage, a backup and a purge stamped 2028 after the clock was put right', () => {
  test('shows the odd dates with the words that they do not count, in Japanese and English', async () => {
    const ahead = '2028-01-01T00:00:00Z';
    const { i18n } = await mountPage(
      health({ status: 'degraded', problems: ['backup-overdue'], backups: { count: 2, newestAt: ahead, newestAhead: true, keep: 7 }, retention: { lastPurgeAt: '2028-01-01T00:00:00.000Z', lastPurgeAhead: true } }),
      [],
      {
        'ops.backups': { keep: 7, items: [{ name: 'webdesk-20280101T000000Z.sqlite3', bytes: 1, at: ahead, ahead: true }, { name: 'webdesk-20261206T000000Z.sqlite3', bytes: 4096, at: '2026-12-06T00:00:00Z', ahead: false }] },
        'ops.retention': { items: [], lastPurge: { ...purgeReport, at: '2028-01-01T00:00:00.000Z' }, lastPurgeAhead: true },
      },
    );
    const figures = page.getByTestId('diag-figures');
    await expect.element(figures).toHaveTextContent('2028/01/01 9:00:00（この端末の時計より先の日時です。時計が進んでいたときに作られたため、最新のバックアップとは数えません）');
    await expect.element(figures).toHaveTextContent('2028/01/01 9:00:00（この端末の時計より先の日時です。時計が進んでいたときの記録のため、削除済みとは数えません。次の自動削除で改めて削除します）');
    await expect.element(page.getByTestId('last-purge')).toHaveTextContent('削除済みとは数えません');
    const rows = page.getByTestId('backup-list').getByRole('row');
    await expect.element(rows.nth(1)).toHaveTextContent('最新のバックアップとは数えません');
    await expect.element(rows.nth(2)).not.toHaveTextContent('数えません');
    await i18n.changeLanguage('en');
    await expect.element(figures).toHaveTextContent("01/01/2028, 09:00:00 (a date later than this counter's clock: made while the clock was ahead, so it is not counted as the newest backup");
    await expect.element(page.getByTestId('last-purge')).toHaveTextContent('so it is not counted as done; the next daily purge runs again');
  });
});

describe('DiagnosticsPage, main.log not taking lines', () => {
  test('says so in words with what to check, in Japanese and English', async () => {
    const { i18n } = await mountPage(health({ status: 'degraded', problems: ['log-unwritable'] }));
    const item = page.getByRole('listitem').filter({ hasText: 'log-unwritable' });
    await expect.element(item).toHaveTextContent('動作ログ（データフォルダの logs/main.log）に書き込めません。書けない間のログは失われます。ディスクの空き容量と logs フォルダの権限を確認してください');
    await i18n.changeLanguage('en');
    await expect.element(item).toHaveTextContent('The operations log (logs/main.log in the data folder) cannot be written');
  });
});
