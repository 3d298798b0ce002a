import { createHash } from 'node:crypto';
import type { AccountRow } from '../store/accounts-repo';

/**
 * Names the values a screen was loaded with; the screen sends it back with its save, and a save
 * on values changed since is refused (CONFLICT 'settings-changed') instead of putting another
 * admin's change back without a word. A digest of the values, not a time: two saves within one
 * clock tick, or under a clock stepped back, still differ.
 */
export const revisionOf = (values: unknown): string => createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 22);

/**
 * The registered contact a clerk checks the customer against (アカウントの詳細, a 照合
 * candidate). 送信 or 承認 from a screen older than a change (another desk's 担当者変更,
 * マイページ, a sync) acted on data the clerk had not seen.
 */
export const contactRevision = (a: AccountRow) => revisionOf([a.jsa_id, a.email, a.contact_name, a.company, a.department, a.address, a.phone]);
