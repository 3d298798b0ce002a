import { z } from 'zod';
import { defineCall } from './define-call';
import { currentPasswordField, localeSchema, passwordField, printerNameField, searchQueryField, textField } from './fields';
import { actorKinds } from './code-labels';
import { staffDisplayNameField } from './contact-fields';
import { staffRoles } from './roles';
import { identityFields } from '../domain/identity-match';

/** The fields 照合 compares (inquiry.override's refuseBecause names them): the screens label them. */
export { identityFields };
import { runtimeSettingsSchema } from '../domain/runtime-settings';
import { hasHiddenCharacters, nfkc } from '../domain/text-normalize';

/**
 * The staff tools (DESIGN §2). Every call names the least role that may make it; dispatch
 * refuses the rest before a handler runs. Staff never see or choose a customer's password
 * or code: no output here carries one, and JSA-IDs and addresses are masked unless a clerk
 * records the identity document they checked (staff.accounts.revealIdentity, audited).
 */

export const staffRoleSchema = z.enum(staffRoles);

/** Login names: folded to lower case ASCII, 3–32 of letters, digits, dot, dash, underscore. */
export const staffUsernameField = z
  .string()
  .max(64, { message: 'tooLong' })
  .transform((value, ctx) => {
    const folded = nfkc(value).trim().toLowerCase();
    if (folded === '') {
      ctx.addIssue({ code: 'custom', message: 'required' });
      return z.NEVER;
    }
    if (!/^[a-z0-9._-]{3,32}$/.test(folded)) {
      ctx.addIssue({ code: 'custom', message: 'staff.username' });
      return z.NEVER;
    }
    return folded;
  });

const idField = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
export const pageInput = { page: z.number().int().min(1).max(100_000).default(1), pageSize: z.number().int().min(1).max(100).default(20) };
const paged = <T extends z.ZodType>(item: T) => z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), items: z.array(item) });
/** A calendar day as typed in a date field; read as a day in Japan (JST). */
/** A calendar day that exists (2026-02-30 and 9999-99-99 have the shape, not a day: they reached date maths and failed there). */
const dayField = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date' })
  .refine((day) => {
    const ms = Date.parse(`${day}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(day);
  }, { message: 'date' });

export const staffMeSchema = z.object({
  staffId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: staffRoleSchema,
  mustChangePassword: z.boolean(),
  sessionMinutes: z.number().int(),
  minPasswordLength: z.number().int(),
});

export const staffUserSchema = z.object({
  staffId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: staffRoleSchema,
  mustChangePassword: z.boolean(),
  /** The one-time password an admin issued was not changed within its lifetime (staff-auth-service). */
  oneTimePasswordExpired: z.boolean(),
  locked: z.boolean(),
  disabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  /** The user's role, state and password as this list saw them, sent back with パスワード再発行. */
  revision: z.string(),
});

export const lockKindSchema = z.enum(['reset', 'login']);

export const accountSummarySchema = z.object({
  accountId: z.string(),
  maskedJsaId: z.string(),
  maskedEmail: z.string(),
  contactName: z.string(),
  company: z.string(),
  department: z.string(),
  phone: z.string(),
  locks: z.array(lockKindSchema),
});

export const resetRequestViewSchema = z.object({
  requestId: z.string(),
  channel: z.string(),
  status: z.string(),
  effectiveStatus: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  completedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  attempts: z.number().int(),
});

export const lockViewSchema = z.object({
  kind: lockKindSchema,
  reason: z.string(),
  lockedAt: z.string(),
  unlockedAt: z.string().nullable(),
  unlockedBy: z.string().nullable(),
});

/**
 * Who did it, resolved when the log is read: a staff user by their current name (a renamed
 * user stays readable, a disabled one still shows), anyone else by kind. `code` is what the
 * log stores (staff:<id>, customer:<id>, kiosk, system, cli).
 */
export const auditActorSchema = z.object({
  code: z.string(),
  kind: z.enum(actorKinds),
  displayName: z.string().nullable(),
  username: z.string().nullable(),
  disabled: z.boolean(),
});

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  /** The stored actor code; `actorView` is what a person reads. */
  actor: z.string(),
  actorView: auditActorSchema,
  action: z.string(),
  /** Masked by the staff masking rule (a JSA-ID shows its last four digits). */
  subject: z.string().nullable(),
  /** A subject that is a staff user (staff:<id>), named as an actor is. */
  subjectView: auditActorSchema.nullable(),
  /**
   * The detail as labelled fields (key path, value as text), masked by the same rule. An array
   * also gives its entries as `items`, which a screen joins with its language's separator
   * (`value` holds them joined with ", " for a reader of text alone).
   */
  fields: z.array(z.object({ key: z.string(), value: z.string(), items: z.array(z.string()).optional() })),
});

export const inquiryKindSchema = z.enum(['jsa_id_unknown', 'contact_change']);
export const inquiryStatusSchema = z.enum(['open', 'approved', 'refused', 'withdrawn']);

export const inquirySummarySchema = z.object({
  inquiryId: z.string(),
  reference: z.string(),
  kind: z.string(),
  status: z.string(),
  createdAt: z.string(),
  name: z.string(),
  company: z.string(),
  decidedAt: z.string().nullable(),
});

export const identityMatchSchema = z.object({
  fields: z.array(
    z.object({
      field: z.enum(identityFields),
      registered: z.string(),
      given: z.string(),
      verdict: z.enum(['same', 'similar', 'different', 'missing']),
    }),
  ),
  overall: z.enum(['match', 'review', 'refuse']),
  refuseBecause: z.array(z.enum(identityFields)),
});

export const reasonTemplates = [
  'identity-confirmed',
  'identity-confirmed-document',
  'address-mismatch',
  'company-mismatch',
  'no-matching-account',
  'insufficient-information',
  'duplicate',
  'other',
] as const;

export const identityDocuments = ['driver-license', 'my-number-card', 'passport', 'residence-card', 'health-insurance', 'employee-id', 'other'] as const;

export const mailSummarySchema = z.object({
  mailId: z.string(),
  template: z.string(),
  locale: z.string(),
  maskedTo: z.string(),
  state: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /** When it was handed to the SMTP server (about when the customer got it, if they did). */
  handoverAt: z.string().nullable(),
  /** The mail carries a code or link with a lifetime (reset, e-mail change). */
  carriesCode: z.boolean(),
});

export const auditFilterInput = {
  action: z.string().max(100).optional(),
  /** A stored actor code (staff:<id> from the user list), or a prefix ending in ":". */
  actor: z.string().max(100).optional(),
  /** Part of a staff user's name or user name; width, case and spaces ignored. */
  actorName: z.string().max(100).optional(),
  subject: z.string().max(100).optional(),
  from: dayField.optional(),
  to: dayField.optional(),
};

export const dashboardSchema = z.object({
  days: z.array(z.object({ day: z.string(), requests: z.number().int(), completed: z.number().int(), byStaff: z.number().int() })),
  totals: z.object({ requests: z.number().int(), completed: z.number().int(), completionRate: z.number().nullable(), medianMinutesToComplete: z.number().nullable() }),
  openInquiries: z.object({ jsaIdUnknown: z.number().int(), contactChange: z.number().int() }),
  activeLocks: z.number().int(),
  mail: z.object({ queued: z.number().int(), failed: z.number().int(), sent: z.number().int() }),
  /** Demo accounts still in the store (ASVS 5.0 V6.3.2: one has a published password). */
  demoAccounts: z.number().int(),
});

export const staffCalls = {
  'staff.login': defineCall({
    checksSecret: true,
    role: 'public',
    sensitive: true,
    // A name with a control character or a mark nobody sees is nobody's (staffUsernameField refuses
    // them): said beside the field, not counted under a stored name the database may rewrite.
    input: z.object({ username: z.string().max(64, { message: 'tooLong' }).refine((value) => !hasHiddenCharacters(value), { message: 'controlCharacters' }), password: currentPasswordField }),
    output: staffMeSchema,
  }),
  'staff.logout': defineCall({ role: 'agent', input: z.object({}), output: z.object({ loggedOut: z.literal(true) }) }),
  'staff.me': defineCall({ role: 'agent', input: z.object({}), output: staffMeSchema }),
  'staff.changePassword': defineCall({
    checksSecret: true,
    role: 'agent',
    sensitive: true,
    input: z.object({ current: currentPasswordField, next: passwordField, confirm: passwordField }),
    output: z.object({ changed: z.literal(true) }),
  }),

  'staff.users.list': defineCall({ role: 'admin', input: z.object({}), output: z.object({ items: z.array(staffUserSchema) }) }),
  'staff.users.create': defineCall({
    role: 'admin',
    sensitive: true,
    input: z.object({ username: staffUsernameField, displayName: staffDisplayNameField, role: staffRoleSchema }),
    output: z.object({ user: staffUserSchema, oneTimePassword: z.string() }),
  }),
  /**
   * `revision`: the list's; refused with CONFLICT 'staff-changed' when the user changed since
   * (a stale ロック解除 lifted a lock set after the list was drawn; a stale role choice replaced
   * a role another admin had just given).
   */
  'staff.users.update': defineCall({
    role: 'admin',
    input: z.object({ staffId: idField, role: staffRoleSchema.optional(), disabled: z.boolean().optional(), unlock: z.boolean().optional(), revision: z.string().max(64).optional() }),
    output: z.object({ user: staffUserSchema }),
  }),
  /**
   * A new one-time password. `revision`: the list's; refused with CONFLICT 'staff-changed' when
   * the user changed since (another admin's 再発行 a moment before would be ended unseen).
   */
  'staff.users.resetPassword': defineCall({
    role: 'admin',
    sensitive: true,
    input: z.object({ staffId: idField, revision: z.string().max(64).optional() }),
    output: z.object({ oneTimePassword: z.string() }),
  }),

  /**
   * ASVS 5.0 V7.4.5: an admin sees a staff user's logins (when each began, when last used; a
   * handle, never the token) and ends one or all of them (audited). The user's next call
   * answers UNAUTHENTICATED and the staff screen shows the login again.
   */
  'staff.users.sessions': defineCall({
    role: 'admin',
    input: z.object({ staffId: idField }),
    output: z.object({ sessions: z.array(z.object({ ref: z.string(), loggedInAt: z.string(), lastSeenAt: z.string(), current: z.boolean() })) }),
  }),
  'staff.users.endSessions': defineCall({
    role: 'admin',
    input: z.object({ staffId: idField, ref: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).optional() }),
    output: z.object({ ended: z.number().int() }),
  }),

  /** Lookup by JSA-ID, email, name, company or phone; width, kana, case and spaces folded. */
  'staff.accounts.search': defineCall({
    role: 'agent',
    input: z.object({
      query: searchQueryField,
      field: z.enum(['any', 'jsaId', 'email', 'name', 'company', 'phone']).default('any'),
      ...pageInput,
    }),
    // capped: more than 1,000 matched; the list holds the first 1,000 in JSA-ID order.
    // incomplete: the first sync is still copying rows, or folding the name/company/phone keys.
    output: paged(accountSummarySchema).extend({ capped: z.boolean(), incomplete: z.enum(['copying', 'indexing']).nullable() }),
  }),
  'staff.accounts.get': defineCall({
    role: 'agent',
    input: z.object({ accountId: idField }),
    output: z.object({
      account: accountSummarySchema.extend({ address: z.string(), hasPassword: z.boolean(), passwordChangedAt: z.string().nullable(), updatedAt: z.string() }),
      requests: z.array(resetRequestViewSchema),
      locks: z.array(lockViewSchema),
      history: z.array(auditEntrySchema),
      inquiries: z.array(inquirySummarySchema),
      /** The registered contact as this screen saw it, sent back with 送信. */
      revision: z.string(),
      /** The active locks of each kind as this screen saw them, sent back with 停止を解除. */
      lockRevisions: z.object({ reset: z.string(), login: z.string() }),
    }),
  }),
  /** Shows the full JSA-ID and email after the clerk records the identity document seen (audited). */
  'staff.accounts.revealIdentity': defineCall({
    role: 'agent',
    sensitive: true,
    input: z.object({ accountId: idField, document: z.enum(identityDocuments), note: textField(200, { required: false }).default('') }),
    output: z.object({ jsaId: z.string(), email: z.string() }),
  }),

  /**
   * A reset on the customer's behalf: the code goes to the registered address only. `revision`:
   * the account screen's; refused with CONFLICT 'account-changed' when the registered contact
   * changed since the clerk checked the customer against it.
   */
  'staff.reset.send': defineCall({
    role: 'agent',
    input: z.object({ accountId: idField, locale: localeSchema.default('ja'), lifetimeHours: z.number().int().min(1).max(24).optional(), revision: z.string().max(64).optional() }),
    output: z.object({ requestId: z.string(), expiresAt: z.string(), maskedEmail: z.string() }),
  }),
  /** The same code mail again (same code, same link), after the resend cooldown. */
  'staff.reset.resend': defineCall({
    role: 'agent',
    input: z.object({ requestId: idField }),
    output: z.object({ requestId: z.string(), maskedEmail: z.string() }),
  }),
  'staff.reset.cancel': defineCall({
    role: 'agent',
    input: z.object({ requestId: idField }),
    output: z.object({ cancelled: z.literal(true) }),
  }),
  /**
   * `revision`: the account screen's `lockRevisions[kind]`; refused with CONFLICT 'lock-changed'
   * when the lock it showed was lifted and a new one set since (the new one stays until seen).
   */
  'staff.locks.lift': defineCall({
    role: 'supervisor',
    input: z.object({ accountId: idField, kind: lockKindSchema, reason: textField(200, { required: false }).default(''), revision: z.string().max(64).optional() }),
    output: z.object({ lifted: z.number().int() }),
  }),

  'staff.inquiries.list': defineCall({
    role: 'agent',
    input: z.object({ status: inquiryStatusSchema.optional(), kind: inquiryKindSchema.optional(), ...pageInput }),
    output: paged(inquirySummarySchema),
  }),
  /** The identity check: what the customer gave beside each candidate account, field by field. */
  'staff.inquiries.get': defineCall({
    role: 'agent',
    input: z.object({ inquiryId: idField }),
    output: z.object({
      inquiry: inquirySummarySchema.extend({
        given: z.record(z.string(), z.string()),
        maskedReplyEmail: z.string(),
        decisionReason: z.string().nullable(),
        decidedBy: z.string().nullable(),
      }),
      /** `revision`: the candidate's registered contact as compared here, sent back with 承認. */
      candidates: z.array(z.object({ account: accountSummarySchema, match: identityMatchSchema, revision: z.string() })),
      reviews: z.array(
        z.object({
          decision: z.string(),
          reasonTemplate: z.string(),
          reasonText: z.string(),
          overrideReason: z.string().nullable(),
          decidedBy: z.string(),
          decidedAt: z.string(),
        }),
      ),
    }),
  }),
  /** Approve or refuse. Approving against a different address or company needs a supervisor's written override. */
  'staff.inquiries.decide': defineCall({
    role: 'agent',
    input: z.object({
      inquiryId: idField,
      decision: z.enum(['approve', 'refuse']),
      accountId: idField.optional(),
      reasonTemplate: z.enum(reasonTemplates),
      reasonText: textField(500, { required: false }).default(''),
      overrideReason: textField(500, { required: false }).optional(),
      /** The chosen candidate's; refused with CONFLICT 'candidate-changed' when its registered contact changed since. */
      revision: z.string().max(64).optional(),
    }),
    output: z.object({ status: inquiryStatusSchema }),
  }),

  'staff.outbox.list': defineCall({
    role: 'agent',
    input: z.object({ state: z.enum(['queued', 'sending', 'committing', 'sent', 'failed', 'unknown', 'withdrawn']).optional(), ...pageInput }),
    output: paged(mailSummarySchema),
  }),
  /** The mail as rendered for delivery, with code, link and JSA-ID masked. */
  'staff.outbox.get': defineCall({
    role: 'agent',
    input: z.object({ mailId: idField }),
    output: z.object({ mail: mailSummarySchema, subject: z.string(), text: z.string() }),
  }),
  'staff.outbox.retry': defineCall({
    role: 'supervisor',
    input: z.object({ mailId: idField }),
    output: z.object({ queued: z.boolean() }),
  }),
  /**
   * A mail whose delivery is unknown (送信結果不明: the connection broke after it was handed
   * over) is never sent again by itself. After asking the customer, a supervisor records the
   * answer: `resend` (not received; it goes out again, first in line) or `delivered`. Audited.
   */
  'staff.outbox.resolveUnknown': defineCall({
    role: 'supervisor',
    input: z.object({ mailId: idField, outcome: z.enum(['resend', 'delivered']) }),
    output: z.object({ resolved: z.boolean() }),
  }),

  'staff.audit.list': defineCall({
    role: 'supervisor',
    input: z.object({ ...auditFilterInput, ...pageInput }),
    // actors: every staff user (also disabled ones) for the 実行者 filter; staff.users.list is an admin's.
    output: paged(auditEntrySchema).extend({ actions: z.array(z.string()), actors: z.array(auditActorSchema) }),
  }),
  /** CSV (UTF-8 with BOM, CRLF) for spreadsheet programs; the renderer saves it as a download. */
  'staff.audit.export': defineCall({
    role: 'supervisor',
    input: z.object({ ...auditFilterInput, locale: localeSchema.default('ja') }),
    output: z.object({ filename: z.string(), csv: z.string(), rows: z.number().int(), truncated: z.boolean() }),
  }),
  'staff.audit.verify': defineCall({
    role: 'supervisor',
    input: z.object({}),
    output: z.object({ checked: z.number().int(), firstBreak: z.object({ seq: z.number().int(), reason: z.enum(['prev-hash', 'hash', 'marker']) }).optional() }),
  }),

  'staff.dashboard': defineCall({
    role: 'agent',
    input: z.object({ days: z.number().int().min(1).max(90).default(14) }),
    output: dashboardSchema,
  }),

  /** `revision`: these values as the screen saw them, sent back with its save. */
  'staff.settings.get': defineCall({
    role: 'admin',
    input: z.object({}),
    output: z.object({ settings: runtimeSettingsSchema, kioskId: z.string(), revision: z.string() }),
  }),
  /**
   * The whole settings object (as staff.settings.get returns it); changed keys are stored and
   * audited. Refused with CONFLICT 'settings-changed' when the settings changed since `revision`
   * was read: a screen loaded before another admin saved would put the old values back.
   */
  'staff.settings.update': defineCall({
    role: 'admin',
    // The stored settings are read with runtimeSettingsSchema; what an admin sends is held to the field rules too.
    input: z.object({ settings: runtimeSettingsSchema.extend({ printerName: printerNameField.default('') }), revision: z.string().max(64) }),
    output: z.object({ settings: runtimeSettingsSchema, kioskId: z.string(), revision: z.string() }),
  }),
};

export type StaffCallName = keyof typeof staffCalls;
