import { v7 as uuidv7 } from 'uuid';
import { foldedSearchRow, setWriterFolds, writeFoldedSearchRows } from '../store/account-search-fold';
import type { Db } from '../store/database';
import { iso, type Clock } from './clock';

const familyNames = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田', '佐々木', '山口', '松本'];
const givenNames = ['一郎', '花子', '健太', '美咲', '大輔', '陽子', '翔', 'さくら', '誠', '由美', '直樹', '恵'];
const companies = ['株式会社サンプル', '有限会社テスト', '株式会社みほん', '合同会社ためし', '株式会社れい'];
const industries = ['工業', '商事', '製作所', '電機', '化学', '精機', '建設'];
const prefectures = ['東京都千代田区', '大阪府大阪市北区', '愛知県名古屋市中村区', '福岡県福岡市博多区', '北海道札幌市中央区'];

/** Deterministic synthetic accounts (JSA-ID 9xxxxxxxxxx, example.jp mail) for load and lookup tests. */
export function syntheticAccount(n: number, nowIso: string) {
  const pick = <T>(list: readonly T[], salt: number) => list[(n * 7919 + salt) % list.length]!;
  const jsaId = `9${String(n).padStart(10, '0')}`;
  const email = `user${n}@example.jp`;
  return {
    id: uuidv7(),
    jsa_id: jsaId,
    email,
    email_norm: email,
    contact_name: `${pick(familyNames, 1)} ${pick(givenNames, 3)}`,
    company: `${pick(companies, 5)}${pick(industries, 11)}${n % 97}`,
    department: pick(['総務部', '品質保証部', '技術部', '購買部', '営業部'], 13),
    address: `${pick(prefectures, 17)}${(n % 9) + 1}丁目${(n % 20) + 1}番${(n % 30) + 1}号`,
    phone: `0${(n % 9) + 1}-${String(1000 + (n % 9000))}-${String(n % 10000).padStart(4, '0')}`,
    password_hash: null,
    password_changed_at: null,
    version: 1,
    created_at: nowIso,
    updated_at: nowIso,
  };
}

/** Inserts in batches inside transactions; existing JSA-IDs are left alone (re-running adds none). */
export async function addSyntheticAccounts(db: Db, clock: Clock, count: number, onProgress?: (done: number) => void): Promise<number> {
  const nowIso = iso(clock.nowMs());
  const batch = 500;
  let added = 0;
  for (let start = 1; start <= count; start += batch * 10) {
    await db.transaction(async (tx) => {
      for (let chunk = start; chunk < Math.min(count + 1, start + batch * 10); chunk += batch) {
        const rows = [];
        for (let n = chunk; n < Math.min(count + 1, chunk + batch); n += 1) rows.push(syntheticAccount(n, nowIso));
        // SQLite allows 32k bound variables; 500 rows × 15 columns stays below. The seed folds
        // the search keys of what it wrote, so the first staff search has nothing left to fold.
        await setWriterFolds(tx, true);
        await tx('accounts').insert(rows).onConflict('jsa_id').ignore();
        const written = new Set((await tx('accounts').whereIn('id', rows.map((r) => r.id)).pluck('id')) as string[]);
        await writeFoldedSearchRows(tx, JSON.stringify(rows.filter((r) => written.has(r.id)).map(foldedSearchRow)), { fresh: true });
        await setWriterFolds(tx, false);
        added += rows.length;
      }
    });
    onProgress?.(Math.min(count, start + batch * 10 - 1));
  }
  return added;
}
