import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET } from '../../../src-main/domain/reset-code';
import { applyKanaModifier, ASCII_SYMBOLS, GOJUON_ROWS, layoutFor, layoutNames, typedTexts, type KeyboardLayoutName } from '../../../src-renderer/keyboard/layouts';

const sorted = (set: Iterable<string>) => [...set].sort();
const keysOf = (name: KeyboardLayoutName) => layoutFor(name).pages.flatMap((p) => p.rows.flat());
const actions = (name: KeyboardLayoutName) => new Set(keysOf(name).flatMap((k) => (k ? [k.action.kind] : [])));

describe('on-screen keyboard layouts (issue 15)', () => {
  it('JSA-ID: digits 0–9 only, with 削除 and 全部消す', () => {
    expect(sorted(typedTexts(layoutFor('digits')))).toEqual([...'0123456789']);
    expect(actions('digits')).toEqual(new Set(['insert', 'backspace', 'clear']));
  });

  it('郵便番号・電話番号: the digits and a hyphen', () => {
    expect(sorted(typedTexts(layoutFor('tel')))).toEqual([...'-0123456789']);
  });

  it('変更権限コード: exactly the code alphabet, in groups of five as the code is printed', () => {
    expect(sorted(typedTexts(layoutFor('code')))).toEqual(sorted(CODE_ALPHABET));
    expect(CODE_ALPHABET).toHaveLength(32);
    const page = layoutFor('code').pages[0]!;
    expect(page.grouped).toBe(true);
    const groups = page.rows.filter((row) => row.every((k) => k?.action.kind === 'insert'));
    expect(groups.map((g) => g.map((k) => (k?.action.kind === 'insert' ? k.action.text : '')).join(''))).toEqual(['01234', '56789', 'ABCDE', 'FGHJK', 'MNPQR', 'STVWX', 'YZ']);
    // No shift: the code has capitals only, and the server folds case anyway.
    expect(actions('code').has('shift')).toBe(false);
  });

  it('メールアドレス: a–z (A–Z with shift), digits, @ . - _ + and the one-touch domains', () => {
    const texts = typedTexts(layoutFor('email'));
    const expected = new Set([...'abcdefghijklmnopqrstuvwxyz', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', ...'0123456789', ...'@.-_+', '.co.jp', '.ne.jp', '.or.jp', '.jp', '.com']);
    expect(sorted(texts)).toEqual(sorted(expected));
  });

  it('パスワード: every printable ASCII character (0x20–0x7E) on the letter, shift and symbol pages', () => {
    const printable = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i));
    expect(sorted(typedTexts(layoutFor('password')))).toEqual(sorted(printable));
    expect(ASCII_SYMBOLS).toHaveLength(32);
    expect(layoutFor('password').pages.map((p) => p.id)).toEqual(['letters', 'symbols']);
  });

  it('かな: the whole 50音 table in hiragana and katakana, marks, 長音, 空白, and the alphanumeric page', () => {
    const texts = typedTexts(layoutFor('kana'));
    const gojuon = GOJUON_ROWS.join('').replace(/[\u3000、ー]/g, '');
    expect(gojuon).toHaveLength(46);
    for (const ch of gojuon) {
      expect(texts.has(ch), ch).toBe(true);
      expect(texts.has(String.fromCharCode(ch.charCodeAt(0) + 0x60)), `${ch} as katakana`).toBe(true);
    }
    for (const ch of ['ー', ' ', '、', '。', '・', ...'0123456789', ...'az', 'A', '-']) expect(texts.has(ch), ch).toBe(true);
    expect(actions('kana')).toEqual(new Set(['insert', 'modify', 'script', 'page', 'backspace', 'clear', 'shift']));
    expect(layoutFor('kana').pages.map((p) => p.id)).toEqual(['kana', 'alnum']);
  });

  it('濁点・半濁点・小書き act on the kana before the caret and come off when pressed again', () => {
    expect(applyKanaModifier('か', 'dakuten')).toBe('が');
    expect(applyKanaModifier('が', 'dakuten')).toBe('か');
    expect(applyKanaModifier('ハ', 'handakuten')).toBe('パ');
    expect(applyKanaModifier('ば', 'handakuten')).toBe('ぱ');
    expect(applyKanaModifier('ウ', 'dakuten')).toBe('ヴ');
    expect(applyKanaModifier('つ', 'small')).toBe('っ');
    expect(applyKanaModifier('ョ', 'small')).toBe('ヨ');
    expect(applyKanaModifier('な', 'dakuten')).toBeNull();
    expect(applyKanaModifier('a', 'small')).toBeNull();
  });

  it('has a layout for every name and no key twice on a page', () => {
    for (const name of layoutNames) {
      for (const page of layoutFor(name).pages) {
        const texts = page.rows.flat().flatMap((k) => (k?.action.kind === 'insert' ? [k.action.text] : []));
        expect(new Set(texts).size, `${name}/${page.id}`).toBe(texts.length);
      }
    }
  });
});
