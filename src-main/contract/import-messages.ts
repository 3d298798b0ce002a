import type { FieldIssue } from './errors';
import { fieldIssueText } from './field-messages';

/** The columns of an account CSV, in the order the export writes them. */
export const IMPORT_COLUMNS = ['jsa_id', 'email', 'contact_name', 'company', 'department', 'address', 'phone'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Column names as the screens label the same fields (マイページ, アカウントの詳細). */
export const importColumnLabels: Record<'ja' | 'en', Record<ImportColumn, string>> = {
  ja: { jsa_id: 'JSA-ID', email: 'メールアドレス', contact_name: '担当者名', company: '会社名', department: '部署名', address: '住所', phone: '電話番号' },
  en: { jsa_id: 'JSA-ID', email: 'E-mail address', contact_name: 'Contact name', company: 'Company', department: 'Department', address: 'Address', phone: 'Phone' },
};

/** Problems of a row or file that no form field has: the import's own codes. */
export const importMessages = {
  ja: {
    duplicate: 'この JSA-ID は {{line}} 行目にもあります（先の行を取り込みました）。',
    missingColumns: '見出し行に列がありません：{{columns}}。1 行目を jsa_id,email,contact_name,company,department,address,phone にしてください。',
    extraFields: '列が多すぎます（{{count}} 列）。値の中のカンマは "" で囲んでください。',
    missingFields: '列が足りません（{{count}} 列、見出しは {{expected}} 列）：{{columns}} がありません。行が途中で切れていないか確かめてください。空の値もカンマで区切って書いてください。',
    badQuotes: 'CSV の書式が壊れています（引用符 " の閉じ忘れなど）。この行から先は読めませんでした。',
    lineTooLong: 'この行は長すぎます（{{max}} 文字を超えています）。アカウントの CSV ではないか、壊れています。この行から先は読みませんでした。',
    undecodable: '{{columns}} に読めない文字があります（ファイルの途中で文字コードが変わっているか、壊れたバイトがあります）。ファイル全体を UTF-8 か Shift_JIS で保存し直してください。',
    duplicateColumns: '見出し行に同じ列が 2 回以上あります：{{columns}}。どちらを取り込むか決められないため、読みませんでした。',
    empty: 'ファイルが空です（見出し行がありません）。1 行目を jsa_id,email,contact_name,company,department,address,phone にしてください。',
    utf16: 'このファイルは UTF-16（Excel の「Unicode テキスト」）で保存されていて、読めません。Excel で「CSV UTF-8 (コンマ区切り)」か「CSV (コンマ区切り)」を選んで保存し直してください。',
  },
  en: {
    duplicate: 'This JSA-ID is also on line {{line}} (the earlier line was imported).',
    missingColumns: 'The header line lacks column(s): {{columns}}. Make line 1 jsa_id,email,contact_name,company,department,address,phone.',
    extraFields: 'Too many columns ({{count}}). Put values that contain a comma in double quotes.',
    missingFields: 'Too few columns ({{count}}; the header has {{expected}}): {{columns}} missing. Check that the line is not cut off, and separate empty values with commas too.',
    badQuotes: 'The CSV is broken here (for example a " that is never closed). Nothing from this line on could be read.',
    lineTooLong: 'This line is too long (over {{max}} characters): the file is not a CSV of accounts, or it is broken. Nothing from this line on was read.',
    undecodable: '{{columns}} holds characters that could not be read (the file changes its encoding part-way, or has broken bytes). Save the whole file again as UTF-8 or Shift_JIS.',
    duplicateColumns: 'The header line names a column more than once: {{columns}}. Which one to import cannot be decided, so the file was not read.',
    empty: 'The file is empty (no header line). Make line 1 jsa_id,email,contact_name,company,department,address,phone.',
    utf16: 'This file is saved as UTF-16 (Excel’s “Unicode Text”), which cannot be read. In Excel, save it again as “CSV UTF-8 (Comma delimited)” or “CSV (Comma delimited)”.',
  },
} as const;

export type ImportProblemCode = keyof (typeof importMessages)['ja'];

/** One problem of a rejected row: a field check (as on the forms) or an import code. */
export type ImportIssue = (FieldIssue & { column?: ImportColumn }) | { column?: ImportColumn; code: `import.${ImportProblemCode}`; params?: Record<string, string | number> };

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/** A rejected row's reason, one sentence per problem, in the administrator's language. */
export function importReasonText(locale: 'ja' | 'en', issues: readonly ImportIssue[]): string {
  const sentences = issues.map((issue) => {
    if (issue.code.startsWith('import.')) {
      const code = issue.code.slice('import.'.length) as ImportProblemCode;
      return fill(importMessages[locale][code], issue.params ?? {});
    }
    const label = issue.column ? importColumnLabels[locale][issue.column] : '';
    return fieldIssueText(locale, issue as FieldIssue, label);
  });
  return sentences.join(locale === 'ja' ? '' : ' ');
}
