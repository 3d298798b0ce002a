import type { Queryable } from './database';

/** A row of 0007_inquiries, as the kiosk forms write it. */
export interface InquiryRow {
  id: string;
  reference: string;
  kind: string; // jsa_id_unknown | contact_change
  status: string; // open | approved | refused | withdrawn
  data_json: string;
  reply_email: string;
  locale: string;
  kiosk_id: string;
  account_id: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  created_at: string;
  version: number;
}

export interface InquiryReviewRow {
  id: number;
  inquiry_id: string;
  account_id: string | null;
  decision: 'approved' | 'refused';
  reason_template: string;
  reason_text: string;
  comparison_json: string;
  override_reason: string | null;
  decided_by: string;
  decided_at: string;
}

export async function listInquiries(
  db: Queryable,
  filter: { status?: string; kind?: string },
  page: number,
  pageSize: number,
): Promise<{ total: number; rows: InquiryRow[] }> {
  const base = () => {
    const q = db<InquiryRow>('inquiries');
    if (filter.status) q.where('status', filter.status);
    if (filter.kind) q.where('kind', filter.kind);
    return q;
  };
  const count = (await base().count<{ n: number }[]>({ n: '*' }).first()) as { n: number } | undefined;
  // Oldest open first: the queue is worked in arrival order.
  const rows = await base()
    .orderBy('created_at', filter.status === 'open' ? 'asc' : 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { total: Number(count?.n ?? 0), rows };
}

export function findInquiry(db: Queryable, id: string): Promise<InquiryRow | undefined> {
  return db<InquiryRow>('inquiries').where({ id }).first();
}

export function inquiriesForAccount(db: Queryable, accountId: string): Promise<InquiryRow[]> {
  return db<InquiryRow>('inquiries').where({ account_id: accountId }).orderBy('created_at', 'desc').limit(50);
}

/** Compare-and-set on open → decided: two clerks deciding the same inquiry, one wins. */
export async function decideInquiry(
  db: Queryable,
  id: string,
  changes: { status: 'approved' | 'refused'; account_id: string | null; decided_by: string; decided_at: string; decision_reason: string },
): Promise<boolean> {
  const updated = await db('inquiries')
    .where({ id, status: 'open' })
    .update({ ...changes, version: db.raw('version + 1') });
  return updated === 1;
}

export async function insertReview(db: Queryable, row: Omit<InquiryReviewRow, 'id'>): Promise<void> {
  await db('inquiry_reviews').insert(row);
}

export function reviewsFor(db: Queryable, inquiryId: string): Promise<InquiryReviewRow[]> {
  return db<InquiryReviewRow>('inquiry_reviews').where({ inquiry_id: inquiryId }).orderBy('id');
}

export async function countOpenInquiries(db: Queryable): Promise<Record<string, number>> {
  const rows = (await db('inquiries').where({ status: 'open' }).groupBy('kind').select('kind').count<{ kind: string; n: number }[]>({ n: '*' })) as Array<{
    kind: string;
    n: number;
  }>;
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}
