import { z } from 'zod';
import {
  nameProblem,
  normalizeAddress,
  normalizeFormText,
  parsePhone,
  parsePostalCode,
  textProblem,
} from '../domain/contact-normalize';

/**
 * Fields of the kiosk forms and マイページ. Every failure is an i18n key under
 * `errors.field.` with params (`tooLong {max}`, `phone.digits {digits}`), so the screen
 * names the limit the customer ran into.
 *
 * Not `textField` from fields.ts: its raw-length guard reports zod's bound (4 × max) as the
 * limit, so a 1,000-character name would be told "240 characters"; here the raw guard reports
 * the real limit, and markup and invisible characters are refused as well.
 */

/**
 * Lengths in characters (code points) after normalisation; generous for real Japanese data.
 * The account's own limits (the import reads these too): a form that allowed less than an
 * account may hold left a customer unable to type their company as registered.
 */
export const contactLimits = {
  name: 100,
  company: 200,
  department: 200,
  address: 300,
  phone: 40,
  postalCode: 20,
} as const;

/** Raw input beyond this is refused before any folding work (a pasted novel, a script). */
const rawBound = (max: number) => max * 4 + 16;

function formText(max: number, normalize: (raw: string) => string, required: boolean, extraProblem?: (value: string) => string | undefined) {
  return z.string({ message: 'required' }).transform((raw, ctx) => {
    if (raw.length > rawBound(max)) {
      ctx.addIssue({ code: 'custom', message: 'tooLong', params: { max } });
      return z.NEVER;
    }
    const value = normalize(raw);
    if (value === '') {
      if (required) ctx.addIssue({ code: 'custom', message: 'required' });
      return value;
    }
    if ([...value].length > max) {
      ctx.addIssue({ code: 'custom', message: 'tooLong', params: { max } });
      return z.NEVER;
    }
    const problem = textProblem(value) ?? extraProblem?.(value);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return value;
  });
}

export const personNameField = formText(contactLimits.name, normalizeFormText, true, nameProblem);
/**
 * A staff user's 氏名: a person's name by the same rule (it is on every staff screen, the audit
 * log and its CSV), within the 60 characters the staff screens have room for.
 */
export const staffDisplayNameField = formText(60, normalizeFormText, true, nameProblem);
/** 前任者名 on the JSA-ID 不明 form: 「お分かりの場合は」, so empty is fine. */
export const optionalPersonNameField = formText(contactLimits.name, normalizeFormText, false, nameProblem).transform((v) => (v === '' ? undefined : v));
export const companyField = formText(contactLimits.company, normalizeFormText, true);
export const departmentField = formText(contactLimits.department, normalizeFormText, true);
export const addressField = formText(contactLimits.address, normalizeAddress, true);

export const postalCodeField = z.string({ message: 'required' }).transform((raw, ctx) => {
  if (raw.length > contactLimits.postalCode) {
    ctx.addIssue({ code: 'custom', message: 'tooLong', params: { max: contactLimits.postalCode } });
    return z.NEVER;
  }
  const parsed = parsePostalCode(raw);
  if (parsed.ok) return parsed.value;
  if (parsed.reason === 'empty') ctx.addIssue({ code: 'custom', message: 'required' });
  else if (parsed.reason === 'digits') ctx.addIssue({ code: 'custom', message: 'postalCode.digits', params: { digits: parsed.digits } });
  else ctx.addIssue({ code: 'custom', message: 'postalCode.format' });
  return z.NEVER;
});

export const phoneField = z.string({ message: 'required' }).transform((raw, ctx) => {
  if (raw.length > contactLimits.phone) {
    ctx.addIssue({ code: 'custom', message: 'tooLong', params: { max: contactLimits.phone } });
    return z.NEVER;
  }
  const parsed = parsePhone(raw);
  if (parsed.ok) return parsed.value;
  if (parsed.reason === 'empty') ctx.addIssue({ code: 'custom', message: 'required' });
  else if (parsed.reason === 'digits') ctx.addIssue({ code: 'custom', message: 'phone.digits', params: { digits: parsed.digits } });
  else ctx.addIssue({ code: 'custom', message: 'phone.format' });
  return z.NEVER;
});
