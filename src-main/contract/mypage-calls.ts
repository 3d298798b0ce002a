import { z } from 'zod';
import { personNameField } from './contact-fields';
import { defineCall } from './define-call';
import { codeField, currentPasswordField, emailField, localeSchema, passwordField } from './fields';
import { passwordCheckItemSchema } from './reset-calls';
import { passwordPolicySchema } from '../domain/runtime-settings';

/** An e-mail change waiting for the code sent to the new address. */
export const pendingEmailChangeSchema = z.object({
  maskedNewEmail: z.string(),
  expiresAt: z.string(),
});

/**
 * マイページ of the logged-in contact (the seed's 担当者変更: the predecessor logs in and
 * changes 担当者名 and メールアドレス). Every change is versioned and audited.
 */
export const mypageCalls = {
  /** Registered data; the address is masked, since a kiosk screen can be read over a shoulder. */
  'mypage.profile': defineCall({
    role: 'customer',
    input: z.object({}),
    output: z.object({
      jsaId: z.string(),
      contactName: z.string(),
      company: z.string(),
      department: z.string(),
      address: z.string(),
      phone: z.string(),
      maskedEmail: z.string(),
      passwordChangedAt: z.string().nullable(),
      pendingEmailChange: pendingEmailChangeSchema.nullable(),
      policy: passwordPolicySchema,
    }),
  }),

  'mypage.changeContactName': defineCall({
    role: 'customer',
    input: z.object({ contactName: personNameField }),
    output: z.object({ contactName: z.string() }),
  }),

  /**
   * Sends a code to the new address and a notice to the old one; nothing changes yet. The
   * current password first (ASVS 5.0 V7.5.1): the address is how the account is recovered.
   */
  'mypage.requestEmailChange': defineCall({
    checksSecret: true,
    role: 'customer',
    sensitive: true,
    input: z.object({ currentPassword: currentPasswordField, newEmail: emailField, locale: localeSchema.default('ja') }),
    output: pendingEmailChangeSchema.extend({ lifetimeMinutes: z.number().int() }),
  }),

  /** The code from the new address's mail: the change takes effect, the old address is told. */
  'mypage.confirmEmailChange': defineCall({
    checksSecret: true,
    role: 'customer',
    sensitive: true,
    input: z.object({ code: codeField, locale: localeSchema.default('ja') }),
    output: z.object({ maskedEmail: z.string() }),
  }),

  'mypage.cancelEmailChange': defineCall({
    role: 'customer',
    input: z.object({}),
    output: z.object({ cancelled: z.boolean() }),
  }),

  /** The live パスワードポリシー欄 for パスワード変更 (same rules as パスワード登録). */
  'mypage.checkPassword': defineCall({
    role: 'customer',
    sensitive: true,
    input: z.object({ password: passwordField }),
    output: z.object({ items: z.array(passwordCheckItemSchema) }),
  }),

  /** Current password required; other sessions of the account end; notice mail. */
  'mypage.changePassword': defineCall({
    checksSecret: true,
    role: 'customer',
    sensitive: true,
    input: z.object({
      currentPassword: currentPasswordField,
      password: passwordField,
      confirm: passwordField,
      locale: localeSchema.default('ja'),
    }),
    output: z.object({ done: z.literal(true) }),
  }),
};
