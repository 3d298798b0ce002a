import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import type { ApiClient, ImportJobView } from '../../../src-main/contract';
import { ApiProvider } from '../../../src-renderer/api/api-context';
import { AccountImportPage } from '../../../src-renderer/staff/AccountImportPage';
import { StaffSessionProvider, type StaffMe } from '../../../src-renderer/staff/staff-session';
import { mount } from './mount';

const admin: StaffMe = { staffId: 's1', username: 'admin1', displayName: '管理 一郎', role: 'admin', mustChangePassword: false, sessionMinutes: 30, minPasswordLength: 12 };
const maxBytes = 256 * 1024 * 1024;
const empty: ImportJobView = { file: null, run: null, maxBytes };
const chosen: ImportJobView = {
  ...empty,
  file: { name: 'accounts.csv', bytes: 4_000, encoding: 'shift_jis', columns: ['jsa_id', 'email'], rows: [], missingColumns: [], chosenAt: '2026-12-07T01:00:00.000Z', chosenBy: '管理 一郎', chosenByUser: 'admin1' },
};

/**
 * The browser's XMLHttpRequest, stood in for: the test says how far the upload has gone and
 * when the answer comes, so "the file is on its way, 40 % sent" is a state the test holds.
 */
class HeldUpload {
  static sent: HeldUpload[] = [];
  readonly upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  responseText = '';
  withCredentials = false;
  url = '';
  readonly headers: Record<string, string> = {};
  body: Blob | null = null;
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: Blob) {
    this.body = body;
    HeldUpload.sent.push(this);
  }
  progress(loaded: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total: this.body!.size } as ProgressEvent);
  }
  answer(body: unknown) {
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

const realXhr = window.XMLHttpRequest;
beforeEach(() => {
  HeldUpload.sent = [];
  window.XMLHttpRequest = HeldUpload as unknown as typeof XMLHttpRequest;
});
afterEach(() => {
  window.XMLHttpRequest = realXhr;
});

function client(calls: Array<[string, unknown]>): ApiClient {
  return {
    call: (name, input) => {
      calls.push([name, input]);
      if (name === 'accounts.import.status') return Promise.resolve(empty as never);
      if (name === 'accounts.import.beginUpload') return Promise.resolve({ ticket: 'ticket-1', fileName: 'accounts.csv', maxBytes } as never);
      return Promise.reject(new Error(`unexpected call ${name}`));
    },
  };
}

async function chooseAndSend(calls: Array<[string, unknown]>) {
  const mounted = await mount(
    <ApiProvider client={client(calls)}>
      <StaffSessionProvider me={admin} onMe={() => undefined} onLost={() => undefined} onLogout={() => undefined}>
        <AccountImportPage />
      </StaffSessionProvider>
    </ApiProvider>,
  );
  const input = page.getByLabelText('取り込む CSV ファイル');
  await expect.element(input).toBeVisible();
  const files = new DataTransfer();
  files.items.add(new File(['x'.repeat(4_000)], 'accounts.csv', { type: 'text/csv' }));
  (input.element() as HTMLInputElement).files = files.files;
  await page.getByRole('button', { name: 'このファイルを読み込む' }).click();
  await expect.poll(() => HeldUpload.sent.length).toBe(1);
  return { ...mounted, upload: HeldUpload.sent[0]! };
}

describe('「アカウントの取り込み」 in web mode: the upload says how far it has gone', () => {
  test('percent sent in a status line, ja and en; the chosen file once the main process has it', async () => {
    const calls: Array<[string, unknown]> = [];
    const { upload, i18n } = await chooseAndSend(calls);
    expect(calls).toContainEqual(['accounts.import.beginUpload', { fileName: 'accounts.csv', bytes: 4_000 }]);
    expect(upload.url).toBe('/api/upload/ticket-1');
    expect(upload.headers['X-Webdesk-Request']).toBe('1');
    const status = page.getByRole('status').filter({ hasText: 'ファイルを読み込んでいます' });
    await expect.element(status).toHaveTextContent('ファイルを読み込んでいます（0%）…');
    upload.progress(1_600);
    await expect.element(status).toHaveTextContent('ファイルを読み込んでいます（40%）…');
    // The button cannot send a second file while this one goes.
    await expect.element(page.getByRole('button', { name: 'このファイルを読み込む' })).toBeDisabled();
    await i18n.changeLanguage('en');
    await expect.element(page.getByRole('status').filter({ hasText: 'Reading the file' })).toHaveTextContent('Reading the file (40%)…');
    upload.progress(4_000);
    await expect.element(page.getByRole('status').filter({ hasText: 'Reading the file' })).toHaveTextContent('Reading the file (100%)…');
    await i18n.changeLanguage('ja');
    upload.answer({ ok: true, value: chosen });
    await expect.element(page.getByTestId('import-file')).toHaveTextContent('accounts.csv');
    await expect.element(page.getByText('ファイルを読み込んでいます', { exact: false })).not.toBeInTheDocument();
  });

  test('a broken connection ends the progress line with an alert, and the file can be sent again', async () => {
    const { upload } = await chooseAndSend([]);
    upload.progress(2_000);
    await expect.element(page.getByRole('status').filter({ hasText: 'ファイルを読み込んでいます' })).toHaveTextContent('（50%）');
    upload.onerror?.();
    await expect.element(page.getByRole('alert')).toBeVisible();
    await expect.element(page.getByText('ファイルを読み込んでいます', { exact: false })).not.toBeInTheDocument();
    await expect.element(page.getByRole('button', { name: 'このファイルを読み込む' })).toBeEnabled();
  });
});

describe('「アカウントの取り込み」 with a UTF-16 file chosen', () => {
  test('says the file is UTF-16 and how to save it again, not that the header lacks its columns, in Japanese and English', async () => {
    const utf16: ImportJobView = { ...empty, file: { ...chosen.file!, encoding: null, columns: [], missingColumns: ['jsa_id', 'email', 'contact_name', 'company', 'department', 'address', 'phone'], utf16: true } };
    const calls: Array<[string, unknown]> = [];
    const { i18n } = await mount(
      <ApiProvider client={{ call: (name, input) => (calls.push([name, input]), name === 'accounts.import.status' ? Promise.resolve(utf16 as never) : Promise.reject(new Error(`unexpected call ${name}`))) }}>
        <StaffSessionProvider me={admin} onMe={() => undefined} onLost={() => undefined} onLogout={() => undefined}>
          <AccountImportPage />
        </StaffSessionProvider>
      </ApiProvider>,
    );
    await expect.element(page.getByTestId('import-encoding')).toHaveTextContent('UTF-16');
    const alert = page.getByRole('alert').filter({ hasText: 'UTF-16' });
    await expect.element(alert).toHaveTextContent('このファイルは UTF-16（Excel の「Unicode テキスト」）で保存されていて、読めません。Excel で「CSV UTF-8 (コンマ区切り)」か「CSV (コンマ区切り)」を選んで保存し直してください。');
    await expect.element(page.getByText('見出し行に', { exact: false })).not.toBeInTheDocument();
    await i18n.changeLanguage('en');
    await expect.element(page.getByRole('alert').filter({ hasText: 'UTF-16' })).toHaveTextContent('This file is saved as UTF-16 (Excel’s “Unicode Text”), which cannot be read.');
  });
});
