import { z } from 'zod';

/**
 * Settings an admin changes at run time (stored in the `settings` table, audited). Defaults
 * are the DESIGN §6 numbers; bounds keep an operator from switching a protection off.
 */
export const passwordPolicySchema = z.object({
  // ASVS 5.0 V6.2.1: at least 8; 12 is our default (NIST SP 800-63B recommends 15 for single factor, 8 minimum).
  minLength: z.number().int().min(8).max(64).default(12),
  // ASVS V6.2.9: at least 64 must be accepted.
  maxLength: z.number().int().min(64).max(256).default(128),
  // Composition rules are beyond ASVS (V6.2.5 forbids requiring them); operators may opt in.
  requireLower: z.boolean().default(false),
  requireUpper: z.boolean().default(false),
  requireDigit: z.boolean().default(false),
  requireSymbol: z.boolean().default(false),
  historyCount: z.number().int().min(0).max(24).default(5),
});
export type PasswordPolicy = z.infer<typeof passwordPolicySchema>;

export const limitsSchema = z.object({
  perAccountPerHour: z.number().int().min(1).max(100).default(5),
  perEmailPerHour: z.number().int().min(1).max(100).default(10),
  perKioskPerHour: z.number().int().min(1).max(10_000).default(60),
  resendCooldownSeconds: z.number().int().min(0).max(3600).default(60),
  maxCodeAttempts: z.number().int().min(1).max(10).default(5),
  maxFailuresPerDay: z.number().int().min(1).max(100).default(10),
  maxLoginFailures: z.number().int().min(3).max(100).default(10),
});
export type Limits = z.infer<typeof limitsSchema>;

export const runtimeSettingsSchema = z.object({
  passwordPolicy: passwordPolicySchema.default(passwordPolicySchema.parse({})),
  limits: limitsSchema.default(limitsSchema.parse({})),
  // 30 min: the seed promises the mail within 30 minutes and the code lives as long.
  codeLifetimeMinutes: z.number().int().min(5).max(120).default(30),
  // Staff-initiated requests may live up to 24 h (DESIGN §6): the customer may be at home.
  staffCodeLifetimeHours: z.number().int().min(1).max(24).default(24),
  supportEmail: z.string().email().max(254).default('webdesk@jisa.or.jp'),
  /** The 受付票 printer's name as the OS knows it (Electron silent print); '' = the print dialog. */
  printerName: z.string().max(200).default(''),
  uniformResponses: z.boolean().default(false),
  // A kiosk returns to トップ after this much inactivity; 30 s before, it asks.
  idleTimeoutSeconds: z.number().int().min(15).max(3600).default(180),
  customerSessionMinutes: z.number().int().min(1).max(120).default(5),
  staffSessionMinutes: z.number().int().min(1).max(120).default(15),
  // ASVS 5.0 V7.3.2: a login ends this long after it began, however busy (a counter shift is 8 h,
  // a staff day 12 h).
  customerSessionMaxHours: z.number().int().min(1).max(24).default(8),
  staffSessionMaxHours: z.number().int().min(1).max(24).default(12),
  // Daily backups of the local store kept in DATA_DIR/backups (two weeks by default).
  backupKeep: z.number().int().min(1).max(365).default(14),
  // APPI: finished reset requests, attempt records and sent mail are purged after this many
  // days. At least 2: the longest limit window is 24 h. 90 days covers a customer's
  // "I never asked for this" enquiry a few months later.
  retentionDays: z.number().int().min(2).max(3650).default(90),
  // Audit entries name JSA-IDs, so they are personal data too, but kept longer: 400 days
  // covers a yearly audit plus a month. Purging leaves a signed marker (docs/operations.md).
  auditRetentionDays: z.number().int().min(90).max(3650).default(400),
});
export type RuntimeSettings = z.infer<typeof runtimeSettingsSchema>;

export const defaultRuntimeSettings: RuntimeSettings = runtimeSettingsSchema.parse({});
