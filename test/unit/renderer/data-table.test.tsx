import { useState } from 'react';
import { describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import { DataTable } from '../../../src-renderer/staff/DataTable';
import { mount } from './mount';

interface Mail {
  id: string;
  to: string;
  state: string;
}

const mails: Mail[] = Array.from({ length: 45 }, (_, i) => ({ id: `m${i + 1}`, to: `t${i + 1}@example.jp`, state: i % 2 ? '送信済み' : '失敗' }));

/** A paged list as the staff screens hold one: the page lives in the screen, the table shows it. */
function PagedList({ rows, onRetry }: { rows: Mail[]; onRetry?: (mail: Mail) => void }) {
  const [page, setPage] = useState(1);
  const pageSize = 20;
  return (
    <DataTable
      caption="メール送信状況"
      rows={rows.slice((page - 1) * pageSize, page * pageSize)}
      rowKey={(m) => m.id}
      columns={[
        { header: '宛先', cell: (m) => m.to, rowHeader: true },
        { header: '状態', cell: (m) => m.state },
      ]}
      actions={
        onRetry &&
        ((m) => (
          <button type="button" className="button button--secondary" onClick={() => onRetry(m)} aria-label={`再送 ${m.to}`}>
            再送
          </button>
        ))
      }
      paging={{ page, pageSize, total: rows.length, onPage: setPage }}
    />
  );
}

describe('DataTable', () => {
  test('names the table by its caption and every column header by scope', async () => {
    const { container } = await mount(<PagedList rows={mails} onRetry={() => undefined} />);
    await expect.element(page.getByRole('table', { name: 'メール送信状況' })).toBeVisible();
    const headers = [...container.querySelectorAll('thead th')].map((th) => [th.textContent, th.getAttribute('scope')]);
    expect(headers).toEqual([
      ['宛先', 'col'],
      ['状態', 'col'],
      ['操作', 'col'],
    ]);
    await expect.element(page.getByRole('rowheader', { name: 't1@example.jp' })).toBeVisible();
    expect(container.querySelector('tbody th')?.getAttribute('scope')).toBe('row');
  });

  test('a paged list with no rows announces 該当するものはありません。 instead of an empty table', async () => {
    await mount(<PagedList rows={[]} />);
    await expect.element(page.getByRole('status')).toHaveTextContent('該当するものはありません。');
    expect(document.querySelector('table')).toBeNull();
  });

  test('an empty section without paging says 該当するものはありません。 where it stands, without a status', async () => {
    await mount(<DataTable caption="依頼の履歴" rows={[] as Mail[]} rowKey={(m) => m.id} columns={[{ header: '宛先', cell: (m) => m.to }]} />);
    await expect.element(page.getByText('該当するものはありません。')).toBeVisible();
    expect(document.querySelector('[role="status"]')).toBeNull();
    expect(document.querySelector('table')).toBeNull();
  });

  test('pages with labelled buttons and says where it stands', async () => {
    await mount(<PagedList rows={mails} />);
    const pager = page.getByRole('navigation', { name: '1 / 3 ページ（全 45 件）' });
    await expect.element(pager).toBeVisible();
    await expect.element(page.getByRole('button', { name: '前のページ' })).toBeDisabled();
    await page.getByRole('button', { name: '次のページ' }).click();
    await expect.element(page.getByRole('navigation', { name: '2 / 3 ページ（全 45 件）' })).toBeVisible();
    await expect.element(page.getByRole('rowheader', { name: 't21@example.jp' })).toBeVisible();
    await page.getByRole('button', { name: '次のページ' }).click();
    await expect.element(page.getByRole('button', { name: '次のページ' })).toBeDisabled();
    expect(document.querySelectorAll('tbody tr')).toHaveLength(5);
    await page.getByRole('button', { name: '前のページ' }).click();
    await expect.element(page.getByRole('navigation', { name: '2 / 3 ページ（全 45 件）' })).toBeVisible();
  });

  test('row actions are buttons that act on their own row', async () => {
    const retried: string[] = [];
    await mount(<PagedList rows={mails} onRetry={(m) => retried.push(m.id)} />);
    await page.getByRole('row', { name: /t3@example\.jp/ }).getByRole('button', { name: '再送 t3@example.jp' }).click();
    expect(retried).toEqual(['m3']);
  });

  test('column headers follow the language', async () => {
    const { i18n } = await mount(<PagedList rows={mails} onRetry={() => undefined} />);
    await i18n.changeLanguage('en');
    await expect.element(page.getByRole('columnheader', { name: 'Actions' })).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Next page' })).toBeVisible();
  });
});
