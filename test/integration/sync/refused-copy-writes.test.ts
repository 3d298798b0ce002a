// A copy central refuses (WD002, docs/operations-sync.md "refused copy") sends nothing, so a
// change made there never reaches central while the customer believes it done. Resets were
// refused there already (codes-at-online-counters.test.ts); login, マイページ's changes and the
// inquiry forms still ran locally: a password changed, an e-mail change confirmed (central
// refused the claim, so the copy decided alone) and forms taken for a staff queue they never
// reach. They now answer ASK_STAFF before anything is read or counted; マイページ still shows.
// Staff writes that travel (送信, 取消, 解除, a decision on a form) are refused in staff words
// (CONFLICT refused-copy, pointing to 同期の状態); looking things up goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import type { CallResult } from '../../../src-main/contract/errors';
import { createPasswordHasher } from '../../../src-main/services/password-hasher';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { addLock } from '../../../src-main/store/limits-repo';
import { kiosk, loginTestStaff, TEST_SCRYPT, type Kiosk } from '../support/test-app';
import { startCentral, type Central } from '../support/sync-central';
import { emailChangeCodeFromMaildrop, startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';
const PASSWORD = 'kawasemi-no-sora-2031';
const NEW_PASSWORD = 'yamasemi-no-kawa-2047';
const NEW_EMAIL = 'fukusei-new@example.co.jp';
const customer = { id: '0190a000-0000-7000-8000-00000000d001', jsaId: '76000000001', email: 'fukusei-login@example.co.jp' };
/** An account whose change, made at the copy, is the refused send that tells the copy it is one. */
const other = { id: '0190a000-0000-7000-8000-00000000d002', jsaId: '76000000002', email: 'fukusei-other@example.co.jp' };
/** The installation that holds the copied counter's identity at central (the PC the folder was copied from). */
const HOLDER = 'cd'.repeat(16);
const outcome = (r: CallResult<unknown>) => (r.ok ? 'OK' : r.error.code);

const unknownIdForm = { postalCode: '108-0073', address: '東京都港区三田3丁目13番12号', company: '株式会社複製', department: '総務部', name: '複製 花子', phone: '03-1234-5678', predecessorName: '', email: 'form@example.co.jp' };
const contactChangeForm = { postalCode: '530-0001', address: '大阪府大阪市北区梅田1-1-1', company: '株式会社複製', department: '技術部', predecessorName: '複製 一郎', newContactName: '複製 健', phone: '06-2345-6789', email: 'form2@example.co.jp' };

describe('at a copy central refuses', () => {
  let central: Central;
  let dir: TempDir;
  let copy: App;
  let session: Kiosk;
  let code: string;

  beforeAll(async () => {
    central = await startCentral();
    const hash = await createPasswordHasher(TEST_SCRYPT).hash(PASSWORD);
    for (const c of [customer, other]) {
      await central.query(
        `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, password_hash, password_changed_at, version, created_at, updated_at)
         VALUES ($1, $2, $3, $3, '複製 太郎', '株式会社複製', $4, '2020-01-01T00:00:00.000Z', 1, $5, $5)`,
        [c.id, c.jsaId, c.email, hash, NOW],
      );
    }
    dir = await makeTempDir('webdesk-refused-copy-');
    copy = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-r', centralUrl: await central.kioskUrl('kiosk_r') });
    await waitOnline(copy);
    // Logged in and an e-mail change asked for while the counter was still the identity's holder.
    session = kiosk(copy);
    await session.ok('account.login', { jsaId: customer.jsaId, password: PASSWORD });
    await session.ok('mypage.requestEmailChange', { currentPassword: PASSWORD, newEmail: NEW_EMAIL });
    code = await emailChangeCodeFromMaildrop(copy, NEW_EMAIL, new Set());
    // For the staff: an open reset request, a login lock and a form in the queue, all at central too.
    await kiosk(copy).ok('reset.request', { jsaId: other.jsaId, email: other.email, locale: 'ja' });
    await addLock(copy.db, other.id, 'login', 'too-many-login-failures', '2026-01-04T00:00:00.000Z');
    await kiosk(copy).ok('inquiry.jsaIdUnknown', unknownIdForm);
    await waitPushed(copy);
    // The identity now belongs to the PC this folder was copied from: the next send is refused.
    await central.query(`UPDATE kiosks SET instance = $1 WHERE kiosk_id = 'kiosk-r'`, [HOLDER]);
    await updateAccount(copy.db, other.id, { department: '複製の部署' }, '2026-01-05T00:00:00.000Z');
    await waitFor(async () => (copy.sync!.refusedInstallation ? true : undefined), { what: 'the copy refused (WD002)' });
  }, 120_000);

  afterAll(async () => {
    await copy?.close();
    await dir?.remove();
    await central?.stop();
  });

  const stored = async () => (await findAccountByJsaId(copy.db, customer.jsaId))!;

  it('a customer still sees マイページ, and is sent to staff for every change there, nothing changed at the copy', async () => {
    const before = await stored();
    expect((await session.call('mypage.profile', {})).ok).toBe(true);
    const answers = [
      await session.call('mypage.confirmEmailChange', { code }),
      await session.call('mypage.changePassword', { currentPassword: PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD }),
      await session.call('mypage.requestEmailChange', { currentPassword: PASSWORD, newEmail: 'fukusei-3@example.co.jp' }),
      await session.call('mypage.changeContactName', { contactName: '複製 次郎' }),
      await session.call('mypage.cancelEmailChange', {}),
    ].map(outcome);
    expect(answers).toEqual(['ASK_STAFF', 'ASK_STAFF', 'ASK_STAFF', 'ASK_STAFF', 'ASK_STAFF']);
    const after = await stored();
    expect({ email: after.email, password_hash: after.password_hash, contact_name: after.contact_name }).toEqual({ email: before.email, password_hash: before.password_hash, contact_name: before.contact_name });
    expect(await copy.db('contact_changes').where({ account_id: customer.id }).pluck('status')).toEqual(['pending']);
  }, 60_000);

  it('a customer is sent to staff at the login, with the right password or a wrong one, and no failure is counted', async () => {
    const right = await kiosk(copy).call('account.login', { jsaId: customer.jsaId, password: PASSWORD });
    const wrong = await kiosk(copy).call('account.login', { jsaId: customer.jsaId, password: 'chigau-pasuwaado-1' });
    expect([outcome(right), outcome(wrong)]).toEqual(['ASK_STAFF', 'ASK_STAFF']);
    expect(await copy.db('audit_log').whereIn('action', ['login.password-wrong', 'mypage.password-wrong', 'login.succeeded']).where({ subject: customer.jsaId }).pluck('action')).toEqual(['login.succeeded']);
  }, 60_000);

  it('a customer is sent to staff for the JSA-ID 不明 and 担当者変更 forms, and no further form is stored', async () => {
    const answers = [await kiosk(copy).call('inquiry.jsaIdUnknown', unknownIdForm), await kiosk(copy).call('inquiry.contactChange', contactChangeForm)].map(outcome);
    expect(answers).toEqual(['ASK_STAFF', 'ASK_STAFF']);
    expect(await copy.db('inquiries').count({ n: '*' }).first()).toEqual({ n: 1 });
    expect((await copy.sync!.status()).lastErrorCode).toBe('WD002');
  }, 60_000);

  it('staff still look things up, and 送信, 取消, 解除 and a decision on a form change nothing, said in their words', async () => {
    const staff = kiosk(copy);
    await loginTestStaff(copy, staff.session, 's-copy', 'admin');
    expect((await staff.call('staff.accounts.get', { accountId: other.id })).ok).toBe(true);
    const request = (await copy.db('reset_requests').where({ account_id: other.id, status: 'pending' }).first('id')) as { id: string };
    const inquiry = (await copy.db('inquiries').first('id')) as { id: string };
    const answers = [
      await staff.call('staff.reset.send', { accountId: customer.id }),
      await staff.call('staff.reset.cancel', { requestId: request.id }),
      await staff.call('staff.locks.lift', { accountId: other.id, kind: 'login' }),
      await staff.call('staff.inquiries.decide', { inquiryId: inquiry.id, decision: 'refuse', reasonTemplate: 'other' }),
    ].map((r) => (r.ok ? 'OK' : `${r.error.code} ${r.error.params?.reason ?? ''}`));
    expect(answers).toEqual(Array(4).fill('CONFLICT refused-copy'));
    expect(await copy.db('reset_requests').where({ id: request.id }).first('status')).toEqual({ status: 'pending' });
    expect(await copy.db('account_locks').where({ account_id: other.id, kind: 'login' }).whereNull('unlocked_at').count({ n: '*' }).first()).toEqual({ n: 1 });
    expect(await copy.db('inquiries').where({ id: inquiry.id }).first('status')).toEqual({ status: 'open' });
    expect(await copy.db('reset_requests').where({ account_id: customer.id }).count({ n: '*' }).first()).toEqual({ n: 0 });
  }, 60_000);
});
