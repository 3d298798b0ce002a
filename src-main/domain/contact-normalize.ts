import { hasHiddenCharacters, nfkc, stripSpacesAndHyphens } from './text-normalize';

/**
 * What customers type into the kiosk forms (JSA-ID 不明, 前任者退職・担当者変更, マイページ),
 * folded into the forms staff compare with the registered account: NFKC first (an IME's
 * full-width digits and letters, half-width katakana), then per-field rules.
 */

/** Hyphen-like characters typed between digit groups: ASCII, dashes, minus, ー, full-width and half-width ｰ. */
const HYPHEN_CLASS = '\\-\\u2010-\\u2015\\u2212\\u30FC\\uFF0D\\uFF70';
const hyphenLike = new RegExp(`[${HYPHEN_CLASS}]`, 'g');
const hyphenBetweenDigits = new RegExp(`(?<=[0-9])\\s*[${HYPHEN_CLASS}]\\s*(?=[0-9])`, 'g');

/** Runs of spaces (NFKC already turned U+3000 into U+0020), tabs and newlines → one space. */
export function collapseSpaces(input: string): string {
  return input.replace(/\s+/g, ' ').trim();
}

/** Pictographs, flags, skin tones, the emoji presentation selector and keycaps. */
const pictographic = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\uFE0F|\u20E3/u;

/** `<` and `>` have no place in a name or an address; refusing them keeps markup out of every record. */
const markup = /[<>]/;

export type TextProblem = 'controlCharacters' | 'pictographs' | 'markup';

/**
 * A person's name opens the greeting of every mail to the account, so it holds no web or
 * e-mail address: mail programs make those clickable, and our sender would carry a stranger's
 * link (a name set on マイページ at a window left logged in). After NFKC, so ｗｗｗ． and ＠ count.
 */
const linkInName = /:\/\/|www\.|@/i;

export function nameProblem(name: string): 'personName.link' | undefined {
  return linkInName.test(name) ? 'personName.link' : undefined;
}

/** The first reason a piece of form text cannot be stored, or undefined when it can. */
export function textProblem(text: string): TextProblem | undefined {
  if (hasHiddenCharacters(text)) return 'controlCharacters';
  if (pictographic.test(text)) return 'pictographs';
  if (markup.test(text)) return 'markup';
  return undefined;
}

/** Names, company, department: NFKC (half-width ｶﾅ → カナ, full-width Ａ → A) and single spaces. */
export function normalizeFormText(input: string): string {
  return collapseSpaces(nfkc(input));
}

/**
 * Addresses: as form text, plus the hyphens between numbers made ASCII, so
 * 「梅田１ー１ー１」, 「梅田1−1−1」 and 「梅田 1 - 1 - 1」 are all stored as 「梅田1-1-1」.
 * ー between katakana (a long vowel, as in 「センター」) is left alone.
 */
export function normalizeAddress(input: string): string {
  return normalizeFormText(input).replace(hyphenBetweenDigits, '-');
}

export type PostalCodeResult =
  | { ok: true; value: string }
  | { ok: false; reason: 'empty' | 'format' }
  | { ok: false; reason: 'digits'; digits: number };

/** 〒100-0001, １０００００１, 100 0001 → 100-0001 (seven digits, Japan Post's form). */
export function parsePostalCode(input: string): PostalCodeResult {
  const folded = stripSpacesAndHyphens(nfkc(input)).replace(/^〒/, '');
  if (folded === '') return { ok: false, reason: 'empty' };
  if (!/^[0-9]+$/.test(folded)) return { ok: false, reason: 'format' };
  if (folded.length !== 7) return { ok: false, reason: 'digits', digits: folded.length };
  return { ok: true, value: `${folded.slice(0, 3)}-${folded.slice(3)}` };
}

export type PhoneResult =
  | { ok: true; value: string; digits: string }
  | { ok: false; reason: 'empty' | 'format' }
  | { ok: false; reason: 'digits'; digits: number };

/** Domestic numbers have 10 (fixed line) or 11 (mobile, 050) digits; E.164 allows up to 15. */
const DOMESTIC_DIGITS = [10, 11];
const INTERNATIONAL_DIGITS = { min: 8, max: 15 };

/**
 * Phone numbers → digits and single ASCII hyphens: 「０３（１２３４）５６７８」 →
 * "03-1234-5678". Group separators the customer typed (spaces, brackets, any dash) become
 * hyphens; where none were typed, none are invented (the digits alone identify the line).
 * `digits` is what staff compare.
 */
export function parsePhone(input: string): PhoneResult {
  const folded = nfkc(input)
    .replace(/[()]/g, '-')
    .replace(hyphenLike, '-')
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (folded === '') return { ok: false, reason: 'empty' };
  if (!/^\+?[0-9][0-9-]*$/.test(folded)) return { ok: false, reason: 'format' };
  const digits = folded.replace(/\D/g, '');
  if (folded.startsWith('+')) {
    if (digits.length < INTERNATIONAL_DIGITS.min || digits.length > INTERNATIONAL_DIGITS.max) return { ok: false, reason: 'digits', digits: digits.length };
  } else {
    if (!digits.startsWith('0')) return { ok: false, reason: 'format' };
    if (!DOMESTIC_DIGITS.includes(digits.length)) return { ok: false, reason: 'digits', digits: digits.length };
  }
  return { ok: true, value: folded, digits };
}
