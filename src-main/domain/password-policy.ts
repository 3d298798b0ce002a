import { nfkc } from './text-normalize';
import type { PasswordPolicy } from './runtime-settings';

/**
 * The パスワードポリシー欄 is a live checklist of exactly these rules (DESIGN §6): one item per
 * rule, so the screen and the server never disagree about why a password is refused.
 */
export const passwordRules = [
  'minLength',
  'maxLength',
  'lower',
  'upper',
  'digit',
  'symbol',
  'notCommon',
  'notPersonal',
  'notRecent',
] as const;
export type PasswordRule = (typeof passwordRules)[number];

export interface PasswordCheckItem {
  rule: PasswordRule;
  ok: boolean;
  params?: Record<string, number>;
}

export interface PasswordContext {
  jsaId?: string;
  email?: string;
  company?: string;
}

/** Words nobody may build a password on (DESIGN §6: JSA, Webdesk, the company name). */
const serviceWords = ['jsa', 'jisa', 'webdesk'];

/** NFKC first so IME full-width input equals half-width (DESIGN §6). */
export function normalizePassword(password: string): string {
  return nfkc(password);
}

/** Length in code points, so an emoji or a kanji counts as one character. */
export function passwordLength(normalized: string): number {
  return [...normalized].length;
}

function personalWords(context: PasswordContext): string[] {
  const words = [...serviceWords];
  if (context.jsaId) words.push(context.jsaId);
  if (context.email) {
    const email = nfkc(context.email).toLowerCase();
    words.push(email);
    const local = email.split('@')[0] ?? '';
    if (local.length >= 4) words.push(local);
  }
  if (context.company) {
    const company = nfkc(context.company)
      .toLowerCase()
      .replace(/株式会社|有限会社|\(株\)|\(有\)|\s/g, '');
    if ([...company].length >= 3) words.push(company);
  }
  return words;
}

/** Fewer different characters than this make a password guessable whatever its length. */
const MIN_DISTINCT_CHARACTERS = 4;

export function evaluatePassword(
  password: string,
  policy: PasswordPolicy,
  context: PasswordContext,
  isCommon: (normalized: string) => boolean,
): PasswordCheckItem[] {
  const pw = normalizePassword(password);
  const lower = pw.toLowerCase();
  const length = passwordLength(pw);
  const items: PasswordCheckItem[] = [
    { rule: 'minLength', ok: length >= policy.minLength, params: { min: policy.minLength, length } },
    { rule: 'maxLength', ok: length <= policy.maxLength, params: { max: policy.maxLength } },
  ];
  if (policy.requireLower) items.push({ rule: 'lower', ok: /\p{Ll}/u.test(pw) });
  if (policy.requireUpper) items.push({ rule: 'upper', ok: /\p{Lu}/u.test(pw) });
  if (policy.requireDigit) items.push({ rule: 'digit', ok: /\p{Nd}/u.test(pw) });
  if (policy.requireSymbol) items.push({ rule: 'symbol', ok: /[^\p{L}\p{Nd}]/u.test(pw) });
  // Blank (12 spaces, or 12 ideographic spaces folded to them) and one-or-three-character runs
  // (aaaaaaaaaaaa, abcabcabcabc) are as guessable as any word on the list.
  const trivial = pw.trim() === '' || new Set(pw).size < MIN_DISTINCT_CHARACTERS;
  items.push({ rule: 'notCommon', ok: length > 0 && !trivial && !isCommon(pw) });
  items.push({
    rule: 'notPersonal',
    ok: length > 0 && !personalWords(context).some((word) => lower.includes(word)),
  });
  return items;
}

export function failedRules(items: readonly PasswordCheckItem[]): PasswordRule[] {
  return items.filter((item) => !item.ok).map((item) => item.rule);
}
