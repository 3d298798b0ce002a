import { toKatakana } from 'wanakana';
import { nfkc } from './text-normalize';

/**
 * The one folding that both the search index and the query go through, so staff find an
 * account however they type it: NFKC (full/half width, ㈱ → (株)), lower case, hiragana →
 * katakana (romaji is left alone: passRomaji), and no spaces. The long-vowel mark ー is kept:
 * in katakana names it is a letter, not a hyphen.
 */
export function foldText(input: string): string {
  const lower = nfkc(input).toLowerCase();
  // With passRomaji, toKatakana only shifts hiragana; most fields hold none, and skipping the
  // call there makes folding a million accounts at first sync several times faster.
  return (hiragana.test(lower) ? toKatakana(lower, { passRomaji: true }) : lower).replace(/[\s\u3000]+/g, '');
}

// What wanakana's hiraganaToKatakana shifts: ぁ (U+3041) to ゖ (U+3096).
const hiragana = /[\u3041-\u3096]/;

/** Legal-form words staff leave out when they type a company (株式会社サンプル → サンプル). */
const legalForms = /株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|公益社団法人|公益財団法人|\((?:株|有|同|社|財)\)/g;

export function foldCompany(input: string): string {
  return withoutLegalForm(foldText(input));
}

/** foldCompany of text that is folded already. */
export function withoutLegalForm(folded: string): string {
  return folded.replace(legalForms, '');
}

/** The last word of a registered name ("田中 一郎" → "一郎"), so a given name alone finds it. */
export function foldLastNameToken(input: string): string {
  const words = nfkc(input).trim().split(/[\s\u3000]+/);
  return words.length > 1 ? foldText(words[words.length - 1]!) : '';
}

export function digitsOnly(input: string): string {
  return nfkc(input).replace(/\D+/g, '');
}

/** +81 3-… and 03-… are the same line: the country code becomes the trunk prefix 0. */
export function foldPhone(input: string): string {
  const digits = digitsOnly(input);
  return digits.startsWith('81') && digits.length >= 11 && input.trim().startsWith('+') ? `0${digits.slice(2)}` : digits;
}

export type SearchShape = 'email' | 'digits' | 'text';

/** What a lookup box input looks like, after folding, to decide which keys to try. */
export function searchShape(folded: string): SearchShape {
  if (folded.includes('@')) return 'email';
  // Digits with the separators people type in phone numbers: hyphen-likes (the IME's − and ー
  // too, which NFKC keeps), parentheses and a leading +.
  if (/^[0-9]+$/.test(stripNumberSeparators(folded))) return 'digits';
  return 'text';
}

export function stripNumberSeparators(folded: string): string {
  return folded.replace(/[-\u2010-\u2015\u2212\u30FC\uFF70()+.]/g, '');
}
