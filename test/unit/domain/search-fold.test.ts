import fc from 'fast-check';
import { toKatakana } from 'wanakana';
import { describe, expect, it } from 'vitest';
import { nfkc } from '../../../src-main/domain/text-normalize';
import { foldCompany, foldPhone, foldText, searchShape } from '../../../src-main/domain/search-fold';

describe('search folding', () => {
  it('folds width, case, hiragana/katakana and spaces, and keeps ー', () => {
    expect(foldText('ｶﾄｳ ｹｲｺ')).toBe('カトウケイコ');
    expect(foldText('かとう　けいこ')).toBe('カトウケイコ');
    expect(foldText('ＴＡＮＡＫＡ Ichiro')).toBe('tanakaichiro');
    expect(foldText('ローソン')).toBe('ローソン');
  });

  it('leaves romaji alone (no tanaka → タナカ)', () => {
    expect(foldText('tanaka')).toBe('tanaka');
  });

  it('drops legal forms from company names', () => {
    expect(foldCompany('株式会社サンプル商事')).toBe('サンプル商事');
    expect(foldCompany('㈱さんぷる商事')).toBe('サンプル商事');
    expect(foldCompany('サンプル(有)')).toBe('サンプル');
  });

  it('keeps digits of phones and maps +81 to 0', () => {
    expect(foldPhone('０３（１２３４）５６７８')).toBe('0312345678');
    expect(foldPhone('+81 3 1234 5678')).toBe('0312345678');
  });

  it('recognises the shape of lookup input', () => {
    expect(searchShape(foldText('１２３-４５６７'))).toBe('digits');
    expect(searchShape(foldText('０３−１２３４−５６７８'))).toBe('digits');
    expect(searchShape(foldText('(03) 1234ー5678'))).toBe('digits');
    expect(searchShape(foldText('ａ＠ｂ.jp'))).toBe('email');
    expect(searchShape(foldText('田中'))).toBe('text');
  });

  it('is idempotent and equal for hiragana and katakana input (property)', () => {
    const kana = fc.array(fc.integer({ min: 0x3041, max: 0x3096 }), { minLength: 1, maxLength: 12 }).map((cs) => String.fromCodePoint(...cs));
    fc.assert(
      fc.property(kana, (hiragana) => {
        const katakana = [...hiragana].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0x60)).join('');
        expect(foldText(hiragana)).toBe(foldText(katakana));
        expect(foldText(foldText(hiragana))).toBe(foldText(hiragana));
      }),
    );
  });

  it('folds exactly as wanakana does on every string, hiragana or not (the skip is only a shortcut)', () => {
    const mixed = fc.string({ unit: fc.constantFrom('あ', 'ゖ', 'ー', '・', 'ア', 'ｱ', '佐', 'Ａ', 'a', ' ', '　', '1', '㈱', '𠮷', 'ゝ') });
    fc.assert(
      fc.property(mixed, (input) => {
        expect(foldText(input)).toBe(toKatakana(nfkc(input).toLowerCase(), { passRomaji: true }).replace(/[\s\u3000]+/g, ''));
      }),
    );
  });
});
