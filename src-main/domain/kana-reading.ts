/**
 * Whether text typed in kana (the kiosk's 50音 keyboard has no kanji conversion, issue 15)
 * can be the reading of a registered value written with kanji — only where that can be told
 * without guessing a reading: the words whose reading is fixed (prefectures, legal forms,
 * 丁目・番地) are spelled out, every other kanji run may stand for 1–4 kana per kanji, and
 * the kana, digits and letters of the registered value must appear exactly. When less than
 * half of the registered value is pinned down that way (a name all in kanji), the answer is
 * no: it cannot be told, and the clerk compares the two side by side as before.
 *
 * Both inputs are already folded by the caller (foldText: NFKC, katakana, no spaces).
 */

/** Words whose reading is not a guess, in katakana (foldText's script). */
const fixedReadings: Record<string, string> = {
  北海道: 'ホッカイドウ', 青森県: 'アオモリケン', 岩手県: 'イワテケン', 宮城県: 'ミヤギケン', 秋田県: 'アキタケン',
  山形県: 'ヤマガタケン', 福島県: 'フクシマケン', 茨城県: 'イバラキケン', 栃木県: 'トチギケン', 群馬県: 'グンマケン',
  埼玉県: 'サイタマケン', 千葉県: 'チバケン', 東京都: 'トウキョウト', 神奈川県: 'カナガワケン', 新潟県: 'ニイガタケン',
  富山県: 'トヤマケン', 石川県: 'イシカワケン', 福井県: 'フクイケン', 山梨県: 'ヤマナシケン', 長野県: 'ナガノケン',
  岐阜県: 'ギフケン', 静岡県: 'シズオカケン', 愛知県: 'アイチケン', 三重県: 'ミエケン', 滋賀県: 'シガケン',
  京都府: 'キョウトフ', 大阪府: 'オオサカフ', 兵庫県: 'ヒョウゴケン', 奈良県: 'ナラケン', 和歌山県: 'ワカヤマケン',
  鳥取県: 'トットリケン', 島根県: 'シマネケン', 岡山県: 'オカヤマケン', 広島県: 'ヒロシマケン', 山口県: 'ヤマグチケン',
  徳島県: 'トクシマケン', 香川県: 'カガワケン', 愛媛県: 'エヒメケン', 高知県: 'コウチケン', 福岡県: 'フクオカケン',
  佐賀県: 'サガケン', 長崎県: 'ナガサキケン', 熊本県: 'クマモトケン', 大分県: 'オオイタケン', 宮崎県: 'ミヤザキケン',
  鹿児島県: 'カゴシマケン', 沖縄県: 'オキナワケン',
  株式会社: 'カブシキガイシャ', 有限会社: 'ユウゲンガイシャ', 合同会社: 'ゴウドウガイシャ',
  // normalizeCompany's markers for the legal forms.
  '[株]': 'カブシキガイシャ', '[有]': 'ユウゲンガイシャ', '[同]': 'ゴウドウガイシャ',
  丁目: 'チョウメ', 番地: 'バンチ',
};

const KANJI = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]/u;
const kanjiRun = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]+/gu;
/** Longest kana reading of one kanji allowed (承 ウケタマワ… is rarer than a typo). */
const MAX_KANA_PER_KANJI = 4;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function couldBeKanaReading(registered: string, given: string): boolean {
  if (given === '' || KANJI.test(given) || !KANJI.test(registered) || registered.length > 200) return false;
  const words = Object.keys(fixedReadings).sort((a, b) => b.length - a.length);
  let pattern = '';
  let pinned = 0;
  let rest = registered;
  const fixed = new RegExp(words.map(escape).join('|'), 'u');
  while (rest !== '') {
    const word = fixed.exec(rest);
    const head = word ? rest.slice(0, word.index) : rest;
    // Outside the fixed words: kanji runs are open, everything else must be there as written.
    let last = 0;
    for (const run of head.matchAll(kanjiRun)) {
      const literal = head.slice(last, run.index);
      pattern += escape(literal);
      pinned += literal.length;
      const n = [...run[0]].length;
      pattern += `[\\u30a1-\\u30f6\\u30fc]{${n},${n * MAX_KANA_PER_KANJI}}`;
      last = run.index + run[0].length;
    }
    const tail = head.slice(last);
    pattern += escape(tail);
    pinned += tail.length;
    if (!word) break;
    pattern += escape(fixedReadings[word[0]]!);
    pinned += word[0].length;
    rest = rest.slice(word.index + word[0].length);
  }
  if (pinned * 2 < [...registered].length) return false;
  return new RegExp(`^${pattern}$`, 'u').test(given);
}
