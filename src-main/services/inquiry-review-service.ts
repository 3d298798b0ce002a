import { AppError } from '../contract/errors';
import { satisfiesRole, type Principal } from '../contract/roles';
import { staffActs } from '../contract/staff-permissions';
import { isDeliverableEmail, maskEmail, normalizeEmail } from '../domain/email';
import { matchIdentity, type IdentityField, type IdentityMatch } from '../domain/identity-match';
import { maskJsaId } from '../domain/jsa-id';
import { nfkc } from '../domain/text-normalize';
import { forStaff } from '../domain/staff-masking';
import { findAccountById, updateAccount, type AccountRow } from '../store/accounts-repo';
import { candidateAccountIds, foldStaleSearchRows } from '../store/account-search-repo';
import { appendAudit } from '../store/audit-repo';
import { closePendingContactChanges } from '../store/contact-changes-repo';
import { supersedeOpenRequests } from '../store/reset-requests-repo';
import type { Db } from '../store/database';
import { decideInquiry, findInquiry, insertReview, listInquiries, reviewsFor, type InquiryRow } from '../store/inquiry-review-repo';
import { iso, type Clock } from './clock';
import { queueMail } from './mail/mail-outbox';
import { contactRevision } from './screen-revision';
import type { SecretBox } from './secret-box';
import type { SessionRegistry } from './sessions';
import type { SettingsService } from './settings-service';

export interface InquiryReviewDeps {
  db: Db;
  clock: Clock;
  box: SecretBox;
  settings: SettingsService;
  /** An approved contact change ends the predecessor's logins. */
  sessions: Pick<SessionRegistry, 'endCustomerSessions'>;
  mailQueued(): void;
  /** Central refuses this installation (a copy, WD002): a decision here would never reach central. */
  refusedInstallation?(): boolean;
}

/**
 * The kiosk forms store what the customer typed in `data_json`. Its keys are read through
 * aliases and coerced to strings: the forms may evolve, and a review must never crash on a
 * field it does not know.
 */
const aliases = {
  address: ['address', 'jusho', '住所'],
  postalCode: ['postalCode', 'postal_code', 'zip'],
  company: ['company', 'companyName', '会社名'],
  department: ['department', 'dept', '部署名'],
  name: ['name', 'contactName', 'fullName', 'お名前'],
  phone: ['phone', 'tel', 'telephone', '電話番号'],
  predecessorName: ['predecessorName', 'predecessor', '前任者名'],
  newContactName: ['newContactName', 'newName', 'newContact'],
  email: ['email', 'newEmail', 'mail'],
} as const;
type GivenKey = keyof typeof aliases;

export function readGiven(dataJson: string): Record<GivenKey, string> {
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(dataJson);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
  } catch {
    // An unreadable record is reviewed as empty: every field "missing", so it is refused.
  }
  const out = {} as Record<GivenKey, string>;
  for (const key of Object.keys(aliases) as GivenKey[]) {
    const raw = aliases[key].map((k) => data[k]).find((v) => typeof v === 'string' || typeof v === 'number');
    out[key] = raw === undefined ? '' : nfkc(String(raw)).trim().slice(0, 500);
  }
  return out;
}

/** The fields compared: for 前任者退職 the registered contact is the predecessor. */
export function givenIdentity(kind: string, given: Record<GivenKey, string>): Record<IdentityField, string> {
  return {
    address: given.address,
    company: given.company,
    department: given.department,
    name: kind === 'contact_change' ? given.predecessorName || given.name : given.name,
    phone: given.phone,
  };
}

export const registeredIdentity = (a: AccountRow): Record<IdentityField, string> => ({
  address: a.address,
  company: a.company,
  department: a.department,
  name: a.contact_name,
  phone: a.phone,
});

export function inquirySummary(row: InquiryRow) {
  const given = readGiven(row.data_json);
  return {
    inquiryId: row.id,
    reference: row.reference,
    kind: row.kind,
    status: row.status,
    createdAt: row.created_at,
    name: row.kind === 'contact_change' ? given.newContactName || given.name : given.name,
    company: given.company,
    decidedAt: row.decided_at,
  };
}

const score = (m: IdentityMatch) => m.fields.reduce((n, f) => n + (f.verdict === 'same' ? 2 : f.verdict === 'similar' ? 1 : 0), 0);

/**
 * A decision on an inquiry another desk decided first (at once, or since this screen was
 * loaded): said as such, where a bare CONFLICT read 「もう一度お試しください」 and trying again
 * met the same refusal.
 */
const decidedElsewhere = () => new AppError('CONFLICT', { params: { reason: 'inquiry-decided' } });

/**
 * A staff write at a copy central refuses (WD002): it would change this copy alone, never
 * central or the other counters, while the clerk believes it done. 同期の状態 says why.
 */
export function refuseAtRefusedCopy(refusedInstallation: (() => boolean) | undefined): void {
  if (refusedInstallation?.()) throw new AppError('CONFLICT', { params: { reason: 'refused-copy' } });
}

export function createInquiryReviewService(deps: InquiryReviewDeps) {
  const { db, clock, box, settings } = deps;

  async function list(input: { status?: string; kind?: string; page: number; pageSize: number }) {
    const { total, rows } = await listInquiries(db, input, input.page, input.pageSize);
    return { total, page: input.page, pageSize: input.pageSize, items: rows.map(inquirySummary) };
  }

  async function requireInquiry(id: string): Promise<InquiryRow> {
    const row = await findInquiry(db, id);
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  async function get(inquiryId: string, summarize: (a: AccountRow) => unknown) {
    const inquiry = await requireInquiry(inquiryId);
    const given = readGiven(inquiry.data_json);
    const identity = givenIdentity(inquiry.kind, given);
    await foldStaleSearchRows(db);
    const ids = await candidateAccountIds(db, { phone: given.phone, names: [identity.name, given.predecessorName], company: given.company }, 50);
    if (inquiry.account_id && !ids.includes(inquiry.account_id)) ids.unshift(inquiry.account_id);
    const accounts = (await Promise.all(ids.map((id) => findAccountById(db, id)))).filter((a): a is AccountRow => a !== undefined);
    const candidates = accounts
      .map((account) => ({ account, match: matchIdentity(registeredIdentity(account), identity) }))
      .sort((a, b) => score(b.match) - score(a.match))
      .slice(0, 8);
    const reviews = await reviewsFor(db, inquiry.id);
    return {
      inquiry: {
        ...inquirySummary(inquiry),
        // Shown under the one staff masking rule: the typed address is masked like the reply address.
        given: Object.fromEntries(Object.entries(given).filter(([, v]) => v !== '').map(([k, v]) => [k, k === 'email' ? forStaff('email', v) : v])),
        maskedReplyEmail: forStaff('email', inquiry.reply_email),
        decisionReason: inquiry.decision_reason,
        decidedBy: inquiry.decided_by,
      },
      candidates: candidates.map((c) => ({ account: summarize(c.account), match: c.match, revision: contactRevision(c.account) })),
      reviews: reviews.map((r) => ({
        decision: r.decision,
        reasonTemplate: r.reason_template,
        reasonText: r.reason_text,
        overrideReason: r.override_reason,
        decidedBy: r.decided_by,
        decidedAt: r.decided_at,
      })),
    };
  }

  /**
   * Approve or refuse. The seed's rule is enforced here, not only on screen: approving when
   * address or company differ needs a written override, and only a supervisor may give one.
   */
  async function decide(
    actor: string,
    principal: Principal,
    input: { inquiryId: string; decision: 'approve' | 'refuse'; accountId?: string; reasonTemplate: string; reasonText: string; overrideReason?: string; revision?: string },
  ): Promise<{ status: 'approved' | 'refused' }> {
    refuseAtRefusedCopy(deps.refusedInstallation);
    const s = await settings.get();
    const inquiry = await requireInquiry(input.inquiryId);
    if (inquiry.status !== 'open') throw decidedElsewhere();
    const given = readGiven(inquiry.data_json);
    const account = input.accountId ? await findAccountById(db, input.accountId) : undefined;
    if (input.accountId && !account) throw new AppError('NOT_FOUND');
    const match = account ? matchIdentity(registeredIdentity(account), givenIdentity(inquiry.kind, given)) : undefined;
    const overrideReason = input.overrideReason?.trim() || undefined;
    const nowMs = clock.nowMs();
    const nowIso = iso(nowMs);
    const locale = inquiry.locale === 'en' ? 'en' : 'ja';

    if (input.decision === 'approve') {
      if (!account || !match) throw new AppError('INVALID_INPUT', { fields: [{ field: 'accountId', code: 'required' }] });
      if (match.overall === 'refuse') {
        if (!overrideReason) {
          throw new AppError('CONFLICT', { params: { reason: 'identity-mismatch' }, fields: [{ field: 'overrideReason', code: 'staff.overrideRequired' }] });
        }
        const overrideRole = staffActs['inquiries.override'];
        if (!satisfiesRole(principal, overrideRole)) throw new AppError('FORBIDDEN', { params: { role: overrideRole } });
      }
      let newEmail = '';
      let predecessorOut: { passwordCleared: boolean; requestsVoided: number; changesClosed: number } | undefined;
      if (inquiry.kind === 'contact_change') {
        newEmail = normalizeEmail(given.email);
        if (!given.newContactName || !isDeliverableEmail(newEmail)) {
          throw new AppError('INVALID_INPUT', { fields: [{ field: given.newContactName ? 'email' : 'newContactName', code: 'staff.inquiryIncomplete' }] });
        }
      }
      await db.transaction(async (tx) => {
        // Decided first (a refusal below rolls it back): a twin press of this very 承認 changed
        // the candidate's contact, and was told 「登録内容が変更された」 to compare again instead
        // of that the request was already approved.
        const won = await decideInquiry(tx, inquiry.id, {
          status: 'approved',
          account_id: account.id,
          decided_by: actor,
          decided_at: nowIso,
          decision_reason: [input.reasonTemplate, input.reasonText].filter(Boolean).join(': '),
        });
        if (!won) throw decidedElsewhere();
        // The candidate as the clerk compared it: another desk's 担当者変更 approved meanwhile
        // would be replaced (and its new contact told so) by a check made against older data.
        const current = await findAccountById(tx, account.id);
        if (!current) throw new AppError('NOT_FOUND');
        if (input.revision !== undefined && contactRevision(current) !== input.revision) throw new AppError('CONFLICT', { params: { reason: 'candidate-changed' } });
        await insertReview(tx, {
          inquiry_id: inquiry.id,
          account_id: account.id,
          decision: 'approved',
          reason_template: input.reasonTemplate,
          reason_text: input.reasonText,
          comparison_json: JSON.stringify(match),
          override_reason: match.overall === 'refuse' ? overrideReason! : null,
          decided_by: actor,
          decided_at: nowIso,
        });
        const common = { supportEmail: s.supportEmail, reference: inquiry.reference };
        if (inquiry.kind === 'contact_change') {
          const oldEmail = account.email;
          const newName = given.newContactName;
          // The predecessor's ways back in end with the change, in its transaction: the
          // password they know (the new contact sets one by ID忘れ・パスワード忘れ, as the mail
          // says), codes, links and grants already sent to the old address, and an address
          // change they started on マイページ. Their logins end after the commit.
          await updateAccount(tx, account.id, { contact_name: newName, email: given.email.trim(), email_norm: newEmail, password_hash: null }, nowIso);
          const requestsVoided = await supersedeOpenRequests(tx, account.id);
          const changesClosed = await closePendingContactChanges(tx, account.id, 'superseded');
          predecessorOut = { passwordCleared: account.password_hash !== null, requestsVoided, changesClosed };
          const params = { ...common, maskedJsaId: maskJsaId(account.jsa_id), newContactName: newName, maskedEmail: maskEmail(newEmail) };
          await queueMail(tx, box, { template: 'contact-changed-old', locale, to: oldEmail, params: { ...params, contactName: account.contact_name || undefined }, relatedId: inquiry.id }, nowMs);
          await queueMail(tx, box, { template: 'contact-changed-new', locale, to: given.email.trim(), params: { ...params, contactName: newName }, relatedId: inquiry.id }, nowMs);
          await appendAudit(
            tx,
            { actor, action: 'account.contact-changed', subject: account.jsa_id, detail: { inquiry: inquiry.reference, from: { email: maskEmail(oldEmail) }, to: { email: maskEmail(newEmail) }, ...predecessorOut } },
            nowIso,
          );
        } else {
          // The JSA-ID goes to the address on record, never to the address the form gave.
          await queueMail(tx, box, { template: 'inquiry-jsa-id', locale, to: account.email, params: { ...common, contactName: account.contact_name || undefined, jsaId: account.jsa_id }, relatedId: inquiry.id }, nowMs);
          if (normalizeEmail(inquiry.reply_email) !== account.email_norm && isDeliverableEmail(normalizeEmail(inquiry.reply_email))) {
            await queueMail(tx, box, { template: 'inquiry-approved', locale, to: inquiry.reply_email, params: common, relatedId: inquiry.id }, nowMs);
          }
        }
        await appendAudit(
          tx,
          {
            actor,
            action: 'inquiry.approved',
            subject: account.jsa_id,
            detail: { inquiry: inquiry.reference, kind: inquiry.kind, reasonTemplate: input.reasonTemplate, verdict: match.overall, override: match.overall === 'refuse' },
          },
          nowIso,
        );
        if (match.overall === 'refuse') {
          await appendAudit(tx, { actor, action: 'inquiry.override', subject: account.jsa_id, detail: { inquiry: inquiry.reference, refuseBecause: match.refuseBecause, reason: overrideReason } }, nowIso);
        }
      });
      if (inquiry.kind === 'contact_change') deps.sessions.endCustomerSessions(account.id);
      deps.mailQueued();
      return { status: 'approved' };
    }

    await db.transaction(async (tx) => {
      const won = await decideInquiry(tx, inquiry.id, {
        status: 'refused',
        account_id: account?.id ?? inquiry.account_id,
        decided_by: actor,
        decided_at: nowIso,
        decision_reason: [input.reasonTemplate, input.reasonText].filter(Boolean).join(': '),
      });
      if (!won) throw decidedElsewhere();
      await insertReview(tx, {
        inquiry_id: inquiry.id,
        account_id: account?.id ?? null,
        decision: 'refused',
        reason_template: input.reasonTemplate,
        reason_text: input.reasonText,
        comparison_json: JSON.stringify(match ?? null),
        override_reason: null,
        decided_by: actor,
        decided_at: nowIso,
      });
      if (isDeliverableEmail(normalizeEmail(inquiry.reply_email))) {
        await queueMail(tx, box, { template: 'inquiry-refused', locale, to: inquiry.reply_email, params: { supportEmail: s.supportEmail, reference: inquiry.reference, reasonKey: input.reasonTemplate }, relatedId: inquiry.id }, nowMs);
      }
      await appendAudit(
        tx,
        { actor, action: 'inquiry.refused', subject: account?.jsa_id ?? null, detail: { inquiry: inquiry.reference, kind: inquiry.kind, reasonTemplate: input.reasonTemplate, verdict: match?.overall ?? null } },
        nowIso,
      );
    });
    deps.mailQueued();
    return { status: 'refused' };
  }

  return { list, get, decide };
}

export type InquiryReviewService = ReturnType<typeof createInquiryReviewService>;
