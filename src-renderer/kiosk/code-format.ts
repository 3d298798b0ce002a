import { CODE_LENGTH } from '../../src-main/contract';

/**
 * Display-only folding of what is typed into the 変更権限コード field: full-width to
 * half-width (NFKC), upper case, and anything but letters and digits dropped, so the code
 * shows in two groups of five like the mail prints it. The server folds again itself
 * (look-alikes O→0, I/L→1 included), so nothing here decides whether a code is right.
 */
export function foldCodeChars(raw: string): string {
  return raw.normalize('NFKC').toUpperCase().replace(/[^0-9A-Z]/g, '');
}

export function groupCode(chars: string): string {
  const capped = chars.slice(0, CODE_LENGTH);
  return capped.length > 5 ? `${capped.slice(0, 5)}-${capped.slice(5)}` : capped;
}

/** Where the caret goes after regrouping: after the same number of code characters as before. */
export function caretAfterRegroup(charsBeforeCaret: number): number {
  return charsBeforeCaret > 5 ? charsBeforeCaret + 1 : charsBeforeCaret;
}
