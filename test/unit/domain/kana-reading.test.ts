import { describe, expect, it } from 'vitest';
import { compareField, matchIdentity } from '../../../src-main/domain/identity-match';
import { couldBeKanaReading } from '../../../src-main/domain/kana-reading';

const registered = {
  address: '東京都港区赤坂4丁目1番24号',
  company: '株式会社サンプル商事',
  department: '品質保証部',
  name: '田中 一郎',
  phone: '03-1234-5678',
};

describe('kana readings typed at the kiosk (issue 15)', () => {
  it('calls an address typed in kana similar where the prefecture and the numbers pin it down', () => {
    expect(compareField('address', registered.address, 'とうきょうと みなとく あかさか 4-1-24')).toBe('similar');
    expect(compareField('address', registered.address, 'トウキョウトミナトクアカサカ4-1-24')).toBe('similar');
    // The numbers must be the registered ones, and so must the prefecture's reading.
    expect(compareField('address', registered.address, 'とうきょうと みなとく あかさか 5-1-24')).toBe('different');
    expect(compareField('address', registered.address, 'おおさかふ みなとく あかさか 4-1-24')).toBe('different');
  });

  it('calls a company typed in kana similar when its kana part and legal form agree', () => {
    expect(compareField('company', registered.company, 'かぶしきがいしゃ さんぷるしょうじ')).toBe('similar');
    expect(compareField('company', registered.company, 'カブシキガイシャサンプルショウジ')).toBe('similar');
    expect(compareField('company', registered.company, 'かぶしきがいしゃ さくらしょうじ')).toBe('different');
    // Too many kana for two kanji is not a reading.
    expect(compareField('company', registered.company, 'かぶしきがいしゃ さんぷるしょうじしょうかいしゃ')).toBe('different');
  });

  it('does not guess where nothing pins the reading down: a name all in kanji stays different', () => {
    expect(compareField('name', registered.name, 'たなか いちろう')).toBe('different');
    expect(compareField('name', registered.name, 'すずき はなこ')).toBe('different');
    expect(compareField('department', registered.department, 'ひんしつほしょうぶ')).toBe('different');
    expect(couldBeKanaReading('品質保証部', 'ヒンシツホショウブ')).toBe(false);
  });

  it('turns a kana form from refuse into review, not into match', () => {
    const result = matchIdentity(registered, {
      address: 'とうきょうと みなとく あかさか 4-1-24',
      company: 'かぶしきがいしゃ さんぷるしょうじ',
      department: '品質保証部',
      name: '田中 一郎',
      phone: '03-1234-5678',
    });
    expect(result.overall).toBe('review');
    expect(result.refuseBecause).toEqual([]);
  });

  it('answers no for kanji in the given text or none in the registered one', () => {
    expect(couldBeKanaReading('トウキョウト', 'トウキョウト')).toBe(false);
    expect(couldBeKanaReading('東京都港区', '東京都ミナトク')).toBe(false);
    expect(couldBeKanaReading('東京都港区', '')).toBe(false);
  });
});
