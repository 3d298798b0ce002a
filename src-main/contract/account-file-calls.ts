import { z } from 'zod';
import { defineCall } from './define-call';
import { localeSchema } from './fields';
import { IMPORT_COLUMNS } from './import-messages';

/**
 * 「アカウントの取り込み」 (admin) and 「アカウントの書き出し」 (supervisor+) in the staff tools
 * (issue 18 §4). The file itself never rides a call: an upload or a download is one streamed
 * request on its own route (web mode) or the main process's own file dialog (Electron), opened
 * by a single-use ticket that one of these calls hands out after the role check.
 */

export const csvEncodingSchema = z.enum(['utf-8', 'shift_jis']);
export type CsvFileEncoding = z.infer<typeof csvEncodingSchema>;

const importColumnSchema = z.enum(IMPORT_COLUMNS);

/** One problem of a refused row, as import-messages.ts words it (codes + params, never text). */
export const importIssueSchema = z.object({
  column: importColumnSchema.optional(),
  field: z.string().optional(),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/** A refused row on the screen: its line and why (its values stay in the rejects file). */
export const importProblemSchema = z.object({ line: z.number().int(), issues: z.array(importIssueSchema) });

const importCounts = {
  rows: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  bytes: z.number().int(),
  totalBytes: z.number().int(),
};

/**
 * Why a run of the staff screens ended before its file did: the admin who started it may no
 * longer import (disabled, no longer an admin, or no login of theirs left). It stops before its
 * next batch; what it wrote stays, whole batches only.
 */
export const importEndReasons = ['starter-disabled', 'starter-not-admin', 'starter-logged-out'] as const;
export type ImportEndReason = (typeof importEndReasons)[number];

/** The counter's one import slot: the chosen file (with its first rows) and the last or running run. */
export const importJobSchema = z.object({
  file: z
    .object({
      name: z.string(),
      bytes: z.number().int(),
      /** null: no byte above 0x7F seen in the part read (plain ASCII reads the same in both). */
      encoding: csvEncodingSchema.nullable(),
      /** The header line as read, and the first rows under it (at most PREVIEW_ROWS; JSA-IDs and addresses masked for staff). */
      columns: z.array(z.string()),
      rows: z.array(z.array(z.string())),
      /** The header lacks columns the import needs: the import would stop at line 1. */
      missingColumns: z.array(z.string()),
      /** The file is UTF-16 (Excel's 「Unicode テキスト」): nothing in it was read; the import would stop at line 1 saying so. */
      utf16: z.boolean().optional(),
      chosenAt: z.string(),
      /** Who chose it: display name and user name apart, for the screen to join in its language. */
      chosenBy: z.string(),
      chosenByUser: z.string(),
    })
    .nullable(),
  run: z
    .object({
      kind: z.enum(['dry-run', 'import']),
      state: z.enum(['running', 'done', 'failed']),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      by: z.string(),
      byUser: z.string(),
      ...importCounts,
      demoRemoved: z.number().int(),
      /** The header was unusable or the CSV broke: nothing after that line was read. */
      stopped: z.boolean(),
      seconds: z.number(),
      /** The first 100 refused rows; all of them are in the rejects file. */
      problems: z.array(importProblemSchema),
      rejectsAvailable: z.boolean(),
      /** Set when the run was stopped because of its admin (state 'failed'). */
      endedBecause: z.enum(importEndReasons).nullable(),
    })
    .nullable(),
  /** The upload size limit, for the screen to say before a file is sent. */
  maxBytes: z.number().int(),
});
export type ImportJobView = z.infer<typeof importJobSchema>;

const ticketSchema = z.object({ ticket: z.string(), fileName: z.string() });

export const unwritableSchema = z.object({
  /** Accounts with at least one character Shift_JIS cannot hold. */
  accounts: z.number().int(),
  /** The first few, JSA-ID masked for staff, with the column and the characters. */
  examples: z.array(z.object({ maskedJsaId: z.string(), column: importColumnSchema, characters: z.array(z.string()) })),
});

export const accountFileCalls = {
  /** The import slot as it is now: polled by the screen while a run goes on. */
  'accounts.import.status': defineCall({ role: 'admin', passive: true, input: z.object({}), output: importJobSchema }),

  /** Web mode: a single-use ticket for one upload to /api/upload/<ticket> (its own size limit). */
  'accounts.import.beginUpload': defineCall({
    role: 'admin',
    input: z.object({ fileName: z.string().min(1).max(255), bytes: z.number().int().min(0) }),
    output: ticketSchema.extend({ maxBytes: z.number().int() }),
  }),

  /** Electron: the main process's own file dialog; the chosen file is copied into the slot. */
  'accounts.import.chooseFile': defineCall({
    role: 'admin',
    input: z.object({}),
    output: z.object({ chosen: z.boolean(), job: importJobSchema }),
  }),

  /** Starts a dry run or the import of the chosen file (one run at a time per counter). */
  'accounts.import.run': defineCall({
    role: 'admin',
    input: z.object({ dryRun: z.boolean(), locale: localeSchema }),
    output: importJobSchema,
  }),

  /** Forgets the chosen file and the last run's rejected rows (both hold personal data). */
  'accounts.import.discard': defineCall({ role: 'admin', input: z.object({}), output: importJobSchema }),

  /** A ticket for the rejected rows (UTF-8 with BOM, line and reason first); audited. */
  'accounts.import.rejects': defineCall({ role: 'admin', input: z.object({}), output: ticketSchema }),

  /** How many accounts an export would write. */
  'accounts.export.summary': defineCall({ role: 'supervisor', input: z.object({}), output: z.object({ accounts: z.number().int() }) }),

  /**
   * A ticket for the export, after the personal-data warning was confirmed; audited. Shift_JIS
   * is refused, with the characters named, when an account holds one it cannot write.
   */
  'accounts.export.begin': defineCall({
    role: 'supervisor',
    input: z.object({ encoding: csvEncodingSchema, personalDataConfirmed: z.literal(true) }),
    output: z.union([ticketSchema.extend({ accounts: z.number().int() }), z.object({ unwritable: unwritableSchema })]),
  }),
};

export type AccountFileCallName = keyof typeof accountFileCalls;
