import { z } from 'zod';
import { defineCall } from './define-call';
import { localeSchema } from './fields';

export const textSizeSchema = z.enum(['standard', 'large', 'xlarge']);
export const contrastSchema = z.enum(['standard', 'inverted']);

/**
 * How the kiosk screen looked for the customer at it: the header's switches, the language and
 * whether it was on 変更権限コード. Never a typed value: nothing here is the customer's data.
 */
export const kioskViewSchema = z.object({
  textSize: textSizeSchema,
  contrast: contrastSchema,
  voice: z.boolean(),
  keyboard: z.boolean(),
  locale: localeSchema,
  step: z.enum(['code']).optional(),
});

export type KioskView = z.infer<typeof kioskViewSchema>;

/** A reload within one customer's session keeps the screen's look and step (held-view.ts). */
export const kioskCalls = {
  /** The page's view as it is now; said again while someone touches the page, so it stays fresh. */
  'kiosk.holdView': defineCall({
    role: 'public',
    input: kioskViewSchema,
    output: z.object({ held: z.literal(true) }),
  }),
  /**
   * After a reload: the view this session held, while someone used it within the kiosk's idle
   * timeout; null otherwise. A page reached another way (`reload: false`) ends it, as
   * reset.resumeGrant does.
   */
  'kiosk.resumeView': defineCall({
    role: 'public',
    input: z.object({ reload: z.boolean() }),
    output: z.object({ view: kioskViewSchema.nullable() }),
  }),
};
