import { describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import { AuditEntries, type AuditEntry } from '../../../src-renderer/staff/audit-words';
import { mount } from './mount';

/** Japanese punctuation an English screen must not show (names and the seed's labels hold none here). */
const FULL_WIDTH_PUNCTUATION = /[：（）／・、。「」【】]/;

const admin = { code: 'staff:0001', kind: 'staff' as const, displayName: '管理者', username: 'admin', disabled: false };
const entry = (seq: number, action: string, subject: string | null, fields: Array<[string, string]>): AuditEntry => ({
  seq,
  at: '2026-12-07T12:48:47.000Z',
  actor: admin.code,
  actorView: admin,
  action,
  subject,
  subjectView: null,
  fields: fields.map(([key, value]) => ({ key, value })),
});

// As services/settings-service.ts and services/ops/retention.ts write them (detailFields: nested keys joined with ".").
const rows = [
  entry(3, 'settings.changed', 'staffSessionMinutes', [['from', '15'], ['to', '1']]),
  entry(2, 'settings.changed', 'limits', [['from.perAccountPerHour', '5'], ['to.perAccountPerHour', '100']]),
  entry(1, 'retention.purged', null, [
    ['resetRequests', '0'],
    ['attemptRecords', '2'],
    ['mailSecrets', '1'],
    ['mail', '0'],
    ['maildropFiles', '0'],
    ['auditEntries', '0'],
  ]),
];

describe('監査ログ names settings and purge counts in words', () => {
  test('in Japanese: the setting as 設定 labels it, 変更前・<label>：<value>', async () => {
    await mount(<AuditEntries caption="監査ログ" rows={rows} withSubject empty="なし" />);
    const table = page.getByRole('table');
    const row = (n: number) => table.getByRole('row').nth(n);
    await expect.element(row(1)).toHaveTextContent('スタッフログインの有効時間（分）');
    await expect.element(row(1)).toHaveTextContent('変更前：15');
    await expect.element(row(2)).toHaveTextContent('回数の上限');
    await expect.element(row(2)).toHaveTextContent('変更前・1 アカウントあたりの依頼数（1 時間）：5');
    await expect.element(row(3)).toHaveTextContent('削除した試行記録：2');
    await expect.element(row(3)).toHaveTextContent('削除した監査ログ：0');
    const text = table.element().textContent!;
    for (const raw of ['staffSessionMinutes', 'limits', 'perAccountPerHour', 'resetRequests', 'attemptRecords', 'mailSecrets', 'maildropFiles', 'auditEntries']) expect(text).not.toContain(raw);
  });

  test('in English: words and ASCII punctuation, Before / <label>: <value>', async () => {
    const { i18n } = await mount(<AuditEntries caption="Audit log" rows={rows} withSubject empty="none" />);
    await i18n.changeLanguage('en');
    const table = page.getByRole('table');
    const row = (n: number) => table.getByRole('row').nth(n);
    await expect.element(row(1)).toHaveTextContent('Staff login lasts (minutes)');
    await expect.element(row(1)).toHaveTextContent('管理者 (admin)');
    await expect.element(row(2)).toHaveTextContent('Before / Requests per account per hour:5');
    await expect.element(row(3)).toHaveTextContent('Attempt records deleted:2');
    expect(table.element().textContent).not.toMatch(FULL_WIDTH_PUNCTUATION);
  });
});

// As services/sync/pusher.ts (sync.value-replaced) and sync-handlers.ts (sync.conflict-resolved) write them: column names joined with ", ".
const syncRows = [
  entry(2, 'sync.value-replaced', '11111111111', [['fields', 'company, contact_name']]),
  entry(1, 'sync.conflict-resolved', null, [['conflict', '7'], ['changed', 'email, phone']]),
];

describe('監査ログ names the columns a sync entry lists in words', () => {
  test('in Japanese: 会社名、担当者名, not the columns of the store', async () => {
    await mount(<AuditEntries caption="監査ログ" rows={syncRows} withSubject empty="なし" />);
    const table = page.getByRole('table');
    await expect.element(table.getByRole('row').nth(1)).toHaveTextContent('置き換えた項目：会社名、担当者名');
    await expect.element(table.getByRole('row').nth(2)).toHaveTextContent('メールアドレス、電話番号');
    const text = table.element().textContent!;
    for (const raw of ['company', 'contact_name', 'email', 'phone']) expect(text).not.toContain(raw);
  });

  test('in English: Company, Contact name', async () => {
    const { i18n } = await mount(<AuditEntries caption="Audit log" rows={syncRows} withSubject empty="none" />);
    await i18n.changeLanguage('en');
    const table = page.getByRole('table');
    await expect.element(table.getByRole('row').nth(1)).toHaveTextContent('Replaced in:Company, Contact name');
    await expect.element(table.getByRole('row').nth(2)).toHaveTextContent('E-mail address, Phone');
    expect(table.element().textContent).not.toMatch(FULL_WIDTH_PUNCTUATION);
  });
});

// As detailFields gives an array (inquiry.override's refuseBecause): its entries, joined by the screen.
const listRows = [{ ...entry(1, 'inquiry.override', null, []), fields: [{ key: 'refuseBecause', value: 'Tokyo, Osaka', items: ['Tokyo', 'Osaka'] }] }];

describe('監査ログ joins a list in the detail with the language separator', () => {
  test('in Japanese: 「、」', async () => {
    await mount(<AuditEntries caption="監査ログ" rows={listRows} withSubject empty="なし" />);
    await expect.element(page.getByRole('table').getByRole('row').nth(1)).toHaveTextContent('Tokyo、Osaka');
  });

  test('in English: ", ", no full-width punctuation', async () => {
    const { i18n } = await mount(<AuditEntries caption="Audit log" rows={listRows} withSubject empty="none" />);
    await i18n.changeLanguage('en');
    const table = page.getByRole('table');
    await expect.element(table.getByRole('row').nth(1)).toHaveTextContent('Tokyo, Osaka');
    expect(table.element().textContent).not.toMatch(FULL_WIDTH_PUNCTUATION);
  });
});

// As services/sync/puller.ts writes it: a code, never SQLite's sentence.
const refusedRows = [entry(1, 'sync.pull-refused', '55555555555', [['refusal', 'jsa-id-taken']])];

describe('監査ログ says why a pulled row was refused in words', () => {
  test('in Japanese', async () => {
    await mount(<AuditEntries caption="監査ログ" rows={refusedRows} withSubject empty="なし" />);
    await expect.element(page.getByRole('table').getByRole('row').nth(1)).toHaveTextContent('理由：この端末でまだ中央に送っていない別のアカウントが、同じ JSA-ID を使っています');
  });

  test('in English', async () => {
    const { i18n } = await mount(<AuditEntries caption="Audit log" rows={refusedRows} withSubject empty="none" />);
    await i18n.changeLanguage('en');
    const table = page.getByRole('table');
    await expect.element(table.getByRole('row').nth(1)).toHaveTextContent('Reason:Another account on this counter, not yet sent to central, has the same JSA-ID');
    expect(table.element().textContent).not.toContain('jsa-id-taken');
  });
});

// Codes the counter writes as a reason (account-service.ts, demo-accounts-repo.ts) and the identity fields of an override.
const codedRows = [
  entry(3, 'login.unlocked', '11111111111', [['reason', 'password-registered']]),
  entry(2, 'demo-data.removed', null, [['accounts', '3'], ['reason', 'import']]),
  { ...entry(1, 'inquiry.override', '11111111111', [['reason', '運転免許証で確認']]), fields: [{ key: 'refuseBecause', value: 'address, company', items: ['address', 'company'] }, { key: 'reason', value: '運転免許証で確認' }] },
];

describe('監査ログ names the codes a detail holds in words, and leaves typed text as typed', () => {
  test('in Japanese', async () => {
    await mount(<AuditEntries caption="監査ログ" rows={codedRows} withSubject empty="なし" />);
    const row = (n: number) => page.getByRole('table').getByRole('row').nth(n);
    await expect.element(row(1)).toHaveTextContent('理由：パスワードを登録したため');
    await expect.element(row(2)).toHaveTextContent('理由：アカウントの取り込み');
    await expect.element(row(3)).toHaveTextContent('不一致の項目：ご住所、会社名');
    await expect.element(row(3)).toHaveTextContent('理由：運転免許証で確認');
    const text = page.getByRole('table').element().textContent!;
    for (const raw of ['password-registered', 'import', 'address', 'company']) expect(text).not.toContain(raw);
  });

  test('in English', async () => {
    const { i18n } = await mount(<AuditEntries caption="Audit log" rows={codedRows} withSubject empty="none" />);
    await i18n.changeLanguage('en');
    const row = (n: number) => page.getByRole('table').getByRole('row').nth(n);
    await expect.element(row(1)).toHaveTextContent('Reason:A password was registered');
    await expect.element(row(2)).toHaveTextContent('Reason:Account import');
    await expect.element(row(3)).toHaveTextContent('Differs in:Address, Company');
  });
});
