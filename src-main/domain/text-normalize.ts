/**
 * NFKC folds what a Japanese IME produces (full-width digits and Latin letters, half-width
 * katakana) into the forms we store, so "０１２" typed at a kiosk equals "012".
 */
export function nfkc(input: string): string {
  return input.normalize('NFKC');
}

/** Hyphen-like characters customers type between digit groups (ASCII, minus, dashes, ー). */
const hyphenLike = /[-\u2010-\u2015\u2212\u30FC\uFF0D\uFF70]/g;
const spaceLike = /[\s\u3000]/g;

export function stripSpacesAndHyphens(input: string): string {
  return input.replace(spaceLike, '').replace(hyphenLike, '');
}

/**
 * Format characters (Cf: zero-width space, BOM, bidi marks) a digit or code field drops before
 * its checks: an ID pasted from a mail or a PDF carries them unseen, and the customer was told
 * 「数字で入力してください」 about digits that looked right. Only there: names and other text
 * keep refusing them (hasHiddenCharacters), where they disguise what is stored.
 */
export function stripFormatCharacters(input: string): string {
  return input.replace(/\p{Cf}/gu, '');
}

/** C0/C1 controls other than tab and newline, and lone surrogates: never stored. */
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

function hasControlCharacters(input: string): boolean {
  return controlChars.test(input) || !input.isWellFormed();
}

/**
 * Characters nobody sees: every format character (Cf: zero-width, bidi controls including the
 * Arabic letter mark U+061C, tags, interlinear annotation, BOM), unassigned code points and
 * noncharacters (Cn), the combining grapheme joiner and the Hangul fillers that render as a
 * blank (a contact named 「\u3164\u3164」 looked empty in the staff queue). A classic way to
 * disguise text or make a value that never matches what someone types.
 */
const INVISIBLE_CLASS = '\\p{Cf}\\p{Cn}\\u034F\\u115F\\u1160\\u3164\\uFFA0';
const invisibleFormatting = new RegExp(`[${INVISIBLE_CLASS}]`, 'u');
const blankLike = new RegExp(`[\\s\\u3000${INVISIBLE_CLASS}]`, 'gu');

function hasInvisibleFormatting(input: string): boolean {
  return invisibleFormatting.test(input);
}

/** What no typed or imported text may hold: control characters, lone surrogates, or characters nobody sees. */
export function hasHiddenCharacters(input: string): boolean {
  return hasControlCharacters(input) || hasInvisibleFormatting(input);
}

/**
 * Nothing visible: white space and the characters nobody sees (above), or nothing at all. Every
 * field takes such a value as empty, on screen and in the main process alike, whichever marks
 * it holds: `String.prototype.trim` counts U+FEFF as a space but not U+202E, so a JSA-ID of a
 * lone BOM went through as email-only while a lone bidi override was refused as an empty JSA-ID.
 */
export function isBlank(input: string): boolean {
  return input.replace(blankLike, '') === '';
}
