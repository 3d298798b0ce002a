import type { Queryable } from './database';

/**
 * The kiosk side of the `inquiries` table (0007): forms write rows here; the staff queue
 * reads and decides them. `data_json` holds the normalised fields as submitted.
 */
export interface NewInquiry {
  id: string;
  reference: string;
  kind: 'jsa_id_unknown' | 'contact_change';
  data: InquiryData;
  reply_email: string;
  locale: string;
  kiosk_id: string;
  created_at: string;
}

/** The keys staff tools read (agreed with the staff-tools branch). */
export interface InquiryData {
  postalCode: string;
  address: string;
  company: string;
  department: string;
  name?: string;
  phone: string;
  predecessorName?: string;
  newContactName?: string;
  email: string;
}

export async function insertInquiry(db: Queryable, inquiry: NewInquiry): Promise<void> {
  const { data, ...row } = inquiry;
  await db('inquiries').insert({ ...row, status: 'open', data_json: JSON.stringify(data), account_id: null, version: 1 });
}

export async function referenceExists(db: Queryable, reference: string): Promise<boolean> {
  return (await db('inquiries').where({ reference }).first('id')) !== undefined;
}
