import { z } from 'zod';
import { parseJsaId } from '../domain/jsa-id';
import { EMAIL_MAX_LENGTH, emailProblem, normalizeEmail } from '../domain/email';
import { CODE_LENGTH, isWellFormedCode, normalizeCode } from '../domain/reset-code';
import { hasHiddenCharacters, isBlank, nfkc, stripFormatCharacters } from '../domain/text-normalize';

/**
 * Field schemas shared by calls. Each failure carries an i18n key (`message`) and params,
 * so the screen can say "10 桁入力されています" instead of a generic "invalid".
 */
export const localeSchema = z.enum(['ja', 'en']);
export type Locale = z.infer<typeof localeSchema>;

/** Folds and checks a JSA-ID inside a zod transform; the issue names the digits typed. */
function checkedJsaId(value: string, ctx: z.RefinementCtx<string>): string {
  const parsed = parseJsaId(value);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({
    code: 'custom',
    message: `jsaId.${parsed.reason}`,
    params: parsed.reason === 'length' ? { digits: parsed.digits } : {},
  });
  return z.NEVER;
}

export const jsaIdField = z.string().max(64, { message: 'tooLong' }).transform(checkedJsaId);

/**
 * The ID忘れ path takes an empty JSA-ID to mean 「JSA-IDとパスワードの両方をお忘れの方」; empty as
 * the screen sees it (isBlank), invisible marks alone included.
 */
export const optionalJsaIdField = z
  .string()
  .max(64, { message: 'tooLong' })
  .transform((value, ctx) => (isBlank(value) ? undefined : checkedJsaId(value, ctx)));

/**
 * Every address a call or the account import takes, whether to look an account up, to store
 * it or to send to it: one rule (emailProblem), so no stored address is one the forms refuse.
 */
export const emailField = z
  .string({ message: 'required' })
  // Raw input may be longer than the address (full-width, spaces around): refused past twice
  // the limit before any folding, but the words name the address's own limit.
  .refine((value) => value.length <= EMAIL_MAX_LENGTH * 2, { message: 'tooLong', params: { max: EMAIL_MAX_LENGTH }, abort: true })
  .transform((value, ctx) => {
    const normalized = normalizeEmail(value);
    if (isBlank(normalized)) {
      ctx.addIssue({ code: 'custom', message: 'required' });
      return z.NEVER;
    }
    if (normalized.length > EMAIL_MAX_LENGTH) {
      ctx.addIssue({ code: 'custom', message: 'tooLong', params: { max: EMAIL_MAX_LENGTH } });
      return z.NEVER;
    }
    const problem = emailProblem(normalized);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `email.${problem}` });
      return z.NEVER;
    }
    return normalized;
  });

/** A code as typed; the service folds it (look-alikes, width) before comparing. */
/**
 * A code as typed, folded as the check folds it. Empty, short or with a symbol no code has, it
 * cannot be anyone's code: said beside the field and never compared, so a 「確認」 pressed
 * before the code was typed does not spend one of the request's five tries (DESIGN §6).
 */
export const codeField = z
  .string()
  .max(64, { message: 'tooLong' })
  .transform((value, ctx) => {
    const code = normalizeCode(value);
    if (isWellFormedCode(code)) return code;
    if (isBlank(code)) ctx.addIssue({ code: 'custom', message: 'required' });
    else if (code.length !== CODE_LENGTH) ctx.addIssue({ code: 'custom', message: 'code.length', params: { length: [...code].length, expected: CODE_LENGTH } });
    else ctx.addIssue({ code: 'custom', message: 'code.format' });
    return z.NEVER;
  });

/** Opaque random tokens (link token, grant): base64url, bounded. */
export const tokenField = z
  .string()
  .min(16)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/);

/**
 * Passwords are not trimmed or folded here: the policy folds them (NFKC) itself. Control
 * characters, bidi and zero-width marks are refused, and so are lone surrogates: scrypt reads
 * the password as UTF-8, where every lone surrogate becomes U+FFFD, so `a\uD800b` and
 * `a\uDFFFb` were the same password.
 */
export const passwordField = z
  .string()
  .max(1024, { message: 'tooLong' })
  .refine((value) => !hasHiddenCharacters(value), { message: 'controlCharacters' });

/**
 * A password typed to prove who one is (ログイン, マイページ's 現在のパスワード). Empty, it
 * cannot be anyone's password: said beside the field and never compared, so a ログイン pressed
 * before the password was typed does not spend one of the tries before the lock (DESIGN §6).
 */
export const currentPasswordField = passwordField.refine((value) => value !== '', { message: 'required' });

/**
 * What staff type into a lookup box: anything printable. Control characters (NUL ends a
 * string inside SQLite's full-text parser), lone surrogates and invisible bidi or zero-width
 * marks are refused with a field message; no stored value can hold them, so none would match.
 * A JSA-ID or phone number pasted with such marks is the exception: they are dropped, as the
 * kiosk's JSA-ID field drops them (parseJsaId), since digits cannot be disguised by them.
 */
// A lookup of digits: searchShape's 'digits' (store/account-search-repo), written out here so the
// renderer's bundle does not take the search folding's kana tables with the contract.
const digitsQuery = /^[0-9\s\u3000\-\u2010-\u2015\u2212\u30FC\uFF70()+.]*[0-9][0-9\s\u3000\-\u2010-\u2015\u2212\u30FC\uFF70()+.]*$/;

export const searchQueryField = z
  .string()
  .max(200, { message: 'tooLong' })
  .transform((value) => {
    const stripped = stripFormatCharacters(value);
    return stripped !== value && digitsQuery.test(nfkc(stripped)) ? stripped : value;
  })
  .refine((value) => !hasHiddenCharacters(value), { message: 'controlCharacters' });

/**
 * A printer's name as the OS lists it: one line, so no control character (a tab or line break
 * either), line or paragraph separator, lone surrogate or mark nobody sees. 設定 saved over the
 * API stored and audited NUL, U+202E and lone surrogates, which 初期設定 refused.
 */
export const printerNameField = z
  .string()
  .trim()
  .max(200, { message: 'tooLong' })
  .refine((value) => !hasHiddenCharacters(value) && !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(value), { message: 'controlCharacters' });

/**
 * Free text from a form (names, addresses): NFKC, trimmed, bounded; control characters and
 * pictographs refused because they have no place in a business record. `fold` replaces the
 * NFKC-and-trim: the account import passes the kiosk forms' own folding (contact-normalize.ts),
 * so an imported name is stored as the form would store it; `problem` adds a field's own rule
 * (a person's name: contact-normalize.ts `nameProblem`), as the form's field applies it.
 */
export function textField(max: number, options: { required: boolean; fold?: (raw: string) => string; problem?: (folded: string) => string | undefined } = { required: true }) {
  const fold = options.fold ?? ((raw: string) => nfkc(raw).trim());
  return z
    .string()
    .refine((value) => value.length <= max * 4, { message: 'tooLong', params: { max }, abort: true })
    .transform((value, ctx) => {
      const folded = fold(value);
      if (isBlank(folded)) {
        if (!options.required) return '';
        ctx.addIssue({ code: 'custom', message: 'required' });
        return z.NEVER;
      }
      if ([...folded].length > max) {
        ctx.addIssue({ code: 'custom', message: 'tooLong', params: { max } });
        return z.NEVER;
      }
      // Bidi and zero-width marks too, as the kiosk's forms refuse them (textProblem): they
      // reorder or hide text on the staff screens, and no search could match them.
      if (hasHiddenCharacters(folded)) {
        ctx.addIssue({ code: 'custom', message: 'controlCharacters' });
        return z.NEVER;
      }
      if (/\p{Extended_Pictographic}/u.test(folded)) {
        ctx.addIssue({ code: 'custom', message: 'pictographs' });
        return z.NEVER;
      }
      const problem = folded === '' ? undefined : options.problem?.(folded);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return folded;
    });
}
