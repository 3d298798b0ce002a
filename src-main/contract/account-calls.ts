import { z } from 'zod';
import { defineCall } from './define-call';
import { currentPasswordField, jsaIdField, localeSchema } from './fields';

/** The Webdesk contact's own session: ログイン画面, the header's name, logout. */
export const accountCalls = {
  'account.login': defineCall({
    checksSecret: true,
    role: 'public',
    sensitive: true,
    input: z.object({ jsaId: jsaIdField, password: currentPasswordField, locale: localeSchema.default('ja') }),
    output: z.object({ contactName: z.string(), maskedJsaId: z.string() }),
  }),
  'account.logout': defineCall({
    role: 'public',
    input: z.object({}),
    output: z.object({ loggedOut: z.literal(true) }),
  }),
  /** Who is logged in at this window, for the header (「ログインされていません」 when nobody). */
  'account.me': defineCall({
    role: 'public',
    input: z.object({}),
    output: z.object({
      loggedIn: z.boolean(),
      contactName: z.string().optional(),
      maskedJsaId: z.string().optional(),
    }),
  }),
};
