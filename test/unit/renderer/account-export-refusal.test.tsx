import { afterEach, describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import type { ApiClient } from '../../../src-main/contract';
import { ApiProvider } from '../../../src-renderer/api/api-context';
import { AccountExportPage } from '../../../src-renderer/staff/AccountExportPage';
import { StaffSessionProvider, type StaffMe } from '../../../src-renderer/staff/staff-session';
import { mount } from './mount';

const supervisor: StaffMe = { staffId: 's2', username: 'suzuki', displayName: '鈴木 責任者', role: 'supervisor', mustChangePassword: false, sessionMinutes: 30, minPasswordLength: 12 };

const client: ApiClient = {
  call: (name) => {
    if (name === 'accounts.export.summary') return Promise.resolve({ accounts: 3 } as never);
    if (name === 'accounts.export.begin') return Promise.resolve({ ticket: 'ticket-1', fileName: 'accounts.csv', accounts: 3 } as never);
    return Promise.reject(new Error(`unexpected call ${name}`));
  },
};

/** The main process's answer to the page's first step, as the HTTP route gives it when the entry cannot be written. */
const requests: Array<{ url: string; method: string; header: string | null }> = [];
const realFetch = window.fetch;
afterEach(() => {
  window.fetch = realFetch;
  requests.length = 0;
});

describe('「アカウントの書き出し」 in web mode when the audit log cannot take the entry', () => {
  test('says so in an alert, ja and en, and no link to the file is followed', async () => {
    window.fetch = ((url: string, init?: RequestInit) => {
      requests.push({ url, method: init?.method ?? 'GET', header: new Headers(init?.headers).get('X-Webdesk-Request') });
      return Promise.resolve(new Response(JSON.stringify({ ok: false, error: { code: 'UNAVAILABLE', params: { reason: 'audit-unwritable' } } }), { status: 503, headers: { 'Content-Type': 'application/json' } }));
    }) as typeof fetch;
    const followed: string[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      followed.push(this.href);
    };
    try {
      const { i18n } = await mount(
        <ApiProvider client={client}>
          <StaffSessionProvider me={supervisor} onMe={() => undefined} onLost={() => undefined} onLogout={() => undefined}>
            <AccountExportPage />
          </StaffSessionProvider>
        </ApiProvider>,
      );
      await page.getByLabelText('個人情報を含むファイルであることを確認しました').click();
      await page.getByRole('button', { name: '書き出す' }).click();
      const alert = page.getByRole('alert');
      await expect.element(alert).toHaveTextContent('監査ログに書き込めないため、書き出しを中止しました');
      expect(requests).toEqual([{ url: '/api/download/ticket-1', method: 'POST', header: '1' }]);
      expect(followed).toEqual([]);
      await i18n.changeLanguage('en');
      await expect.element(page.getByRole('alert')).toHaveTextContent('its export could not be recorded in the audit log');
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
  });
});
