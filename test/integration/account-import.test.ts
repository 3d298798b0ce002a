// npm run accounts:import: the CSV formats Japanese offices really send (UTF-8, UTF-8 with
// BOM from Excel, Shift_JIS/CP932, CRLF, line breaks in quotes), streamed in batches, bad
// rows reported by line in the forms' words, good rows kept, upsert by ID.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app/create-app';
import { addressField, companyField, personNameField } from '../../src-main/contract/contact-fields';
import { importReasonText } from '../../src-main/contract/import-messages';
import { importAccounts, importAccountsCsv, type RejectedRow } from '../../src-main/services/account-import';
import { searchAccounts, staleSearchRows } from '../../src-main/store/account-search-repo';
import { countAccounts, findAccountByJsaId } from '../../src-main/store/accounts-repo';
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { setAsideSearchIndexCount, setAsideSearchIndexesRecorded } from '../../src-main/store/account-search-fold';
import { accountCsvRow, writeAccountCsv } from '../support/account-csv';
import { makeTempDir } from '../support/temp-dir';
import { kiosk, startTestApp } from './support/test-app';

const header = 'jsa_id,email,contact_name,company,department,address,phone';
const DEMO_ACCOUNTS = 3;

describe('accounts:import', () => {
  let app: App;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    const temp = await makeTempDir('webdesk-import-');
    cleanup = temp.remove;
    dir = temp.path;
    app = await startTestApp({ dataDir: join(dir, 'data'), startMailWorker: false });
  });
  afterEach(async () => {
    await app.close();
    await cleanup();
  });

  it('imports UTF-8 with a BOM, folds full-width digits and keeps the good rows beside the bad, with reasons in the forms’ words', async () => {
    const csv = [
      header,
      '５５５５５５５５５５５,Yamada@Example.co.jp,山田 太郎,株式会社テスト,総務部,東京都千代田区1-1,03-0000-0000',
      '1234,bad@example.co.jp,短い,会社,部,住所,0',
      '55555555556,not-an-email,名前,会社,部,住所,0',
      '55555555557,ok@example.co.jp,"佐藤, 花子",有限会社さんぷる,技術部,"大阪府, 北区",06-1111-2222',
    ].join('\r\n');
    const staleBefore = await staleSearchRows(app.db);
    const report = await importAccountsCsv(app.db, app.clock, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]), { actor: 'test' });
    expect(report).toMatchObject({ encoding: 'utf-8', inserted: 2, updated: 0, unchanged: 0, rejected: 2, rows: 4, demoRemoved: DEMO_ACCOUNTS });
    expect(report.problems.map((p) => [p.line, importReasonText('ja', p.issues), importReasonText('en', p.issues)])).toEqual([
      [3, 'JSA-ID は 11 桁です。いま 4 桁入力されています。', 'A JSA-ID has 11 digits. You entered 4.'],
      [4, 'メールアドレスの形式が正しくありません（例：XXXX@XXX.co.jp）。', 'The email address is not in a valid form (for example XXXX@XXX.co.jp).'],
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
    const report = await importAccountsCsv(app.db, app.clock, iconv.encode(csv, 'cp932'), { actor: 'test' });
    expect(report).toMatchObject({ encoding: 'shift_jis', inserted: 1, rejected: 0 });
    const row = await findAccountByJsaId(app.db, '66666666666');
    // NFKC folds ① and full-width Latin letters, as every other field we store.
    expect(row).toMatchObject({ contact_name: '髙橋 1', company: '株式会社SJIS' });
  });

  it('updates an existing JSA-ID instead of adding a second row, bumps its version once, and a second run changes nothing', async () => {
    await importAccountsCsv(app.db, app.clock, Buffer.from(`${header}\n12345678900,tanaka@example.co.jp,田中 一郎,株式会社サンプル商事,品質保証部,東京都港区,03-1234-5678\n`), { actor: 'test' });
    await app.db('accounts').where({ jsa_id: '12345678900' }).update({ password_hash: 'scrypt$kept' });
    const before = await findAccountByJsaId(app.db, '12345678900');
    const csv = `${header}\n12345678900,new-tanaka@example.co.jp,田中 一郎,株式会社サンプル商事,品質保証部,東京都港区,03-1234-5678\n`;
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test' });
    expect(report).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    const after = await findAccountByJsaId(app.db, '12345678900');
    expect(after?.id).toBe(before?.id);
    expect(after?.email_norm).toBe('new-tanaka@example.co.jp');
    expect(after?.version).toBe((before?.version ?? 0) + 1);
    // The password is untouched by an import.
    expect(after?.password_hash).toBe(before?.password_hash);
    // The search keys follow the new values, folded by the import itself.
    expect(await app.db('account_search').where({ account_id: before?.id }).first('stale')).toEqual({ stale: 0 });
    expect((await searchAccounts(app.db, 'new-tanaka@example.co.jp', 'email', 1, 20)).rows.map((r) => r.id)).toEqual([before?.id]);

    const again = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    expect(await findAccountByJsaId(app.db, '12345678900')).toEqual(after);
    const audits = await app.db('audit_log').where({ action: 'accounts.imported' }).select('detail_json');
    expect(audits.map((a: { detail_json: string }) => JSON.parse(a.detail_json) as Record<string, unknown>)).toMatchObject([
      { inserted: 1, updated: 0, unchanged: 0, rejected: 0 },
      { inserted: 0, updated: 1, unchanged: 0, rejected: 0 },
      { inserted: 0, updated: 0, unchanged: 1, rejected: 0 },
    ]);
  });

  it('reports missing columns on line 1 and imports nothing', async () => {
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from('jsa_id,email\n77777777777,a@example.co.jp\n'), { actor: 'test' });
    expect(report).toMatchObject({ inserted: 0, stopped: true, rejected: 1 });
    expect(report.problems[0]!.line).toBe(1);
    expect(importReasonText('ja', report.problems[0]!.issues)).toBe(
      '見出し行に列がありません：contact_name, company, department, address, phone。1 行目を jsa_id,email,contact_name,company,department,address,phone にしてください。',
    );
    expect(await findAccountByJsaId(app.db, '77777777777')).toBeUndefined();
  });

  it('reports a JSA-ID repeated inside one file by the line of its first use', async () => {
    const csv = `${header}\n88888888888,a@example.co.jp,,,,,\n88888888888,b@example.co.jp,,,,,\n`;
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test' });
    expect(report.inserted).toBe(1);
    expect(report.problems.map((p) => [p.line, importReasonText('en', p.issues)])).toEqual([[3, 'This JSA-ID is also on line 2 (the earlier line was imported).']]);
  });

  it('stops at a broken quote, keeps the rows before it and names the line', async () => {
    const csv = `${header}\n91111111111,a@example.co.jp,,,,,\n91111111112,b@example.co.jp,,,,,\n91111111113,"c@example.co.jp,,,,,\n91111111114,d@example.co.jp,,,,,\n`;
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test' });
    expect(report).toMatchObject({ inserted: 2, stopped: true, rejected: 1 });
    expect(report.problems.map((p) => [p.line, importReasonText('ja', p.issues)])).toEqual([[4, 'CSV の書式が壊れています（引用符 " の閉じ忘れなど）。この行から先は読めませんでした。']]);
    expect(await findAccountByJsaId(app.db, '91111111114')).toBeUndefined();
  });

  it('reads a file whose lines end in CRLF, LF and CR alike as one row per line, naming lines as an editor does', async () => {
    // Files put together from several sources (and an old Mac's Excel, CR only) mix their breaks.
    const row = (n: number, address = '東京都港区') => `5400000000${n},mix${n}@example.jp,名前${n},会社,部,${address},03`;
    const csv = `${header}\r\n${row(1)}\n${row(2)}\r${row(3, '"大阪府\r\n北区"')}\r\n1234,short@example.jp,名前,会社,部,住所,03\n${row(5)}\r`;
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test' });
    expect(report).toMatchObject({ rows: 5, inserted: 4, rejected: 1 });
    expect(report.problems.map((p) => [p.line, importReasonText('en', p.issues)])).toEqual([[6, 'A JSA-ID has 11 digits. You entered 4.']]);
    for (const n of [1, 2, 3, 5]) expect((await findAccountByJsaId(app.db, `5400000000${n}`))?.contact_name).toBe(`名前${n}`);
    expect((await findAccountByJsaId(app.db, '54000000003'))?.address).toBe('大阪府 北区');
  });

  it('refuses rows with bytes the file’s encoding cannot read, instead of storing U+FFFD or mojibake', async () => {
    const utf8Rows = Array.from({ length: 100 }, (_, i) => accountCsvRow(i + 1, { rows: 0, prefix: '51' }));
    // 100 UTF-8 rows (well past the first 4 KiB the encoding is chosen from), then one row as Shift_JIS.
    const mixed = Buffer.concat([Buffer.from(`${header}\n${utf8Rows.join('\n')}\n`), iconv.encode('51000000101,sj@example.jp,髙橋 花子,株式会社ＳＪＩＳ,部,住所,03\n', 'cp932')]);
    const report = await importAccountsCsv(app.db, app.clock, mixed, { actor: 'test' });
    expect(report).toMatchObject({ encoding: 'utf-8', inserted: 100, rejected: 1 });
    expect(report.problems).toEqual([{ line: 102, values: expect.any(Array) as unknown, issues: [{ code: 'import.undecodable', params: { columns: 'contact_name, company, department, address' } }] }]);
    expect(importReasonText('ja', report.problems[0]!.issues)).toBe(
      'contact_name, company, department, address に読めない文字があります（ファイルの途中で文字コードが変わっているか、壊れたバイトがあります）。ファイル全体を UTF-8 か Shift_JIS で保存し直してください。',
    );
    expect(await findAccountByJsaId(app.db, '51000000101')).toBeUndefined();

    // One stray Latin-1 byte (é) before the Japanese rows: still read as UTF-8, that row refused,
    // not the whole file read as Shift_JIS and stored as mojibake.
    const stray = Buffer.concat([Buffer.from(`${header}\n52000000001,caf@example.jp,caf`), Buffer.from([0xe9]), Buffer.from(`,会社,部,住所,03\n52000000002,yamada@example.jp,山田 太郎,株式会社テスト,総務部,東京都,03\n`)]);
    const second = await importAccountsCsv(app.db, app.clock, stray, { actor: 'test' });
    expect(second).toMatchObject({ encoding: 'utf-8', inserted: 1, rejected: 1 });
    expect(second.problems[0]).toMatchObject({ line: 2, issues: [{ code: 'import.undecodable', params: { columns: 'contact_name' } }] });
    expect((await findAccountByJsaId(app.db, '52000000002'))?.contact_name).toBe('山田 太郎');
  });

  it('refuses rows pasted in UTF-8 into a Shift_JIS file instead of storing the kanji CP932 reads in them', async () => {
    const sjisRows = Array.from({ length: 5 }, (_, i) => `5500000000${i + 1},sj${i + 1}@example.jp,佐藤 花子,株式会社テスト,,,03`);
    const utf8Rows = ['55000000011,u1@example.jp,山本 美咲,営業,,,03', '55000000012,u2@example.jp,東京,株式会社,,,03'];
    const file = Buffer.concat([iconv.encode(`${header}\r\n${sjisRows.join('\r\n')}\r\n`, 'cp932'), Buffer.from(`${utf8Rows.join('\r\n')}\r\n`)]);
    const report = await importAccountsCsv(app.db, app.clock, file, { actor: 'test' });
    expect(report).toMatchObject({ encoding: 'shift_jis', inserted: 5, rejected: 2 });
    expect(report.problems.map((p) => [p.line, p.issues])).toEqual([
      [7, [{ code: 'import.undecodable', params: { columns: 'contact_name, company' } }]],
      [8, [{ code: 'import.undecodable', params: { columns: 'contact_name, company' } }]],
    ]);
    expect(await findAccountByJsaId(app.db, '55000000011')).toBeUndefined();
    expect(await findAccountByJsaId(app.db, '55000000012')).toBeUndefined();
    expect((await findAccountByJsaId(app.db, '55000000005'))?.contact_name).toBe('佐藤 花子');
  });

  it('reads a UTF-8 file with one Shift_JIS row near its top as UTF-8, refusing that row only', async () => {
    const row = (n: number) => `5700000000${n},near${n}@example.jp,山田 太郎${n},株式会社テスト,総務部,東京都港区,03`;
    const file = Buffer.concat([Buffer.from(`${header}\n${row(1)}\n${row(2)}\n`), iconv.encode(`${row(3)}\n`, 'cp932'), Buffer.from(`${row(4)}\n${row(5)}\n`)]);
    const report = await importAccountsCsv(app.db, app.clock, file, { actor: 'test' });
    expect(report).toMatchObject({ encoding: 'utf-8', inserted: 4, rejected: 1 });
    expect(report.problems.map((p) => [p.line, p.issues[0]!.code])).toEqual([[4, 'import.undecodable']]);
    expect((await findAccountByJsaId(app.db, '57000000005'))?.contact_name).toBe('山田 太郎5');
  });

  it('refuses a row that ends before its columns do — a file cut off mid-row — instead of blanking what the account holds', async () => {
    await importAccountsCsv(app.db, app.clock, Buffer.from(`${header}\n58000000001,kept@example.jp,山田 太郎,株式会社テスト,総務部,東京都港区,03-1234-5678\n`), { actor: 'test' });
    const before = await findAccountByJsaId(app.db, '58000000001');
    // The copy stopped in the middle of line 3; a note column after ours may be left out.
    const csv = `${header},note\n58000000002,whole@example.jp,佐藤 花子,会社,部,住所,03\n58000000001,kept@example.jp,山田 太`;
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test' });
    expect(report).toMatchObject({ inserted: 1, updated: 0, rejected: 1 });
    expect(report.problems.map((p) => [p.line, importReasonText('ja', p.issues), importReasonText('en', p.issues)])).toEqual([
      [
        3,
        '列が足りません（3 列、見出しは 8 列）：company, department, address, phone がありません。行が途中で切れていないか確かめてください。空の値もカンマで区切って書いてください。',
        'Too few columns (3; the header has 8): company, department, address, phone missing. Check that the line is not cut off, and separate empty values with commas too.',
      ],
    ]);
    expect(await findAccountByJsaId(app.db, '58000000001')).toEqual(before);
  });

  it('names a UTF-16 file (Excel’s “Unicode Text”) as such on line 1 and imports nothing', async () => {
    const text = `${header}\r\n56000000001,u16@example.jp,山田 太郎,会社,部,住所,03\r\n`;
    const report = await importAccountsCsv(app.db, app.clock, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]), { actor: 'test' });
    expect(report).toMatchObject({ rows: 0, inserted: 0, rejected: 1, stopped: true });
    expect(report.problems.map((p) => [p.line, importReasonText('ja', p.issues), importReasonText('en', p.issues)])).toEqual([
      [
        1,
        'このファイルは UTF-16（Excel の「Unicode テキスト」）で保存されていて、読めません。Excel で「CSV UTF-8 (コンマ区切り)」か「CSV (コンマ区切り)」を選んで保存し直してください。',
        'This file is saved as UTF-16 (Excel’s “Unicode Text”), which cannot be read. In Excel, save it again as “CSV UTF-8 (Comma delimited)” or “CSV (Comma delimited)”.',
      ],
    ]);
    expect(await findAccountByJsaId(app.db, '56000000001')).toBeUndefined();
  });

  it('refuses bidi and zero-width marks as the kiosk’s forms do, and a header that names a column twice', async () => {
    const csv = [
      header,
      '53000000001,rlo@example.jp,"山田\u202Eスズキ",会社,部,住所,03',
      '53000000002,"zw\u200B@example.jp",名前,会社,部,住所,03',
      '53000000003,ok@example.jp,名前,"\u2066会社\u2069",部,住所,03',
      '53000000004,fine@example.jp,名前,会社,部,住所,03',
    ].join('\n');
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test' });
    expect(report).toMatchObject({ inserted: 1, rejected: 3 });
    expect(report.problems.map((p) => [p.line, importReasonText('ja', p.issues)])).toEqual([
      [2, '担当者名に使えない文字が含まれています。'],
      [3, 'メールアドレスの形式が正しくありません（例：XXXX@XXX.co.jp）。'],
      [4, '会社名に使えない文字が含まれています。'],
    ]);

    const twice = await importAccountsCsv(app.db, app.clock, Buffer.from(`${header},email\n53000000005,a@example.jp,名前,会社,部,住所,03,b@example.jp\n`), { actor: 'test' });
    expect(twice).toMatchObject({ stopped: true, rows: 0, inserted: 0, rejected: 1 });
    expect(importReasonText('en', twice.problems[0]!.issues)).toBe('The header line names a column more than once: email. Which one to import cannot be decided, so the file was not read.');
  });

  it('refuses a contact name holding a web or e-mail address, by line and in the form’s words, in the rejects file too', async () => {
    const { RejectsFile } = await import('../../src-main/app/import-cli');
    const path = join(dir, 'rejects.csv');
    const rejects = await RejectsFile.open(path, 'en');
    const csv = [
      header,
      '54000000001,a@example.jp,https://evil.example/,会社,部,住所,03',
      '54000000002,b@example.jp,山田 www.example.jp,会社,部,住所,03',
      '54000000003,c@example.jp,yamada@example.jp,会社,部,住所,03',
      // Full-width ｗｗｗ． counts after NFKC, as on the forms.
      '54000000004,d@example.jp,ｗｗｗ．example,会社,部,住所,03',
      '54000000005,e@example.jp,山田 太郎,会社,部,住所,03',
    ].join('\n');
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test', onReject: (row) => rejects.add(row) });
    await rejects.close();
    expect(report).toMatchObject({ inserted: 1, rejected: 4 });
    const ja = '担当者名に URL やメールアドレスは入力できません。お名前だけを入力してください。';
    const en = 'Contact name cannot contain a web or e-mail address. Please enter the name only.';
    expect(report.problems.map((p) => [p.line, importReasonText('ja', p.issues), importReasonText('en', p.issues)])).toEqual([2, 3, 4, 5].map((line) => [line, ja, en]));
    expect(await findAccountByJsaId(app.db, '54000000001')).toBeUndefined();
    const lines = (await readFile(path)).toString('utf8').split('\r\n');
    expect(lines[1]).toBe(`"2","${en}","54000000001","a@example.jp","https://evil.example/","会社","部","住所","03"`);
    expect(lines.filter((line) => line.includes(en))).toHaveLength(4);
  });

  it('refuses “<” and “>” in any text column as the forms do, by line and in their words', async () => {
    const csv = [
      header,
      '55000000001,a@example.jp,山田 太郎,<b>会社</b>,部,住所,03',
      '55000000002,b@example.jp,<img src=x>,会社,部,住所,03',
      '55000000003,c@example.jp,山田 花子,会社,部,"東京都＜script＞",03',
      '55000000004,d@example.jp,山田 次郎,会社,部,東京都,03',
    ].join('\n');
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test' });
    expect(report).toMatchObject({ inserted: 1, rejected: 3 });
    // Full-width ＜＞ count after NFKC, as on the forms.
    expect(report.problems.map((p) => [p.line, importReasonText('ja', p.issues), importReasonText('en', p.issues)])).toEqual([
      [2, '会社名に「<」「>」は使えません。', 'Company cannot contain “<” or “>”.'],
      [3, '担当者名に「<」「>」は使えません。', 'Contact name cannot contain “<” or “>”.'],
      [4, '住所に「<」「>」は使えません。', 'Address cannot contain “<” or “>”.'],
    ]);
  });

  it('folds text as the kiosk forms do: line and paragraph separators, tabs and runs of spaces become one space', async () => {
    const raw = {
      contact_name: '山田\u2028太郎',
      company: '株式会社\u2029テスト',
      department: '総務部\t\t第2課',
      address: '"大阪府大阪市北区梅田１ー１ー１\n梅田ビル  "',
      phone: '06\u3000 1111',
    };
    const csv = `${header}\n53200000001,sep@example.jp,${raw.contact_name},${raw.company},${raw.department},${raw.address},${raw.phone}\n`;
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test' });
    expect(report).toMatchObject({ inserted: 1, rejected: 0 });
    const row = await findAccountByJsaId(app.db, '53200000001');
    expect(row).toMatchObject({
      contact_name: '山田 太郎',
      company: '株式会社 テスト',
      department: '総務部 第2課',
      address: '大阪府大阪市北区梅田1-1-1 梅田ビル',
      phone: '06 1111',
    });
    // The same values typed into the forms are stored the same.
    expect(personNameField.parse(raw.contact_name)).toBe(row?.contact_name);
    expect(companyField.parse(raw.company)).toBe(row?.company);
    expect(addressField.parse(raw.address.slice(1, -1))).toBe(row?.address);
  });

  it('refuses the addresses the forms refuse, each worded: what nodemailer read as another address, and a domain in Japanese', async () => {
    const csv = [
      header,
      '53100000001,"x;attacker@evil.com",名前,会社,部,住所,03',
      '53100000002,<attacker@evil.com>,名前,会社,部,住所,03',
      '53100000003,a(comment)@evil.com,名前,会社,部,住所,03',
      '53100000004,=?utf-8?b?YXR0YWNrZXJAZXZpbC5jb20=?=@example.co.jp,名前,会社,部,住所,03',
      '53100000005,user@例え.jp,名前,会社,部,住所,03',
      '53100000006,user@xn--r8jz45g.jp,名前,会社,部,住所,03',
    ].join('\n');
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test' });
    expect(report).toMatchObject({ inserted: 1, rejected: 5 });
    const format = ['メールアドレスの形式が正しくありません（例：XXXX@XXX.co.jp）。', 'The email address is not in a valid form (for example XXXX@XXX.co.jp).'];
    expect(report.problems.map((p) => [p.line, importReasonText('ja', p.issues), importReasonText('en', p.issues)])).toEqual([
      [2, ...format],
      [3, ...format],
      [4, ...format],
      [5, ...format],
      [
        6,
        'メールアドレスには半角の英数字と記号だけが使えます（日本語のドメインは xn-- で始まる形で入力してください）。',
        'An email address may hold only ASCII letters, digits and symbols (write a domain in Japanese in its xn-- form).',
      ],
    ]);
    expect((await findAccountByJsaId(app.db, '53100000006'))?.email).toBe('user@xn--r8jz45g.jp');
  });

  it('stops at a line longer than any account row, keeping the rows before it, and reads an empty file as empty', async () => {
    // One line of 2,000,000 commas: csv-parse would make it 2 million fields.
    const long = Buffer.concat([Buffer.from(`${header}\n54000000001,kept@example.jp,名前,会社,部,住所,03\n54000000002,long@example.jp,`), Buffer.alloc(2_000_000, ','), Buffer.from('\n54000000003,after@example.jp,名前,会社,部,住所,03\n')]);
    const report = await importAccountsCsv(app.db, app.clock, long, { actor: 'test' });
    expect(report).toMatchObject({ stopped: true, rows: 1, inserted: 1, rejected: 1 });
    expect(report.problems).toEqual([{ line: 3, values: [], issues: [{ code: 'import.lineTooLong', params: { max: '1,048,576' } }] }]);
    expect(await findAccountByJsaId(app.db, '54000000003')).toBeUndefined();

    const empty = await importAccountsCsv(app.db, app.clock, Buffer.alloc(0), { actor: 'test' });
    expect(empty).toMatchObject({ stopped: true, rows: 0, rejected: 1 });
    expect(importReasonText('en', empty.problems[0]!.issues)).toBe('The file is empty (no header line). Make line 1 jsa_id,email,contact_name,company,department,address,phone.');
  });

  it('a dry run counts what would change and writes nothing', async () => {
    const csv = `${header}\n12345678901,tanaka@example.co.jp,別の名前,,,,\n99999999998,new@example.co.jp,,,,,\n1,x@example.co.jp,,,,,\n`;
    const auditsBefore = await app.db('audit_log').count({ n: '*' });
    const report = await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test', dryRun: true });
    expect(report).toMatchObject({ dryRun: true, inserted: 1, updated: 1, unchanged: 0, rejected: 1 });
    expect(await findAccountByJsaId(app.db, '99999999998')).toBeUndefined();
    expect((await findAccountByJsaId(app.db, '12345678901'))?.contact_name).toBe('田中 一郎');
    expect(await app.db('audit_log').count({ n: '*' })).toEqual(auditsBefore);
  });

  it.each([
    ['utf-8', '\n'],
    ['utf-8-bom', '\r\n'],
    ['shift_jis', '\r\n'],
    ['shift_jis', '\n'],
  ] as const)('streams %s with %j line ends, quoted line breaks and a bad row every 1,000, naming each bad row’s exact line', async (encoding, eol) => {
    const file = join(dir, 'accounts.csv');
    const rows = 5_500;
    const { badLines } = await writeAccountCsv(file, { rows, encoding, eol, badEvery: 1_000, quotedNewlineEvery: 7 });
    const rejected: RejectedRow[] = [];
    const report = await importAccounts(app.db, app.clock, createReadStream(file, { highWaterMark: 1024 }), {
      actor: 'test',
      onReject: (row) => void rejected.push(row),
    });
    expect(report).toMatchObject({ encoding: encoding === 'shift_jis' ? 'shift_jis' : 'utf-8', rows, inserted: rows - 5, rejected: 5 });
    expect(rejected.map((r) => r.line)).toEqual(badLines);
    expect(rejected.every((r) => importReasonText('ja', r.issues) === 'JSA-ID は 11 桁です。いま 4 桁入力されています。')).toBe(true);
    // A quoted line break arrives inside the value and is folded to a space, as the address form folds it.
    expect((await findAccountByJsaId(app.db, '80000000007'))?.address).toBe('東京都千代田区7丁目 第0ビル');
    expect((await findAccountByJsaId(app.db, '80000000002'))?.contact_name).toBe('髙橋 健太');
    // The demo accounts went with the first real import.
    expect(await countAccounts(app.db)).toBe(rows - 5);
  });

  it('answers customer calls while a large import runs: each batch is its own short transaction', async () => {
    const file = join(dir, 'accounts.csv');
    await writeAccountCsv(file, { rows: 60_000 });
    const k = kiosk(app);
    let importDone = false;
    const running = importAccounts(app.db, app.clock, createReadStream(file), { actor: 'test' }).then((r) => {
      importDone = true;
      return r;
    });
    const answeredDuringImport: boolean[] = [];
    // Wait until the import has committed its first batch, then ask as a customer would.
    while ((await countAccounts(app.db)) === DEMO_ACCOUNTS) await new Promise((r) => setImmediate(r));
    // Five customers at once: each call gets the store between two batches, not after the file.
    await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => {
        expect(await k.call('reset.request', { jsaId: `8${String(n).padStart(10, '0')}`, email: `imp${n}@example.jp`, locale: 'ja' })).toEqual({
          ok: true,
          value: { status: 'accepted' },
        });
        answeredDuringImport.push(!importDone);
      }),
    );
    expect(answeredDuringImport).toEqual([true, true, true, true, true]);
    expect(await running).toMatchObject({ inserted: 60_000 });
  });

  it('writes the rejects file the CLI makes: UTF-8 with BOM, line number and reason first', async () => {
    const { RejectsFile } = await import('../../src-main/app/import-cli');
    const path = join(dir, 'rejects.csv');
    const rejects = await RejectsFile.open(path, 'ja');
    const csv = `${header}\n1234,a@example.co.jp,山田,,,,\n`;
    await importAccountsCsv(app.db, app.clock, Buffer.from(csv), { actor: 'test', onReject: (row) => rejects.add(row) });
    await rejects.close();
    expect((await readFile(path)).toString('utf8')).toBe(
      '\uFEFF"line","reason","jsa_id","email","contact_name","company","department","address","phone"\r\n' +
        '"2","JSA-ID は 11 桁です。いま 4 桁入力されています。","1234","a@example.co.jp","山田","","","",""\r\n',
    );
  });

  it('with a time goal per batch (beside a running counter) starts small and keeps batches within the goal', async () => {
    const file = join(dir, 'accounts.csv');
    await writeAccountCsv(file, { rows: 3_000 });
    const steps = async (options: { batchMs?: number }) => {
      const inserted: number[] = [];
      await importAccounts(app.db, app.clock, createReadStream(file), { actor: 'test', ...options, onProgress: (p) => void inserted.push(p.inserted) });
      return inserted.map((n, i) => n - (inserted[i - 1] ?? 0)).filter((n) => n > 0);
    };
    // A goal no write can meet: every batch is the smallest.
    expect(await steps({ batchMs: 0.001 })).toEqual(Array(12).fill(250));
    await app.db('accounts').delete();
    expect(await steps({})).toEqual([2_000, 1_000]);
  });

  describe('search indexes set aside for a large file', () => {
    const searchIndexes = async () =>
      ((await app.db.raw(`SELECT name FROM pragma_index_list('account_search') WHERE "unique" = 0 ORDER BY name`)) as Array<{ name: string }>).map((r) => r.name);
    const rowsCsv = (from: number, to: number) => {
      let text = '';
      for (let n = from; n <= to; n += 1) text += `${accountCsvRow(n, { rows: to })}\n`;
      return text;
    };
    const phoneOf1234 = async () => (await searchAccounts(app.db, '03-2234-1234', 'phone', 1, 20)).rows.map((r) => r.jsa_id);

    it('writes without them, answers searches meanwhile, and builds them again at the end', async () => {
      const indexes = await searchIndexes();
      expect(indexes).toHaveLength(6);
      const source = new PassThrough();
      // One row past the second batch: a parser may hold the last line until it sees what follows.
      source.write(`${header}\n${rowsCsv(1, 4_001)}`);
      const running = importAccounts(app.db, app.clock, source, { actor: 'test', setAsideSearchIndexes: true });
      // Two batches committed; the import waits for the rest of the file.
      while ((await countAccounts(app.db)) !== 4_000) await new Promise((r) => setTimeout(r, 10));
      expect(await searchIndexes()).toEqual([]);
      expect(await setAsideSearchIndexCount(app.db)).toBe(6);
      expect(await phoneOf1234()).toEqual(['80000001234']);
      expect(await staleSearchRows(app.db)).toBe(0);
      source.end(rowsCsv(4_002, 6_000));
      expect(await running).toMatchObject({ inserted: 6_000, rejected: 0 });
      expect(await searchIndexes()).toEqual(indexes);
      expect(await setAsideSearchIndexCount(app.db)).toBe(0);
      expect(await phoneOf1234()).toEqual(['80000001234']);
      expect((await searchAccounts(app.db, '03-7000-6000', 'phone', 1, 20)).rows.map((r) => r.jsa_id)).toEqual(['80000006000']);
    });

    it('an import that fails after setting them aside builds them again before it answers', async () => {
      const indexes = await searchIndexes();
      const csv = `${header}\n${rowsCsv(1, 2_500)}1234,bad@example.jp,,,,,\n`;
      const failing = importAccountsCsv(app.db, app.clock, Buffer.from(csv), {
        actor: 'test',
        setAsideSearchIndexes: true,
        onReject: () => {
          throw new Error('the rejects file cannot be written');
        },
      });
      await expect(failing).rejects.toThrow('the rejects file cannot be written');
      expect(await searchIndexes()).toEqual(indexes);
      expect(await setAsideSearchIndexCount(app.db)).toBe(0);
    });

    it('what a killed import left aside is built again by the next import of any file, or else by the next start', async () => {
      const indexes = await searchIndexes();
      const killed = () => app.db.transaction((tx) => setAsideSearchIndexesRecorded(tx, 'import:test', '2026-12-07T01:00:00.000Z'));
      expect(await killed()).toBe(6);
      expect(await searchIndexes()).toEqual([]);
      // A search still answers without them (a full read of the keys instead of an index range).
      await importAccountsCsv(app.db, app.clock, Buffer.from(`${header}\n${rowsCsv(1234, 1234)}`), { actor: 'test', setAsideSearchIndexes: false });
      expect(await searchIndexes()).toEqual(indexes);
      expect(await phoneOf1234()).toEqual(['80000001234']);

      expect(await killed()).toBe(6);
      await app.close();
      app = await startTestApp({ dataDir: join(dir, 'data'), startMailWorker: false });
      expect(await searchIndexes()).toEqual(indexes);
      expect(await setAsideSearchIndexCount(app.db)).toBe(0);
      expect(await phoneOf1234()).toEqual(['80000001234']);
    });
  });
});
