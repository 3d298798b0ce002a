import { describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import { CallAlert } from '../../../src-renderer/staff/ui';
import { mount } from './mount';

describe('a refusal said to staff', () => {
  test('names the role that may do it, in Japanese and English, not the customer’s 「係員にお声がけください」', async () => {
    const { i18n } = await mount(<CallAlert error={{ code: 'FORBIDDEN', params: { role: 'supervisor' } }} />);
    const alert = page.getByRole('alert');
    await expect.element(alert).toHaveTextContent('この操作は責任者が行います。責任者に依頼してください。');
    await expect.element(alert).not.toHaveTextContent('係員にお声がけください');
    await i18n.changeLanguage('en');
    await expect.element(alert).toHaveTextContent('This is done by a supervisor. Please ask a supervisor.');
  });

  test('says an administrator for an admin’s call, and stays staff-worded without a role', async () => {
    await mount(
      <>
        <CallAlert error={{ code: 'FORBIDDEN', params: { role: 'admin' } }} />
        <CallAlert error={{ code: 'FORBIDDEN' }} />
      </>,
    );
    await expect.element(page.getByRole('alert').first()).toHaveTextContent('この操作は管理者が行います。');
    await expect.element(page.getByRole('alert').last()).toHaveTextContent('この操作を行う権限がありません。責任者に確認してください。');
  });

  test('tells a staff user at login that their one-time password expired and who issues a new one', async () => {
    const { i18n } = await mount(<CallAlert error={{ code: 'LOGIN_FAILED', params: { reason: 'one-time-password-expired', hours: 72 } }} />);
    const alert = page.getByRole('alert');
    await expect.element(alert).toHaveTextContent('このワンタイムパスワードは有効期限（発行から 72 時間）が切れています。管理者に「パスワード再発行」を依頼してください。');
    await i18n.changeLanguage('en');
    await expect.element(alert).toHaveTextContent('This one-time password has expired (it is valid for 72 hours after it is issued). Ask an admin for a “New one-time password”.');
  });

  test('says why a conflict will not go away by trying again (the last admin), and stays generic for others', async () => {
    const { i18n } = await mount(
      <>
        <CallAlert error={{ code: 'CONFLICT', params: { reason: 'last-admin' } }} />
        <CallAlert error={{ code: 'CONFLICT', params: { reason: 'something-new' } }} />
      </>,
    );
    await expect.element(page.getByRole('alert').first()).toHaveTextContent('この変更を行うと、ログインできる管理者がいなくなります。先に別のユーザーを管理者にしてください。');
    await expect.element(page.getByRole('alert').last()).toHaveTextContent('ほかの操作と重なったため、完了できませんでした。もう一度お試しください。');
    await i18n.changeLanguage('en');
    await expect.element(page.getByRole('alert').first()).toHaveTextContent('This change would leave no admin who can log in. Make another user an admin first.');
  });

  test('says why an admin cannot take their own admin role, and that a password was already changed by a twin submit', async () => {
    const { i18n } = await mount(
      <>
        <CallAlert error={{ code: 'CONFLICT', params: { reason: 'own-admin' } }} />
        <CallAlert error={{ code: 'CONFLICT', params: { reason: 'password-changed' } }} />
      </>,
    );
    const [own, changed] = [0, 1].map((i) => page.getByRole('alert').nth(i));
    await expect.element(own!).toHaveTextContent('ご自身の管理者の役割を外すことや、ご自身を無効にすることはできません。');
    await expect.element(changed!).toHaveTextContent('パスワードは、同時に送られた別の「変更」ですでに変更されています。');
    for (const alert of [own, changed]) await expect.element(alert!).not.toHaveTextContent('ほかの操作と重なった');
    await i18n.changeLanguage('en');
    await expect.element(own!).toHaveTextContent('You cannot take the admin role from yourself or disable yourself.');
    await expect.element(changed!).toHaveTextContent('The password was already changed by another “Change” sent at the same time.');
  });

  test('says which newer change a stale staff screen met: a new lock, a changed candidate, a dead code', async () => {
    const { i18n } = await mount(
      <>
        <CallAlert error={{ code: 'CONFLICT', params: { reason: 'lock-changed' } }} />
        <CallAlert error={{ code: 'CONFLICT', params: { reason: 'candidate-changed' } }} />
        <CallAlert error={{ code: 'CONFLICT', params: { reason: 'mail-code-closed' } }} />
      </>,
    );
    const [lock, candidate, code] = [0, 1, 2].map((i) => page.getByRole('alert').nth(i));
    await expect.element(lock!).toHaveTextContent('お客様の操作でまた停止されたため、解除しませんでした。');
    await expect.element(candidate!).toHaveTextContent('ほかの画面で変更されたため、承認しませんでした。');
    await expect.element(code!).toHaveTextContent('再送しませんでした。');
    await i18n.changeLanguage('en');
    await expect.element(lock!).toHaveTextContent('Not unlocked: after you opened this screen, this lock was lifted and the customer');
    await expect.element(candidate!).toHaveTextContent('Not approved:');
    await expect.element(code!).toHaveTextContent('Not sent again:');
  });

  test('tells a clerk what to do about a locked reset path, a locked staff login or a missing record, not the customer’s 「係員にお声がけください」', async () => {
    const { i18n } = await mount(
      <>
        <CallAlert error={{ code: 'RESET_LOCKED' }} />
        <CallAlert error={{ code: 'LOGIN_LOCKED' }} />
        <CallAlert error={{ code: 'NOT_FOUND' }} />
        <CallAlert error={{ code: 'INTERNAL' }} />
      </>,
    );
    const [resetLocked, loginLocked, notFound, internal] = [0, 1, 2, 3].map((i) => page.getByRole('alert').nth(i));
    for (const alert of [resetLocked, loginLocked, notFound, internal]) await expect.element(alert!).not.toHaveTextContent('係員にお声がけください');
    await expect.element(resetLocked!).toHaveTextContent('「パスワード再設定の停止を解除」');
    await expect.element(loginLocked!).toHaveTextContent('管理者に「ロック解除」を依頼してください');
    await expect.element(notFound!).toHaveTextContent('一覧に戻って');
    await i18n.changeLanguage('en');
    await expect.element(resetLocked!).not.toHaveTextContent('Please ask the staff');
    await expect.element(loginLocked!).toHaveTextContent('Ask an admin to unlock it');
  });

  test('names a damaged or unreadable secrets file and what to do about it, not 「つながりにくく」', async () => {
    const { i18n } = await mount(
      <>
        <CallAlert error={{ code: 'UNAVAILABLE', params: { reason: 'secrets-damaged', file: 'secrets.json' } }} />
        <CallAlert error={{ code: 'UNAVAILABLE', params: { reason: 'secrets-unreadable', file: 'secrets.safe.json' } }} />
      </>,
    );
    const damaged = page.getByRole('alert').first();
    const unreadable = page.getByRole('alert').last();
    await expect.element(damaged).toHaveTextContent('データフォルダの secrets.json（SMTP と中央データベースのパスワード、コードの鍵を保管するファイル）が壊れているため');
    await expect.element(damaged).toHaveTextContent('何も変更していません。バックアップのコピーを戻すか');
    await expect.element(unreadable).toHaveTextContent('secrets.safe.json');
    await expect.element(unreadable).toHaveTextContent('ファイルの所有者と権限を直してください');
    await expect.element(damaged).not.toHaveTextContent('つながりにくく');
    await i18n.changeLanguage('en');
    await expect.element(damaged).toHaveTextContent('secrets.json in the data folder (it keeps the SMTP and central database passwords and the code keys) is damaged');
    await expect.element(unreadable).toHaveTextContent('cannot be read, so this could not be completed. Nothing was changed.');
  });

  test('tells staff the data folder’s disk is full or not writable, with its code', async () => {
    const { i18n } = await mount(<CallAlert error={{ code: 'UNAVAILABLE', params: { reason: 'storage', errno: 'SQLITE_FULL' } }} />);
    const alert = page.getByRole('alert');
    await expect.element(alert).toHaveTextContent('データフォルダのディスクがいっぱいか、書き込めないため、保存できませんでした（SQLITE_FULL）。ディスクの空き容量とデータフォルダの権限を確認してください。');
    await i18n.changeLanguage('en');
    await expect.element(alert).toHaveTextContent("Nothing was saved: the data folder's disk is full or cannot be written (SQLITE_FULL).");
  });
});
