import { z } from 'zod';
import { defineCall } from './define-call';
import { printerNameField } from './fields';

export const appModeSchema = z.enum(['kiosk', 'staff']);

const printOutcome = z.object({ done: z.boolean(), reason: z.enum(['web-mode', 'no-printer', 'failed']).optional() });

export const appCalls = {
  /** What the renderer needs before its first screen: mode, kiosk id, idle timer, contact block. */
  'app.info': defineCall({
    role: 'public',
    passive: true,
    input: z.object({}),
    output: z.object({
      version: z.string(),
      mode: appModeSchema,
      kioskId: z.string(),
      supportEmail: z.string(),
      idleTimeoutSeconds: z.number().int(),
      codeLifetimeMinutes: z.number().int(),
      /** The staff login's idle time now: a logged-in clerk's warning follows a change (a passive read). */
      staffSessionMinutes: z.number().int(),
      transport: z.enum(['ipc', 'http']),
    }),
  }),
  /**
   * Staff leave the Electron kiosk's full screen (DESIGN §3 "staff exit behind staff login").
   * Not an error where it cannot apply: web mode has no window to leave (`web-mode`), and an
   * Electron app started in staff mode is not in kiosk mode (`not-kiosk`).
   */
  'app.exitKiosk': defineCall({
    role: 'agent',
    input: z.object({}),
    output: z.object({ done: z.boolean(), reason: z.enum(['web-mode', 'not-kiosk']).optional() }),
  }),
  /**
   * 「受付票を印刷」 (issue 15): the Electron shell prints the window silently to the printer
   * named on 初期設定; the print stylesheet shows only the slip. Not an error where it cannot:
   * web mode prints with the browser (`web-mode`), no printer set (`no-printer`), the printer
   * refused (`failed`).
   */
  'app.printSlip': defineCall({
    role: 'public',
    input: z.object({}),
    output: printOutcome,
  }),
  /** 初期設定's 「テスト印刷」: one test page to the named printer (Electron only). */
  'app.testPrint': defineCall({
    role: 'admin',
    input: z.object({ printerName: printerNameField.refine((value) => value !== '', { message: 'required' }) }),
    output: printOutcome,
  }),
};
