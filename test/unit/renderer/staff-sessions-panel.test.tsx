import { describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import type { ApiClient } from '../../../src-main/contract';
import { ApiProvider } from '../../../src-renderer/api/api-context';
import { StaffSessionProvider, type StaffMe } from '../../../src-renderer/staff/staff-session';
import { StaffSessionsPanel } from '../../../src-renderer/staff/StaffSessionsPanel';
import { mount } from './mount';

const me: StaffMe = { staffId: 'a1', username: 'admin', displayName: '管理者', role: 'admin', mustChangePassword: false, sessionMinutes: 30, minPasswordLength: 12 };

/** The panel's two calls, as the main process answers them when another admin ended the login a moment before. */
function client(ended: number): ApiClient {
  const answers: Record<string, unknown> = {
    'staff.users.sessions': { sessions: [{ ref: 'r1', loggedInAt: '2026-12-07T01:00:00.000Z', lastSeenAt: '2026-12-07T01:05:00.000Z', current: false }] },
    'staff.users.endSessions': { ended },
  };
  return { call: (name) => (name in answers ? Promise.resolve(answers[name] as never) : Promise.reject(new Error(`unexpected call ${name}`))) };
}

async function endAll(locale: 'ja' | 'en') {
  const { i18n } = await mount(
    <ApiProvider client={client(0)}>
      <StaffSessionProvider me={me} onMe={() => undefined} onLost={() => undefined} onLogout={() => undefined}>
        <StaffSessionsPanel user={{ staffId: 's2', displayName: '窓口 花子', username: 'hanako' }} onClose={() => undefined} />
      </StaffSessionProvider>
    </ApiProvider>,
  );
  await i18n.changeLanguage(locale);
  const endAllLabel = locale === 'ja' ? 'すべてのログインを終了' : i18n.t('staff.userSessions.endAll');
  await page.getByRole('button', { name: endAllLabel }).click();
  await page.getByRole('dialog').getByRole('button', { name: endAllLabel }).click();
  return page.getByRole('status');
}

describe('ログインを終了 on a login already ended elsewhere', () => {
  test('says nothing was ended and why, not 「0 件のログインを終了しました」', async () => {
    const status = await endAll('ja');
    await expect.element(status).toHaveTextContent('ログインはすでに終了していたため、何も終了しませんでした');
    await expect.element(status).not.toHaveTextContent('0 件');
  });

  test('the same in English', async () => {
    await expect.element(await endAll('en')).toHaveTextContent('Nothing was ended: the login had already ended');
  });
});
