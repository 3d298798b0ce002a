import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { emailField, jsaIdField, textField } from '../contract/fields';
import { fieldIssuesFromZod } from '../contract/field-issues';
import { foldedSearchRow, setWriterFolds, writeFoldedSearchRows, type Searched } from '../store/account-search-fold';
import { findAccountByJsaId, insertAccount, updateAccount } from '../store/accounts-repo';
import { appendAudit } from '../store/audit-repo';
import type { Db } from '../store/database';
import { removeDemoAccounts } from '../store/demo-accounts-repo';
import { iso, type Clock } from './clock';

export const IMPORT_COLUMNS = ['jsa_id', 'email', 'contact_name', 'company', 'department', 'address', 'phone'] as const;

const rowSchema = z.object({
  jsa_id: jsaIdField,
  email: emailField,
  contact_name: textField(100, { required: false }),
  company: textField(200, { required: false }),
  department: textField(200, { required: false }),
  address: textField(300, { required: false }),
  phone: textField(40, { required: false }),
});

/**
 * UTF-8 (with or without BOM) or Shift_JIS, as spreadsheet programs in Japan save CSV.
 * A file that is not valid UTF-8 is read as Shift_JIS (CP932, which Excel writes).
 */
export function decodeCsv(bytes: Buffer): { text: string; encoding: 'utf-8' | 'shift_jis' } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'cp932'), encoding: 'shift_jis' };
  }
}

export interface ImportReport {
  encoding: string;
  inserted: number;
  updated: number;
  rejected: Array<{ line: number; reason: string }>;
  /** Demo accounts this import removed (the first real import ends the demo data). */
  demoRemoved?: number;
}

/** Upsert by jsa_id; a bad row is reported by its line and skipped, the good rows are kept. */
export async function importAccountsCsv(db: Db, clock: Clock, bytes: Buffer, actor: string): Promise<ImportReport> {
  const { text, encoding } = decodeCsv(bytes);
  const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as Array<{
    record: string[];
    info: { lines: number };
  }>;
  const report: ImportReport = { encoding, inserted: 0, updated: 0, rejected: [] };
  if (records.length === 0) return report;
  const header = records[0]!.record.map((h) => h.trim().toLowerCase());
  const missing = IMPORT_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    report.rejected.push({ line: 1, reason: `missing column(s): ${missing.join(', ')}` });
    return report;
  }
  const nowIso = iso(clock.nowMs());
  const seen = new Map<string, number>();
  // The first real import ends the demo data (ASVS 5.0 V6.3.2): a file with at least one good row.
  const realRows = records.slice(1).some(({ record }) => rowSchema.safeParse(Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, record[header.indexOf(c)] ?? '']))).success);
  await db.transaction(async (tx) => {
    report.demoRemoved = realRows ? await removeDemoAccounts(tx, { actor, reason: 'import' }, nowIso) : 0;
    // The import folds the search keys of what it wrote (as the first sync and the seed do), so
    // the first staff search after a large import has nothing left to fold.
    const written: Array<Searched & { id: string }> = [];
    await setWriterFolds(tx, true);
    for (const { record, info } of records.slice(1)) {
      const raw = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, record[header.indexOf(c)] ?? '']));
      const parsed = rowSchema.safeParse(raw);
      if (!parsed.success) {
        const issues = fieldIssuesFromZod(parsed.error);
        report.rejected.push({ line: info.lines, reason: issues.map((i) => `${i.field}: ${i.code}${i.params ? ` ${JSON.stringify(i.params)}` : ''}`).join('; ') });
        continue;
      }
      const row = parsed.data;
      const earlier = seen.get(row.jsa_id);
      if (earlier !== undefined) {
        report.rejected.push({ line: info.lines, reason: `jsa_id: duplicate of line ${earlier}` });
        continue;
      }
      seen.set(row.jsa_id, info.lines);
      const fields = { ...row, email: raw.email!.normalize('NFKC').trim(), email_norm: row.email };
      const existing = await findAccountByJsaId(tx, row.jsa_id);
      if (existing) {
        await updateAccount(tx, existing.id, fields, nowIso);
        written.push({ ...existing, ...fields });
        report.updated += 1;
      } else {
        const id = uuidv7();
        await insertAccount(tx, { id, ...fields, password_hash: null }, nowIso);
        written.push({ id, ...fields });
        report.inserted += 1;
      }
    }
    for (let i = 0; i < written.length; i += 5_000) await writeFoldedSearchRows(tx, JSON.stringify(written.slice(i, i + 5_000).map(foldedSearchRow)));
    await setWriterFolds(tx, false);
    await appendAudit(tx, { actor, action: 'accounts.imported', detail: { inserted: report.inserted, updated: report.updated, rejected: report.rejected.length } }, nowIso);
  });
  return report;
}
