import { z } from 'zod';
import { defineCall } from './define-call';
import { printerNameField } from './fields';
import { errorCodes } from './errors';
import { appModeSchema } from './app-calls';
import { mailFromProblem } from '../domain/mail-from';

/**
 * Running a counter for years (issue 7): diagnostics, first-run setup, backups and
 * retention. Secrets go in (SMTP and central passwords) but never come out: answers carry
 * URLs without passwords and a flag saying whether one is stored.
 */

const urlWithScheme = (schemes: string[]) =>
  z
    .string()
    .max(2000, { message: 'tooLong' })
    .refine(
      (value) => {
        try {
          // As start-up reads it (app/config.ts): a host (or ?host=), and no port 0.
          const url = new URL(value);
          return schemes.includes(url.protocol) && (url.hostname !== '' || Boolean(url.searchParams.get('host'))) && url.port !== '0';
        } catch {
          return false;
        }
      },
      { message: 'url.format', params: { schemes: schemes.join(' ') } },
    );

export const smtpUrlField = urlWithScheme(['smtp:', 'smtps:']);
export const centralUrlField = urlWithScheme(['postgres:', 'postgresql:']);
export const publicUrlField = urlWithScheme(['http:', 'https:']);
export const kioskIdField = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'kioskId.format' });
export const mailFromField = z
  .string()
  .max(300, { message: 'tooLong' })
  .superRefine((value, ctx) => {
    const problem = mailFromProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem === 'format' ? 'mailFrom.format' : 'controlCharacters' });
  });
const secretField = z.string().min(1).max(500);

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  /** Why the status is degraded, as short codes (no text, no data). */
  problems: z.array(z.string()),
  version: z.string(),
  versions: z.object({ app: z.string(), node: z.string(), electron: z.string().nullable(), sqlite: z.string() }),
  /** The newest local migration applied, and the newest this version knows. */
  schema: z.string().nullable(),
  schemaExpected: z.string(),
  mode: appModeSchema,
  kioskId: z.string(),
  store: z.object({ bytes: z.number().int(), walBytes: z.number().int(), startupCheck: z.string() }),
  outboxDepth: z.number().int(),
  outboxFailed: z.number().int(),
  /** Mails whose delivery is unknown (送信結果不明): staff must check with the customer. */
  outboxUnknown: z.number().int(),
  /** null when standalone (no central database configured) or before the first sync. */
  sync: z.object({
    central: z.boolean(),
    /** The sync engine's state (sync.status), null when standalone. */
    state: z.enum(['starting', 'first-sync', 'online', 'offline', 'refused', 'stopped']).nullable(),
    offlineSince: z.string().nullable(),
    /** Why central could not be used, as a code (contract/central-failures.ts words it); never the message (it may name a host). */
    lastErrorCode: z.string().nullable(),
    /** Changes waiting to reach central. */
    outboxDepth: z.number().int(),
    /** Seconds the oldest of them has waited; null when none waits. */
    lagSeconds: z.number().nullable(),
    /** This counter's clock minus central's, at the last connect. */
    clockAheadMs: z.number().nullable(),
    /** The code key in use (its id, never the key) and the one-line mismatch, when there is one (DESIGN §7). */
    codeKey: z.object({ state: z.enum(['standalone', 'awaiting', 'deployment', 'mismatch']), currentKeyId: z.string(), mismatch: z.string().nullable() }),
  }),
  lastErrors: z.array(z.object({ at: z.string(), call: z.string().nullable(), code: z.enum(errorCodes) })),
  /** `…Ahead`: the stamp is later than the counter's clock (made while it was ahead), so it counts as not done. */
  backups: z.object({ count: z.number().int(), newestAt: z.string().nullable(), newestAhead: z.boolean(), keep: z.number().int() }),
  retention: z.object({ lastPurgeAt: z.string().nullable(), lastPurgeAhead: z.boolean() }),
  /** The counter's clock now, and what 'clock-implausible' measured it against (the last purge by now, else the newest audit entry). */
  clock: z.object({ now: z.string(), referenceAt: z.string().nullable() }),
  startedAt: z.string(),
  uptimeSeconds: z.number().int(),
  /** Demo accounts still in the store (one has the README's password): problem `demo-accounts`. */
  demoAccounts: z.number().int(),
});
export type Health = z.infer<typeof healthSchema>;

/**
 * GET /health, which needs no login: the figures without the recent errors. Their call names
 * and times (staff.login failures, refused codes) let another user of the PC follow the
 * counter's activity live; supervisors see them on 診断情報 (ops.diagnostics).
 */
/**
 * /health for anyone on the PC: not the recent errors, nor `clock` (its referenceAt is, on a
 * store never purged, the time of the newest audit entry: when someone last did something).
 */
/**
 * /health for anyone on the PC: not the recent errors or the clock's reference, nor when the
 * last backup and purge ran (how far back records reach, when the next copy comes); a
 * monitor reads `backup-overdue` and `clock-implausible` in `problems` (docs/decisions.md).
 */
/**
 * Nor the queues and the store's size: a matched 「サポートメール依頼」 queues a code mail and
 * a request to sync and writes more pages than a no match, so these moved for a registered
 * JSA-ID and address only, while the kiosk answers 受付完了 to both (DESIGN §6). A monitor
 * reads `mail-delayed`, `mail-failed`, `mail-unknown` and `sync-offline` in `problems`.
 */
export const publicHealthSchema = healthSchema.omit({ lastErrors: true, clock: true, backups: true, retention: true, outboxDepth: true, outboxFailed: true, outboxUnknown: true }).extend({
  store: healthSchema.shape.store.pick({ startupCheck: true }),
  sync: healthSchema.shape.sync.omit({ outboxDepth: true }),
});
export type PublicHealth = z.infer<typeof publicHealthSchema>;

/** Where a value comes from; `env` values win over saved ones, and the screen shows them read-only. */
const source = z.enum(['env', 'file', 'default']);
const settingView = <T extends z.ZodType>(value: T) => z.object({ value, source });

export const setupViewSchema = z.object({
  kioskId: settingView(z.string()),
  mode: settingView(appModeSchema),
  supportEmail: z.string(),
  /** The 受付票 printer (issue 15); a run-time setting like the support address, applied at once. */
  printerName: z.string(),
  publicUrl: settingView(z.string().nullable()),
  mailFrom: settingView(z.string()),
  /** Without the password; `smtpPasswordSet` says whether one is stored. */
  smtpUrl: settingView(z.string().nullable()),
  smtpPasswordSet: z.boolean(),
  centralUrl: settingView(z.string().nullable()),
  centralPasswordSet: z.boolean(),
  /** Where secrets are kept: Electron's safeStorage (OS keychain) or a file only the app's user may read. */
  secretStore: z.enum(['safeStorage', 'file']),
  /** True when saved values differ from what the running app started with. */
  restartRequired: z.boolean(),
  /** False until the setup has been saved once: the staff UI opens the first-run setup then. */
  configured: z.boolean(),
  /** Demo accounts still in the store; 「デモデータを削除」 removes them. */
  demoAccounts: z.number().int(),
  /** The values above as this screen saw them, sent back with its save. */
  revision: z.string(),
});
export type SetupView = z.infer<typeof setupViewSchema>;

const probeError = z.object({
  /** A stable code from the driver (ECONNREFUSED, EAUTH, ETIMEDOUT, 28P01 …), never its message. */
  code: z.string(),
  responseCode: z.number().int().optional(),
  /** Connected, but the SMTP relay never greeted: one that waits for TLS first (smtp:// to port 465). */
  noGreeting: z.literal(true).optional(),
});

const retentionItem = z.object({
  what: z.enum(['resetRequests', 'attemptRecords', 'mailSecrets', 'mail', 'maildropFiles', 'auditLog', 'logs', 'backups']),
  keptDays: z.number().int().nullable(),
  keptCount: z.number().int().nullable(),
});

export const purgeReportSchema = z.object({
  at: z.string(),
  resetRequests: z.number().int(),
  attemptRecords: z.number().int(),
  mailSecrets: z.number().int(),
  mail: z.number().int(),
  maildropFiles: z.number().int(),
  auditEntries: z.number().int(),
});

/** `ahead`: stamped later than the counter's clock (made while it was ahead); not counted as the newest. */
const backupItem = z.object({ name: z.string(), bytes: z.number().int(), at: z.string(), ahead: z.boolean() });

export const opsCalls = {
  /** 「サポート用データを書き出す」: a zip of health, settings and masked logs (no personal data, no secret). */
  'ops.supportBundle': defineCall({
    role: 'supervisor',
    input: z.object({}),
    output: z.object({ fileName: z.string(), base64: z.string(), bytes: z.number().int() }),
  }),

  /** The diagnostics screen: the figures of /health in web mode, and the recent errors. */
  'ops.diagnostics': defineCall({ role: 'supervisor', input: z.object({}), output: healthSchema }),

  /** First-run setup: what is configured, where each value comes from, no secrets. */
  'ops.setup.get': defineCall({ role: 'admin', input: z.object({}), output: setupViewSchema }),

  /**
   * Saves deployment settings into the data folder (applied at the next start; the
   * environment still wins). A password may come inline in the URL or separately; null
   * clears a value. The support address is a run-time setting and applies at once.
   */
  'ops.setup.save': defineCall({
    role: 'admin',
    sensitive: true,
    input: z.object({
      kioskId: kioskIdField.optional(),
      mode: appModeSchema.optional(),
      supportEmail: z.string().email({ message: 'email.format' }).max(254).optional(),
      // A device name as the OS lists it: no control characters or marks nobody sees (they were stored and audited).
      printerName: printerNameField.optional(),
      publicUrl: publicUrlField.nullable().optional(),
      mailFrom: mailFromField.optional(),
      smtpUrl: smtpUrlField.nullable().optional(),
      smtpPassword: secretField.nullable().optional(),
      centralUrl: centralUrlField.nullable().optional(),
      centralPassword: secretField.nullable().optional(),
      /**
       * The screen's `revision`: refused with CONFLICT 'settings-changed' when another admin
       * saved since. Without it (a call naming only its changes, outside the screen) no check.
       */
      revision: z.string().max(64).optional(),
    }),
    output: setupViewSchema,
  }),

  /** 「テストメール送信」: one mail through the given SMTP URL (or the saved one) to `to`. */
  'ops.testMail': defineCall({
    role: 'admin',
    sensitive: true,
    input: z.object({
      to: z.string().email({ message: 'email.format' }).max(254),
      smtpUrl: smtpUrlField.optional(),
      smtpPassword: secretField.optional(),
    }),
    output: z.object({ ok: z.boolean(), ms: z.number().int(), messageId: z.string().optional(), error: probeError.optional() }),
  }),

  /** 「接続テスト」: connects to the central PostgreSQL, reports its version and schema. */
  'ops.testCentral': defineCall({
    role: 'admin',
    sensitive: true,
    input: z.object({ centralUrl: centralUrlField.optional(), centralPassword: secretField.optional() }),
    output: z.object({
      ok: z.boolean(),
      ms: z.number().int(),
      serverVersion: z.string().optional(),
      /** The newest central migration there (knex_migrations_central); null when central is not migrated. */
      schemaVersion: z.string().nullable().optional(),
      tls: z.boolean().optional(),
      error: probeError.optional(),
    }),
  }),

  /** What is kept and for how long (APPI), and what the last purge removed. */
  'ops.retention': defineCall({
    role: 'supervisor',
    input: z.object({}),
    output: z.object({ items: z.array(retentionItem), lastPurge: purgeReportSchema.nullable(), lastPurgeAhead: z.boolean() }),
  }),

  /** Removes the demo accounts now (ASVS 5.0 V6.3.2; audited). */
  'ops.setup.removeDemoAccounts': defineCall({ role: 'admin', input: z.object({}), output: z.object({ removed: z.number().int() }) }),
  /**
   * Runs the retention purge now. `clockChecked`: the admin was shown 'clock-implausible' and
   * confirmed the clock; without it a purge under a distrusted clock is CONFLICT `clock-implausible`.
   */
  'ops.purgeNow': defineCall({ role: 'admin', input: z.object({ clockChecked: z.boolean().optional() }), output: purgeReportSchema }),

  /** The daily backups in DATA_DIR/backups, newest first. */
  'ops.backups': defineCall({
    role: 'supervisor',
    input: z.object({}),
    output: z.object({ keep: z.number().int(), items: z.array(backupItem) }),
  }),

  /** Takes a backup now (an online copy; the kiosk keeps working). */
  'ops.backupNow': defineCall({ role: 'admin', input: z.object({}), output: backupItem }),
};
