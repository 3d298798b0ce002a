import { nfkc, stripFormatCharacters, stripSpacesAndHyphens } from './text-normalize';

/**
 * Crockford's base32 alphabet: 32 symbols without I, L, O and U, so a code read off a phone
 * cannot be mistyped as a look-alike. 10 symbols × 5 bits = 50 bits (DESIGN §6).
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 10;

/** Turns random bytes into a code; the caller supplies CSPRNG bytes (one byte per symbol). */
export function codeFromRandomBytes(bytes: Uint8Array): string {
  if (bytes.length < CODE_LENGTH) throw new RangeError('need one random byte per symbol');
  let code = '';
  // 256 is a multiple of 32, so `byte & 31` is unbiased.
  for (let i = 0; i < CODE_LENGTH; i += 1) code += CODE_ALPHABET[bytes[i]! & 31];
  return code;
}

/**
 * What the customer typed → the canonical code: invisible marks a paste carries, full-width
 * folded, spaces and hyphens dropped, upper case, and the look-alikes Crockford defines mapped (O→0, I/L→1).
 */
export function normalizeCode(input: string): string {
  return stripSpacesAndHyphens(nfkc(stripFormatCharacters(input)))
    .toUpperCase()
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

export function isWellFormedCode(normalized: string): boolean {
  if (normalized.length !== CODE_LENGTH) return false;
  for (const ch of normalized) if (!CODE_ALPHABET.includes(ch)) return false;
  return true;
}

/** Groups of five read more easily aloud and on a small screen: "ABCDE-FGHJK". */
export function formatCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}
