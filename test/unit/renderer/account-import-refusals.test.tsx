import { describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import { RunView, StepAlert } from '../../../src-renderer/staff/AccountImportPage';
import { mount } from './mount';

describe('「アカウントの取り込み」 says its refusals in words', () => {
  test('a second import: who runs the first and since when, in Japanese and English (name and user name in each one\'s brackets); the command line by name', async () => {
    const since = '2026-12-07T01:00:00.000Z';
    const { i18n } = await mount(
      <>
        <StepAlert error={{ code: 'CONFLICT', params: { reason: 'import-running', by: '管理者', byUser: 'admin', since } }} maxBytes={256 * 1024 * 1024} />
        <StepAlert error={{ code: 'CONFLICT', params: { reason: 'import-running', by: 'cli', since } }} maxBytes={256 * 1024 * 1024} />
        <StepAlert error={{ code: 'CONFLICT', params: { reason: 'file-arriving', by: '鈴木 花子', byUser: 'suzuki', since } }} maxBytes={256 * 1024 * 1024} />
      </>,
    );
    const [staff, cli, arriving] = [page.getByRole('alert').nth(0), page.getByRole('alert').nth(1), page.getByRole('alert').nth(2)];
    await expect.element(staff).toHaveTextContent('ほかの取り込みが実行中です（管理者（admin）、2026/12/07 10:00:00 開始）。終わってからもう一度お試しください。');
    await expect.element(cli).toHaveTextContent('ほかの取り込みが実行中です（コマンドライン（運用者）、');
    await expect.element(arriving).toHaveTextContent('ほかの方がファイルを読み込んでいるところです（鈴木 花子（suzuki））。');
    await i18n.changeLanguage('en');
    await expect.element(staff).toHaveTextContent('Another import is running (管理者 (admin), started 07/12/2026, 10:00:00). Please try again when it has finished.');
    await expect.element(cli).toHaveTextContent('Another import is running (Command line (operator), started');
    await expect.element(arriving).toHaveTextContent('Someone else is reading in a file (鈴木 花子 (suzuki)).');
  });

  test('a file over the limit: its size and the limit', async () => {
    await mount(<StepAlert error={{ code: 'BODY_TOO_LARGE', params: { size: 300 * 1024 * 1024, maxBytes: 256 * 1024 * 1024 } }} maxBytes={256 * 1024 * 1024} />);
    await expect.element(page.getByRole('alert')).toHaveTextContent('ファイルが大きすぎます（300.0 MiB）。256.0 MiB までのファイルにしてください。');
  });
});

describe('an import run stopped because of its admin', () => {
  test('says the import stopped part-way and why, in an alert, in Japanese and English', async () => {
    const run = {
      kind: 'import' as const,
      state: 'failed' as const,
      startedAt: '2026-12-07T01:00:00.000Z',
      finishedAt: '2026-12-07T01:00:05.000Z',
      by: '取込 担当',
      byUser: 'import.admin',
      rows: 4000,
      inserted: 4000,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      bytes: 400_000,
      totalBytes: 1_000_000,
      demoRemoved: 0,
      stopped: false,
      seconds: 5,
      problems: [],
      rejectsAvailable: false,
      endedBecause: 'starter-disabled' as const,
    };
    const { i18n } = await mount(<RunView run={run} time={(iso) => iso} onRejects={() => undefined} busy={false} locale="ja" />);
    const alert = page.getByRole('alert');
    await expect.element(alert).toHaveTextContent('取り込みが途中で止まりました。');
    await expect.element(alert).toHaveTextContent('開始した管理者が無効になったため、取り込みを止めました。');
    await i18n.changeLanguage('en');
    await expect.element(alert).toHaveTextContent('It was stopped because the admin who started it was disabled.');
  });
});
