import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskLogText, maskLogValue } from '../../../src-main/services/log-mask';

describe('log masking', () => {
  it('masks e-mail addresses, full-width ＠ included, keeping the first letter and the domain', () => {
    expect(maskLogText('to tanaka@example.co.jp, Sato＠example.jp')).toBe('to t***@example.co.jp, S***@example.jp');
  });
  it('masks URL passwords, reset links and JSA-IDs', () => {
    expect(maskLogText('smtp://relay:pa55@mail.example.jp:587')).toBe('smtp://relay:***@mail.example.jp:587');
    expect(maskLogText('http://127.0.0.1:5890/reset/AbCdEf0123456789_-xyz')).toBe('http://127.0.0.1:5890/reset/***');
    expect(maskLogText('id 12345678901 at 1795952229288')).toBe('id •••••••8901 at 1795952229288');
  });
  it('keeps the statement knex puts into an error message out, and the token SQLite quotes (issue 13 §7)', () => {
    const knex = "select `id` from `account_search_fts` where account_search_fts MATCH '{name} : \"ヤマダ\"' - SQLITE_ERROR: fts5: syntax error near \"ヤマダ\"";
    expect(maskLogText(knex)).toBe('[sql] - SQLITE_ERROR: fts5: syntax error near "…"');
    expect(maskLogText("insert into accounts (name) values ('田中')")).toBe('[sql]');
    expect(maskLogText("UPDATE accounts SET contact_name = '田中' WHERE id = 1 - SQLITE_BUSY: database is locked")).toBe('[sql] - SQLITE_BUSY: database is locked');
    expect(maskLogText('mail delivery failed: 421 try again later')).toBe('mail delivery failed: 421 try again later');
  });
  it('leaves paths of scoped packages alone', () => {
    const stack = 'at file:///work/node_modules/@vitest/runner/dist/chunk.js:1:2';
    expect(maskLogText(stack)).toBe(stack);
  });
  it('walks objects and keeps errors as errors', () => {
    const masked = maskLogValue({ a: ['x@example.jp'], err: new TypeError('bad y@example.jp') }) as { a: string[]; err: Error };
    expect(masked.a).toEqual(['x***@example.jp']);
    expect(masked.err).toBeInstanceOf(Error);
    expect(masked.err.name).toBe('TypeError');
    expect(masked.err.message).toBe('bad y***@example.jp');
  });
});

// The masking as it was written before it was made linear: the reference for the property test.
function quadraticMask(text: string): string {
  const keywords = /\b(?:select\s[\s\S]*\sfrom|insert\s+into|update\s[\s\S]*\sset|delete\s+from)\b/i;
  const withoutSql = (t: string): string => {
    if (!keywords.test(t)) return t;
    const cut = t.lastIndexOf(' - ');
    return cut >= 0 && !keywords.test(t.slice(cut + 3)) ? `[sql] - ${t.slice(cut + 3)}` : '[sql]';
  };
  return withoutSql(text)
    .replace(/\bnear "[^"]*"/g, 'near "…"')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]*):([^@/\s]+)@/gi, (_m, scheme: string, user: string) => `${scheme}${user}:***@`)
    .replace(/([^\s@＠<>"'(),;:*[\]\\/]+)[@＠]([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g, (_m, local: string, domain: string) => `${local[0] ?? ''}***@${domain}`)
    .replace(/\/reset\/[A-Za-z0-9_-]{8,}/g, '/reset/***')
    .replace(/(?<![0-9])[0-9]{11}(?![0-9])/g, (id: string) => `•••••••${id.slice(-4)}`);
}

describe('log masking of long strings', () => {
  it('masks a 1 MB unbroken string in one pass, with the address at its end still masked', () => {
    // The regexes retried from every position of the run: this took minutes.
    const run = 'a.b-c'.repeat(200_000);
    expect(maskLogText(`${run}@example.jp`)).toBe('a***@example.jp');
    expect(maskLogText(`${run}://user:secret@host`)).toBe(`${run}://user:***@host`);
    expect(maskLogText(`${'select '.repeat(100_000)}from t`)).toBe('[sql]');
  });
  it('masks exactly as the regexes did, on random text made of the characters that matter', () => {
    const piece = fc.constantFrom('a', 'B', '1', '_', '.', '-', '+', ':', '/', '//', '://', '@', '＠', ' ', '"', 'near "', 'select ', ' from', 'update ', ' set', 'insert into', ' - ', '/reset/', 'AbCdEfGh', '12345678901', 'x@y.jp', 'smtp://u:p@h', 'あ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }).map((parts) => parts.join('')), (text) => {
        expect(maskLogText(text)).toBe(quadraticMask(text));
      }),
      { numRuns: 5000 },
    );
  });
});
