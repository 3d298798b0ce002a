// 前任者退職: once staff approve the new contact, the predecessor has no way back in. Their
// password, their マイページ login, a reset code already mailed to the old address and an
// address change they started all end with the approval (a probe found each of them still
// working afterwards: the old contact could take the account back).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeAndTokenFrom } from '../../support/mailbox';
import { addInquiry, readyAdmin, readyStaff } from '../staff/staff-support';
import { kiosk } from '../support/test-app';
import { accountRow, codeFrom, DEMO, loggedIn, mailTo, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('an approved contact change', () => {
  it('ends the predecessor’s password, login, mailed codes and pending address change', async () => {
    const admin = await readyAdmin(h.app);
    const agent = await readyStaff(h.app, admin, 'agent');
    const account = await accountRow(h.app);

    // The predecessor, logged in at マイページ, starts moving the account to a private address.
    const predecessor = await loggedIn(h.app);
    await predecessor.ok('mypage.requestEmailChange', { currentPassword: DEMO.password, newEmail: 'ichiro.private@example.net' });
    const emailCode = codeFrom(await mailTo(h.mailbox, 'ichiro.private@example.net', /確認コード/), /確認コード/);
    // And a reset code goes to the old address (sent by a clerk before the change).
    await agent.ok('staff.reset.send', { accountId: account.id });
    const reset = codeAndTokenFrom(await mailTo(h.mailbox, DEMO.email, /パスワード変更権限コード/));

    const inquiryId = await addInquiry(h.app, {
      kind: 'contact_change',
      data: {
        address: '東京都港区三田３－１３－１２',
        company: '(株)サンプル商事',
        department: '品質保証部',
        predecessorName: '田中 一郎',
        newContactName: '山田 次郎',
        phone: '０３(1234)5678',
        email: 'yamada@example.co.jp',
      },
      replyEmail: 'yamada@example.co.jp',
    });
    expect(await agent.ok('staff.inquiries.decide', { inquiryId, decision: 'approve', accountId: account.id, reasonTemplate: 'identity-confirmed' })).toEqual({ status: 'approved' });

    expect(await predecessor.ok('account.me', {})).toEqual({ loggedIn: false });
    expect(await predecessor.call('mypage.confirmEmailChange', { code: emailCode })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const stranger = kiosk(h.app);
    expect((await stranger.call('reset.verifyCode', { token: reset.token, code: reset.code })).ok).toBe(false);
    expect(await stranger.call('account.login', { jsaId: DEMO.jsaId, password: DEMO.password })).toMatchObject({ ok: false });
    // Logged in again? No password works; and the address change is closed, not waiting.
    expect(await h.app.db('contact_changes').where({ account_id: account.id, status: 'pending' }).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await accountRow(h.app)).toMatchObject({ email_norm: 'yamada@example.co.jp', contact_name: '山田 次郎', password_hash: null });
    const audited = (await h.app.db('audit_log').where({ action: 'account.contact-changed' }).first('detail_json')) as { detail_json: string };
    expect(JSON.parse(audited.detail_json)).toMatchObject({ passwordCleared: true, requestsVoided: 1, changesClosed: 1 });

    // The new contact sets a password by ID忘れ・パスワード忘れ, as their mail says.
    await stranger.ok('reset.request', { jsaId: DEMO.jsaId, email: 'yamada@example.co.jp' });
    const fresh = codeAndTokenFrom(await mailTo(h.mailbox, 'yamada@example.co.jp', /パスワード変更権限コード/));
    const { grant } = await stranger.ok('reset.verifyCode', { token: fresh.token, code: fresh.code });
    await stranger.ok('reset.complete', { grant, password: 'kaede-no-michi-2031', confirm: 'kaede-no-michi-2031' });
    expect((await kiosk(h.app).call('account.login', { jsaId: DEMO.jsaId, password: 'kaede-no-michi-2031' })).ok).toBe(true);
  });
});
