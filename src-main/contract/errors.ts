import { z } from 'zod';

/**
 * Every failure that crosses a transport is one of these codes. The renderer turns a code
 * (plus field issues and params) into words; no message text, stack or SQL ever crosses.
 */
export const errorCodes = [
  'INVALID_INPUT',
  'UNKNOWN_CALL',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'COOLDOWN',
  'EMAIL_ON_SEVERAL_IDS',
  'CODE_INVALID',
  'CODE_EXPIRED',
  'CODE_USED',
  'REQUEST_VOIDED',
  'RESET_LOCKED',
  'GRANT_INVALID',
  'PASSWORD_POLICY',
  'PASSWORD_MISMATCH',
  'LOGIN_FAILED',
  'LOGIN_LOCKED',
  'PASSWORD_CHANGE_REQUIRED',
  'SESSION_EXPIRED',
  'NOT_FOUND',
  'CONFLICT',
  'BAD_ORIGIN',
  'BAD_REQUEST',
  'BODY_TOO_LARGE',
  'UNAVAILABLE',
  /** The counter's code keys disagree with the deployment's (code-keys.ts): 「このお手続きは係員にお声がけください」, never "wrong code". */
  'ASK_STAFF',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** One problem with one field; `code` is an i18n key under `errors.field.`. */
export const fieldIssueSchema = z.object({
  field: z.string(),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

export const callErrorSchema = z.object({
  code: z.enum(errorCodes),
  fields: z.array(fieldIssueSchema).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type CallError = z.infer<typeof callErrorSchema>;

/** Thrown by services; the dispatcher turns it into a CallError. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldIssue[];
  readonly params?: Record<string, string | number>;

  constructor(
    code: ErrorCode,
    details: { fields?: FieldIssue[]; params?: Record<string, string | number> } = {},
  ) {
    super(code);
    this.name = 'AppError';
    this.code = code;
    this.fields = details.fields;
    this.params = details.params;
  }

  toCallError(): CallError {
    return { code: this.code, fields: this.fields, params: this.params };
  }
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: CallError };
