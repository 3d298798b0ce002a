import { recentPasswordHashes, type AccountRow } from '../store/accounts-repo';
import type { Queryable } from '../store/database';
import type { PasswordHasher } from './password-hasher';

/**
 * True when the password equals the current one or one of the last N (ASVS V6.2.x history,
 * DESIGN §6 "equal to one of the last 5"), for パスワード登録 and マイページ alike; it costs one scrypt per remembered hash, so it runs at save only.
 */
export async function isRecentPassword(
  db: Queryable,
  hasher: PasswordHasher,
  account: Pick<AccountRow, 'id' | 'password_hash'>,
  normalized: string,
  historyCount: number,
): Promise<boolean> {
  const hashes = await recentPasswordHashes(db, account.id, historyCount);
  if (account.password_hash && !hashes.includes(account.password_hash)) hashes.push(account.password_hash);
  const results = await Promise.all(hashes.map((h) => hasher.verify(normalized, h)));
  return results.some(Boolean);
}
