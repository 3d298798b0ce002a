import { v7 as uuidv7 } from 'uuid';
import { normalizeEmail } from '../domain/email';
import { countAccounts, insertAccount, setAccountPassword, type NewAccount } from '../store/accounts-repo';
import { appendAudit } from '../store/audit-repo';
import { markDemoAccounts } from '../store/demo-accounts-repo';
import type { Db } from '../store/database';
import type { PasswordHasher } from '../services/password-hasher';

/**
 * The demo accounts the README lists: try the reset with these on a fresh install. Added only
 * by the app's first start (web mode or Electron) on a standalone store that is not a kiosk
 * (WEBDESK_MODE=kiosk), marked as demo, and removed by the first real import or sync or by
 * 「デモデータを削除」 on 初期設定.
 */
export const demoAccounts = [
  {
    jsa_id: '12345678901',
    email: 'tanaka@example.co.jp',
    contact_name: '田中 一郎',
    company: '株式会社サンプル商事',
    department: '品質保証部',
    address: '東京都港区三田3丁目13番12号',
    phone: '03-1234-5678',
  },
  {
    jsa_id: '23456789012',
    email: 'shared@example.co.jp',
    contact_name: '佐藤 花子',
    company: '株式会社みほん工業',
    department: '技術部',
    address: '大阪府大阪市北区梅田1-1-1',
    phone: '06-2345-6789',
  },
  {
    jsa_id: '34567890123',
    email: 'shared@example.co.jp',
    contact_name: '鈴木 次郎',
    company: '株式会社みほん工業',
    department: '購買部',
    address: '大阪府大阪市北区梅田1-1-1',
    phone: '06-2345-6790',
  },
] as const;

/** The plain demo account can log in before any reset, so the login screen can be tried too. */
export const DEMO_PASSWORD = 'sakura-tokei-2026';

export async function addDemoDataIfEmpty(db: Db, hasher: PasswordHasher, nowIso: string): Promise<boolean> {
  if ((await countAccounts(db)) > 0) return false;
  const hash = await hasher.hash(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const demo of demoAccounts) {
      const account: NewAccount = { id: uuidv7(), ...demo, email_norm: normalizeEmail(demo.email), password_hash: null };
      await insertAccount(tx, account, nowIso);
      if (demo.jsa_id === '12345678901') await setAccountPassword(tx, account.id, hash, nowIso);
      ids.push(account.id);
    }
    // Marked, so /health, the dashboard and 初期設定 can say demo data is present (ASVS 5.0 V6.3.2).
    await markDemoAccounts(tx, ids, nowIso);
    await appendAudit(tx, { actor: 'system', action: 'demo-data.added', detail: { accounts: demoAccounts.length } }, nowIso);
  });
  return true;
}
