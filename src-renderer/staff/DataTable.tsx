import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Pager } from './ui';

export interface Column<R> {
  header: string;
  cell: (row: R) => ReactNode;
  /** The cell that names its row (a day, a field): <th scope="row">, read before each cell. */
  rowHeader?: boolean;
  className?: string;
}

interface DataTableProps<R> {
  /** Names the table for screen readers; the heading above says the same to sighted staff. */
  caption: string;
  columns: ReadonlyArray<Column<R>>;
  rows: readonly R[];
  rowKey: (row: R, index: number) => string;
  /** Buttons for one row, in a last 操作 column; a row without any gets an empty cell. */
  actions?: (row: R) => ReactNode;
  /** A list that pages: 前へ／次へ and "page x of y" under the table. */
  paging?: { page: number; pageSize: number; total: number; onPage: (page: number) => void };
  testId?: string;
  /** What to do when there is nothing to list (issue 16: an empty answer says what to try next). */
  empty?: string;
}

/**
 * The one staff table: caption, column headers with scope, an empty state that says what to
 * do (`empty`, 「該当するものはありません。」 by default) instead of an empty table, row actions as buttons, and the pager.
 */
export function DataTable<R>({ caption, columns, rows, rowKey, actions, paging, testId, empty }: DataTableProps<R>) {
  const { t } = useTranslation();
  return (
    <>
      {rows.length === 0 ? (
        // A paged list answers a search or a filter, so its empty answer is announced; an empty
        // section of a detail screen is only read where it stands.
        <p className="staff-empty" role={paging ? 'status' : undefined}>
          {empty ?? t('staff.common.none')}
        </p>
      ) : (
        <div className="staff-table-wrap">
          <table className="staff-table" data-testid={testId}>
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.header} scope="col">
                    {column.header}
                  </th>
                ))}
                {actions && <th scope="col">{t('staff.account.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={rowKey(row, index)}>
                  {columns.map((column) =>
                    column.rowHeader ? (
                      <th key={column.header} scope="row" className={column.className}>
                        {column.cell(row)}
                      </th>
                    ) : (
                      <td key={column.header} className={column.className}>
                        {column.cell(row)}
                      </td>
                    ),
                  )}
                  {actions && (
                    <td>
                      <div className="staff-buttons">{actions(row)}</div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {paging && <Pager {...paging} />}
    </>
  );
}
