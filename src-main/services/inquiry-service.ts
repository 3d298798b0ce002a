import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../contract/errors';
import type { Locale } from '../contract/fields';
import type { InquiryKind } from '../contract/inquiry-calls';
import { maskEmail } from '../domain/email';
import { CODE_ALPHABET } from '../domain/reset-code';
import { appendAudit } from '../store/audit-repo';
import type { Db, Queryable } from '../store/database';
import { insertInquiry, referenceExists, type InquiryData } from '../store/inquiry-intake-repo';
import { countEventsSince, lastEventAt, recordEvent } from '../store/limits-repo';
import { iso, type Clock } from './clock';
import { cooldownLeft, cooldownSince } from './limits-service';
import { queueMail } from './mail/mail-outbox';
import type { SecretBox } from './secret-box';
import type { SettingsService } from './settings-service';

const HOUR_MS = 60 * 60_000;

/** Form submissions, counted apart from reset requests (same DESIGN §6 caps, own buckets). */
export const inquiryBuckets = {
  byKiosk: (kioskId: string) => `inq:kiosk:${kioskId}`,
  byEmail: (email: string) => `inq:email:${email}`,
};

/**
 * "WD-" and 8 Crockford base32 symbols (40 bits): short enough to read over the phone, no
 * look-alikes (no I, L, O, U), and unguessable enough that a reference reveals nothing.
 */
export function newReference(bytes: Uint8Array = randomBytes(8)): string {
  let out = 'WD-';
  for (let i = 0; i < 8; i += 1) out += CODE_ALPHABET[bytes[i]! & 31];
  return out;
}

export const REFERENCE_PATTERN = /^WD-[0-9A-HJKMNP-TV-Z]{8}$/;

export interface InquiryServiceDeps {
  db: Db;
  clock: Clock;
  box: SecretBox;
  settings: SettingsService;
  kioskId: string;
  mailQueued(): void;
  /**
   * Central refuses this installation (a copy, WD002): no form is taken, as no reset request is
   * (reset-service.ts). It would wait here for good, never reaching the staff queue at central.
   */
  refusedInstallation?(): boolean;
}

export interface InquiryReceipt {
  reference: string;
  kind: InquiryKind;
  maskedReplyEmail: string;
}

export function createInquiryService(deps: InquiryServiceDeps) {
  const { db, clock, box, settings } = deps;

  /**
   * ≤ perKioskPerHour per kiosk and ≤ perEmailPerHour per reply address, with the resend
   * cooldown per address (each submission sends a mail there). Only accepted forms count.
   */
  async function admit(q: Queryable, email: string, nowMs: number): Promise<void> {
    const { limits } = await settings.get();
    const last = await lastEventAt(q, inquiryBuckets.byEmail(email), cooldownSince(nowMs));
    const wait = cooldownLeft(last, limits.resendCooldownSeconds, nowMs);
    if (wait > 0) throw new AppError('COOLDOWN', { params: { seconds: wait } });
    if ((await countEventsSince(q, inquiryBuckets.byKiosk(deps.kioskId), nowMs - HOUR_MS)) >= limits.perKioskPerHour) throw new AppError('RATE_LIMITED');
    if ((await countEventsSince(q, inquiryBuckets.byEmail(email), nowMs - HOUR_MS)) >= limits.perEmailPerHour) throw new AppError('RATE_LIMITED');
  }

  async function uniqueReference(tx: Queryable): Promise<string> {
    // 40 bits: a collision is unlikely for decades of forms; retry anyway rather than fail.
    for (let i = 0; i < 5; i += 1) {
      const reference = newReference();
      if (!(await referenceExists(tx, reference))) return reference;
    }
    throw new Error('could not find a free inquiry reference');
  }

  /**
   * Stores the form for the staff queue and acknowledges it by mail. Nothing is looked up:
   * the answer is the same whether or not the data matches an account (staff decide).
   */
  async function submit(kind: InquiryKind, data: InquiryData, locale: Locale, actor: string): Promise<InquiryReceipt> {
    if (deps.refusedInstallation?.()) throw new AppError('ASK_STAFF');
    const s = await settings.get();
    const nowMs = clock.nowMs();
    const email = data.email;
    await admit(db, email, nowMs);
    const id = uuidv7();
    const reference = await db.transaction(async (tx) => {
      // Again inside the transaction, as reset.request does: a burst of forms all passed the
      // check above before any was recorded (30 at once mailed one address 30 times).
      await admit(tx, email, nowMs);
      const ref = await uniqueReference(tx);
      await recordEvent(tx, inquiryBuckets.byKiosk(deps.kioskId), nowMs);
      await recordEvent(tx, inquiryBuckets.byEmail(email), nowMs);
      await insertInquiry(tx, { id, reference: ref, kind, data, reply_email: email, locale, kiosk_id: deps.kioskId, created_at: iso(nowMs) });
      await queueMail(tx, box, { template: 'inquiry-received', locale, to: email, params: { reference: ref, inquiryKind: kind, supportEmail: s.supportEmail }, relatedId: id }, nowMs);
      await appendAudit(tx, { actor, action: 'inquiry.submitted', subject: ref, detail: { inquiryId: id, kind, kioskId: deps.kioskId } }, iso(nowMs));
      return ref;
    });
    deps.mailQueued();
    return { reference, kind, maskedReplyEmail: maskEmail(email) };
  }

  return { submit };
}

export type InquiryService = ReturnType<typeof createInquiryService>;
