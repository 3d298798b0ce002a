// npm run accounts:import: the CSV formats Japanese offices really send (UTF-8, UTF-8 with
// BOM from Excel, Shift_JIS/CP932), bad rows reported by line, good rows kept, upsert by ID.
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { importAccountsCsv } from '../../src-main/services/account-import';
import { searchAccounts, staleSearchRows } from '../../src-main/store/account-search-repo';
import { findAccountByJsaId } from '../../src-main/store/accounts-repo';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp } from './support/test-app';

const header = 'jsa_id,email,contact_name,company,department,address,phone';

describe('accounts:import', () => {
  let app: App;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    const dir = await makeTempDir('webdesk-import-');
    cleanup = dir.remove;
    app = await startTestApp({ dataDir: dir.path, startMailWorker: false });
  });
  afterEach(async () => {
    await app.close();
    await cleanup();
  });

  it('imports UTF-8 with a BOM, folds full-width digits and keeps the good rows beside the bad', async () => {
    const csv = [
      header,
      '５５５５５５５５５５５,Yamada@Example.co.jp,山田 太郎,株式会社テスト,総務部,東京都千代田区1-1,03-0000-0000',
      '1234,bad@example.co.jp,短い,会社,部,住所,0',
      '55555555556,not-an-email,名前,会社,部,住所,0',
      '55555555557,ok@example.co.jp,"佐藤, 花子",有限会社さんぷる,技術部,"大阪府, 北区",06-1111-2222',
    ].join('\r\n');
    const staleBefore = await staleSearchRows(app.db);
    const report = await importAccountsCsv(app.db, app.clock, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]), 'test');
    expect(report).toMatchObject({ encoding: 'utf-8', inserted: 2, updated: 0 });
    expect(report.rejected).toEqual([
      { line: 3, reason: 'jsa_id: jsaId.length {"digits":4}' },
      { line: 4, reason: 'email: email.format' },
    ]);
    const yamada = await findAccountByJsaId(app.db, '55555555555');
    expect(yamada).toMatchObject({ email_norm: 'yamada@example.co.jp', contact_name: '山田 太郎', company: '株式会社テスト' });
    expect((await findAccountByJsaId(app.db, '55555555557'))?.contact_name).toBe('佐藤, 花子');
    // The import folded the search keys of what it wrote: nothing waits for the first search
    // (the demo accounts, whose keys were waiting, went with the first real import).
    expect(staleBefore).toBeGreaterThan(0);
    expect(await staleSearchRows(app.db)).toBe(0);
    expect((await searchAccounts(app.db, 'サンプル', 'any', 1, 20)).rows.map((r) => r.jsa_id)).toContain('55555555557');
  });

  it('reads Shift_JIS (CP932) as Excel saves it', async () => {
    const csv = `${header}\n66666666666,sjis@example.co.jp,髙橋 ①,株式会社ＳＪＩＳ,品質保証部,神奈川県横浜市,045-000-0000\n`;
    const report = await importAccountsCsv(app.db, app.clock, iconv.encode(csv, 'cp932'), 'test');
    expect(report).toMatchObject({ encoding: 'shift_jis', inserted: 1, rejected: [] });
    const row = await findAccountByJsaId(app.db, '66666666666');
    // NFKC folds ① and full-width Latin letters, as every other field we store.
    expect(row).toMatchObject({ contact_name: '髙橋 1', company: '株式会社SJIS' });
  });

  it('updates an existing JSA-ID instead of adding a second row, and bumps its version', async () => {
    await importAccountsCsv(app.db, app.clock, Buffer.from(`${header}\n12345678900,tanaka@example.co.jp,田中 一郎,株式会社サンプル商事,品質保証部,東京都港区,03-1234-5678\n`), 'test');
    await app.db('accounts').where({ jsa_id: '12345678900' }).update({ password_hash: 'scrypt$kept' });
    const before = await findAccountByJsaId(app.db, '12345678900');
    const csv = `${header}\n12345678900,new-tanaka@example.co.jp,田中 一郎,株式会社サンプル商事,品質保証部,東京都港区,03-1234-5678\n`;
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), 'test');
    expect(report).toMatchObject({ inserted: 0, updated: 1 });
    const after = await findAccountByJsaId(app.db, '12345678900');
    expect(after?.id).toBe(before?.id);
    expect(after?.email_norm).toBe('new-tanaka@example.co.jp');
    expect(after?.version).toBe((before?.version ?? 0) + 1);
    // The password is untouched by an import.
    expect(after?.password_hash).toBe(before?.password_hash);
    // The search keys follow the new values, folded by the import itself.
    expect(await app.db('account_search').where({ account_id: before?.id }).first('stale')).toEqual({ stale: 0 });
    expect((await searchAccounts(app.db, 'new-tanaka@example.co.jp', 'email', 1, 20)).rows.map((r) => r.id)).toEqual([before?.id]);
  });

  it('reports a missing column on line 1 and imports nothing', async () => {
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from('jsa_id,email\n77777777777,a@example.co.jp\n'), 'test');
    expect(report.inserted).toBe(0);
    expect(report.rejected).toEqual([{ line: 1, reason: 'missing column(s): contact_name, company, department, address, phone' }]);
  });

  it('reports a JSA-ID repeated inside one file by the line of its first use', async () => {
    const csv = `${header}\n88888888888,a@example.co.jp,,,,,\n88888888888,b@example.co.jp,,,,,\n`;
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), 'test');
    expect(report.inserted).toBe(1);
    expect(report.rejected).toEqual([{ line: 3, reason: 'jsa_id: duplicate of line 2' }]);
  });
});
