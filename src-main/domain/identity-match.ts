import { couldBeKanaReading } from './kana-reading';
import { foldCompany, foldPhone, foldText } from './search-fold';
import { nfkc } from './text-normalize';

/**
 * The seed's 注意点 as a rule: 「ご本人様が確認できない場合（住所や社名が異なっている等）は、
 * お受けできない」. Each field the customer gave is compared with the registered one after
 * the folding a clerk would do in their head; a different address or company means refuse.
 */
export const identityFields = ['address', 'company', 'department', 'name', 'phone'] as const;
export type IdentityField = (typeof identityFields)[number];

/** same: equal after normalising; similar: a clerk should look; different; missing: not given. */
export type FieldVerdict = 'same' | 'similar' | 'different' | 'missing';

export interface FieldComparison {
  field: IdentityField;
  registered: string;
  given: string;
  verdict: FieldVerdict;
}

export interface IdentityMatch {
  fields: FieldComparison[];
  /** match: every field the same; review: some similar; refuse: address or company differ. */
  overall: 'match' | 'review' | 'refuse';
  refuseBecause: IdentityField[];
}

/** Fields that decide: the seed names 住所 and 社名. */
export const decisiveFields: readonly IdentityField[] = ['address', 'company'];

const kanjiDigits: Record<string, number> = { 〇: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 十三 → 13, 二十 → 20, 三 → 3: the numbers that appear in 丁目・番地・号. */
function kanjiNumber(text: string): number {
  let total = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else digit = digit * 10 + (kanjiDigits[ch] ?? 0);
  }
  return total + digit;
}

/**
 * 東京都港区三田三丁目13番12号 and 東京都港区三田3-13-12 are one address: kanji numbers
 * before 丁目/番/号 become digits, 丁目・番地・番・号・の between numbers become hyphens,
 * every hyphen-like mark becomes "-", spaces go.
 */
export function normalizeAddress(input: string): string {
  let s = nfkc(input).replace(/[\s\u3000]+/g, '');
  s = s.replace(/([〇一二三四五六七八九十]+)(?=丁目|番|号)/g, (m) => String(kanjiNumber(m)));
  s = s.replace(/[\u2010-\u2015\u2212\u30FC\uFF0D\uFF70]/g, '-');
  s = s.replace(/(\d+)丁目/g, '$1-').replace(/(\d+)番地?/g, '$1-').replace(/(\d+)号/g, '$1');
  s = s.replace(/(\d)の(\d)/g, '$1-$2');
  s = s.replace(/-+/g, '-').replace(/-$/, '');
  return foldText(s);
}

/** 株式会社サンプル and (株)サンプル and ㈱サンプル are one company; the legal form position is kept. */
export function normalizeCompany(input: string): string {
  const folded = foldText(input)
    .replace(/株式会社|\(株\)/g, '[株]')
    .replace(/有限会社|\(有\)/g, '[有]')
    .replace(/合同会社|\(同\)/g, '[同]');
  return folded;
}

export function normalizePersonName(input: string): string {
  return foldText(input).replace(/[・･.]/g, '');
}

/** Levenshtein distance, bounded use only (short strings from a form). */
function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i += 1) {
    const cur = [i];
    for (let j = 1; j <= y.length; j += 1) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

/** One typo per eight characters (at most two) is "similar": worth a look, not a refusal. */
function nearlyEqual(a: string, b: string): boolean {
  const longest = Math.max([...a].length, [...b].length);
  const allowed = Math.min(2, Math.floor(longest / 8));
  return allowed > 0 && editDistance(a, b) <= allowed;
}

function verdictOf(registered: string, given: string, options: { partialIsSimilar: boolean }): FieldVerdict {
  if (given === '') return 'missing';
  if (registered === given) return 'same';
  if (registered === '') return 'different';
  if (options.partialIsSimilar && (registered.startsWith(given) || given.startsWith(registered) || registered.endsWith(given) || given.endsWith(registered))) {
    return 'similar';
  }
  if (nearlyEqual(registered, given)) return 'similar';
  // Typed in kana at the kiosk (no kanji conversion there): similar where the reading fits.
  return couldBeKanaReading(registered, given) ? 'similar' : 'different';
}

export function compareField(field: IdentityField, registered: string, given: string): FieldVerdict {
  switch (field) {
    case 'address':
      // A building name after the number, or the prefecture left out, is "similar".
      return verdictOf(normalizeAddress(registered), normalizeAddress(given), { partialIsSimilar: true });
    case 'company': {
      const r = normalizeCompany(registered);
      const g = normalizeCompany(given);
      const v = verdictOf(r, g, { partialIsSimilar: false });
      if (v !== 'different') return v;
      // Same name, legal form left out or written on the other side: a clerk decides.
      return foldCompany(registered) !== '' && foldCompany(registered) === foldCompany(given) ? 'similar' : 'different';
    }
    case 'department':
      return verdictOf(foldText(registered), foldText(given), { partialIsSimilar: true });
    case 'name':
      // Only the family name given ("田中" for "田中 一郎") is similar.
      return verdictOf(normalizePersonName(registered), normalizePersonName(given), { partialIsSimilar: true });
    case 'phone': {
      const r = foldPhone(registered);
      const g = foldPhone(given);
      if (g === '') return 'missing';
      if (r === g) return 'same';
      // The same line without the area code: the last 8 digits agree.
      return r.length >= 8 && g.length >= 8 && r.slice(-8) === g.slice(-8) ? 'similar' : 'different';
    }
  }
}

export function matchIdentity(
  registered: Record<IdentityField, string>,
  given: Partial<Record<IdentityField, string>>,
): IdentityMatch {
  const fields = identityFields.map((field) => ({
    field,
    registered: registered[field],
    given: given[field] ?? '',
    verdict: compareField(field, registered[field], given[field] ?? ''),
  }));
  const refuseBecause = fields
    .filter((f) => decisiveFields.includes(f.field) && (f.verdict === 'different' || f.verdict === 'missing'))
    .map((f) => f.field);
  const overall = refuseBecause.length > 0 ? 'refuse' : fields.every((f) => f.verdict === 'same' || f.verdict === 'missing') ? 'match' : 'review';
  return { fields, overall, refuseBecause };
}
