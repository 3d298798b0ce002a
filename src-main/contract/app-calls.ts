import { z } from 'zod';
import { defineCall } from './define-call';

export const appModeSchema = z.enum(['kiosk', 'staff']);

export const appCalls = {
  /** What the renderer needs before its first screen: mode, kiosk id, idle timer, contact block. */
  'app.info': defineCall({
    role: 'public',
    input: z.object({}),
    output: z.object({
      version: z.string(),
      mode: appModeSchema,
      kioskId: z.string(),
      supportEmail: z.string(),
      idleTimeoutSeconds: z.number().int(),
      codeLifetimeMinutes: z.number().int(),
      transport: z.enum(['ipc', 'http']),
    }),
  }),
};
