import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { updateAccount } from '../../../src-main/store/accounts-repo';
import { addSyntheticAccounts } from '../../../src-main/services/synthetic-accounts';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { addAccount, startTestApp } from '../support/test-app';
import { readyAdmin, readyStaff, type StaffClient } from './staff-support';

let dir: TempDir;
let app: App;
let agent: StaffClient;

beforeAll(async () => {
  dir = await makeTempDir();
  app = await startTestApp({ dataDir: dir.path, startMailWorker: false });
  await addSyntheticAccounts(app.db, app.clock, 300);
  await addAccount(app, { jsaId: '45678901234', email: 'Kato.Keiko@Example.CO.JP', contactName: 'かとう けいこ', company: '(株)ひかり精機' });
  await app.db('accounts').where({ jsa_id: '45678901234' }).update({ phone: '045-111-2222' });
  const admin = await readyAdmin(app);
  agent = await readyStaff(app, admin, 'agent');
});
afterAll(async () => {
  await app.close();
  await dir.remove();
});

const jsaIdsFor = async (query: string, field: 'any' | 'jsaId' | 'email' | 'name' | 'company' | 'phone' = 'any') => {
  const result = await agent.ok('staff.accounts.search', { query, field, pageSize: 100 });
  expect(result.incomplete).toBeNull(); // standalone: no first sync to wait for
  return { total: result.total, last4: result.items.map((i) => i.maskedJsaId.slice(-4)) };
};

describe('account lookup', () => {
  it('finds by JSA-ID typed with full-width digits, spaces and hyphens', async () => {
    expect((await jsaIdsFor('１２３４５６７８９０１')).last4).toEqual(['8901']);
    expect((await jsaIdsFor('123-4567 8901')).last4).toEqual(['8901']);
  });

  it('finds by e-mail in any case and width', async () => {
    expect((await jsaIdsFor('ＫＡＴＯ．ｋｅｉｋｏ＠example.co.jp')).last4).toEqual(['1234']);
    expect((await jsaIdsFor('kato.kei', 'email')).last4).toEqual(['1234']);
  });

  it('finds a name typed in katakana, half-width katakana or hiragana, with or without the space', async () => {
    for (const q of ['カトウ ケイコ', 'ｶﾄｳｹｲｺ', 'かとうけいこ', 'けいこ', 'カトウ']) expect((await jsaIdsFor(q)).last4, q).toContain('1234');
    expect((await jsaIdsFor('田中　一郎')).last4).toEqual(['8901']);
    expect((await jsaIdsFor('一郎', 'name')).last4).toContain('8901');
  });

  it('finds a company without its legal form, as (株), ㈱ or 株式会社, and by a part of the name', async () => {
    for (const q of ['ヒカリ精機', '株式会社ひかり精機', '㈱ヒカリ精機', 'ｶﾌﾞｼｷｶﾞｲｼｬ', 'かり精']) {
      const found = await jsaIdsFor(q, q === 'ｶﾌﾞｼｷｶﾞｲｼｬ' ? 'company' : 'any');
      if (q === 'ｶﾌﾞｼｷｶﾞｲｼｬ') expect(found.total, q).toBe(0);
      else expect(found.last4, q).toContain('1234');
    }
    expect((await jsaIdsFor('サンプル商事')).last4).toContain('8901');
  });

  it('finds a phone number with or without hyphens, in full width, or by its last four digits', async () => {
    for (const q of ['045-111-2222', '０４５１１１２２２２', '2222']) expect((await jsaIdsFor(q, q === '2222' ? 'phone' : 'any')).last4, q).toContain('1234');
  });

  it('pages through many matches in JSA-ID order with a total', async () => {
    const first = await agent.ok('staff.accounts.search', { query: '9000000', page: 1, pageSize: 20 });
    const second = await agent.ok('staff.accounts.search', { query: '9000000', page: 2, pageSize: 20 });
    expect(first.total).toBe(300);
    expect(first.items).toHaveLength(20);
    expect(first.items.at(-1)!.maskedJsaId < second.items[0]!.maskedJsaId).toBe(true);
  });

  it('finds an account by its new name right after the row changes, whoever changed it', async () => {
    const row = (await app.db('accounts').where({ jsa_id: '90000000007' }).first()) as { id: string };
    await updateAccount(app.db, row.id, { contact_name: '渡部 ゆうき' }, new Date().toISOString());
    expect((await jsaIdsFor('ユウキ')).last4).toEqual(['0007']);
    // A raw write that bypasses the repository is caught by the trigger too.
    await app.db('accounts').where({ id: row.id }).update({ company: '株式会社あおぞら工房' });
    expect((await jsaIdsFor('アオゾラ')).last4).toEqual(['0007']);
  });

  it('shows JSA-ID and e-mail masked; revealing them records the identity document checked', async () => {
    const hit = (await agent.ok('staff.accounts.search', { query: '45678901234' })).items[0]!;
    expect(hit.maskedJsaId).toBe('•••••••1234');
    expect(hit.maskedEmail).not.toContain('kato.keiko');
    const detail = await agent.ok('staff.accounts.get', { accountId: hit.accountId });
    expect(JSON.stringify(detail)).not.toContain('45678901234'.slice(0, 7));
    const revealed = await agent.ok('staff.accounts.revealIdentity', { accountId: hit.accountId, document: 'driver-license', note: '窓口で確認' });
    expect(revealed).toEqual({ jsaId: '45678901234', email: 'Kato.Keiko@Example.CO.JP' });
    const entry = (await app.db('audit_log').where({ action: 'staff.identity-revealed' }).first()) as { subject: string; detail_json: string };
    expect(entry.subject).toBe('45678901234');
    expect(JSON.parse(entry.detail_json)).toMatchObject({ document: 'driver-license' });
    const history = await agent.ok('staff.accounts.get', { accountId: hit.accountId });
    expect(history.history.map((h) => h.action)).toContain('staff.identity-revealed');
  });
});
