import { describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import { StepAlert } from '../../../src-renderer/staff/AccountImportPage';
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
