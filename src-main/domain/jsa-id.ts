import { isBlank, nfkc, stripFormatCharacters, stripSpacesAndHyphens } from './text-normalize';

/** The seed: 「JSA-ID は 11 ケタになります」. */
export const JSA_ID_LENGTH = 11;

export type JsaIdResult =
  | { ok: true; value: string }
  | { ok: false; reason: 'empty' }
  | { ok: false; reason: 'not-digits' }
  | { ok: false; reason: 'length'; digits: number };

/**
 * Forgiving on purpose: full-width digits, spaces and hyphens are what people type when they
 * copy an ID from a letter; we fold them before counting so the message about the length
 * names the digits the customer actually entered. Invisible marks a pasted ID carries go too.
 */
export function parseJsaId(input: string): JsaIdResult {
  if (isBlank(input)) return { ok: false, reason: 'empty' };
  const folded = stripSpacesAndHyphens(nfkc(stripFormatCharacters(input)));
  if (folded.length === 0) return { ok: false, reason: 'empty' };
  if (!/^[0-9]+$/.test(folded)) return { ok: false, reason: 'not-digits' };
  if (folded.length !== JSA_ID_LENGTH) return { ok: false, reason: 'length', digits: folded.length };
  return { ok: true, value: folded };
}

/** Shows the last four digits only, for screens and mails that confirm which ID is meant. */
export function maskJsaId(jsaId: string): string {
  return '•'.repeat(Math.max(0, jsaId.length - 4)) + jsaId.slice(-4);
}
