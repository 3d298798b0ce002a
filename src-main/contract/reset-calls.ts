import { z } from 'zod';
import { defineCall } from './define-call';
import {
  codeField,
  emailField,
  localeSchema,
  optionalJsaIdField,
  passwordField,
  tokenField,
} from './fields';
import { passwordRules } from '../domain/password-policy';
import { isBlank } from '../domain/text-normalize';
import { passwordPolicySchema } from '../domain/runtime-settings';

export const passwordCheckItemSchema = z.object({
  rule: z.enum(passwordRules),
  ok: z.boolean(),
  params: z.record(z.string(), z.number()).optional(),
});

/** What 「確認」 hands to パスワード登録: the grant and what the screen shows beside it. */
const verifiedSchema = z.object({
  grant: tokenField,
  expiresAt: z.string(),
  maskedJsaId: z.string(),
  policy: passwordPolicySchema,
});

/** The seed's steps 3–6 and nothing else: no call here reveals whether an account exists. */
export const resetCalls = {
  /** 「サポートメール依頼」: JSA-ID + email, or email alone (support mail naming the JSA-ID). */
  'reset.request': defineCall({
    role: 'public',
    sensitive: true,
    input: z.object({
      jsaId: optionalJsaIdField.optional(),
      email: emailField,
      locale: localeSchema.default('ja'),
    }),
    output: z.object({ status: z.literal('accepted') }),
  }),

  /** 「確認」 on 変更権限コード: by the mail's link token, or at a kiosk by JSA-ID/email. */
  'reset.verifyCode': defineCall({
    checksSecret: true,
    role: 'public',
    sensitive: true,
    input: z
      .object({
        token: tokenField.optional(),
        identifier: z.string().max(300, { message: 'tooLong' }).optional(),
        code: codeField,
      })
      .refine((v) => v.token !== undefined || !isBlank(v.identifier ?? ''), {
        message: 'required',
        path: ['identifier'],
      }),
    output: verifiedSchema,
  }),

  /**
   * パスワード登録 after a reload: the grant 「確認」 gave this session, while it lives and the
   * session has not been idle past the kiosk's timeout; null otherwise (decisions.md). A page
   * reached another way (`reload: false`: Back/Forward, the address) ends the held grant.
   */
  'reset.resumeGrant': defineCall({
    role: 'public',
    sensitive: true,
    input: z.object({ reload: z.boolean() }),
    // locale: the request's language, so a customer working in English is not shown Japanese after F5.
    output: z.object({ verified: verifiedSchema.nullable(), locale: localeSchema.optional() }),
  }),

  /** The live パスワードポリシー欄: one item per rule, evaluated by the same code as the save. */
  'reset.checkPassword': defineCall({
    role: 'public',
    sensitive: true,
    input: z.object({ grant: tokenField, password: passwordField }),
    output: z.object({ items: z.array(passwordCheckItemSchema) }),
  }),

  /** パスワード登録. No automatic login afterwards (DESIGN §1.6). */
  'reset.complete': defineCall({
    role: 'public',
    sensitive: true,
    input: z.object({ grant: tokenField, password: passwordField, confirm: passwordField }),
    output: z.object({ done: z.literal(true), maskedJsaId: z.string() }),
  }),
};
