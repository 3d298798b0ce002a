import { CODE_ALPHABET } from '../../src-main/contract';

/**
 * The on-screen keyboard's key sets, one per kind of field (issue 15). Pure data and pure
 * text functions: the component draws them, the unit tests check each set.
 */
export type KeyboardLayoutName = 'digits' | 'tel' | 'code' | 'email' | 'password' | 'kana';

export type KeyAction =
  | { kind: 'insert'; text: string }
  | { kind: 'backspace' }
  | { kind: 'clear' }
  | { kind: 'shift' }
  | { kind: 'page'; page: string }
  | { kind: 'script' }
  | { kind: 'modify'; modifier: KanaModifier };

export type KanaModifier = 'dakuten' | 'handakuten' | 'small';

export interface KeyDef {
  /** What the key shows; an i18n key when `labelKey` is set. */
  label: string;
  labelKey?: string;
  action: KeyAction;
  /** Wider keys (space, shift, one-touch domains) take more of the row. */
  wide?: boolean;
}

/** null: an empty place in a grid (the 50音 table's gaps), drawn as a gap, not a key. */
export type KeyCell = KeyDef | null;

export interface KeyboardPage {
  id: string;
  /** The i18n key of the page switch's label. */
  labelKey: string;
  rows: KeyCell[][];
  /** Rows drawn as groups of five (the code layout), with a gap between groups. */
  grouped?: boolean;
}

export interface KeyboardLayout {
  name: KeyboardLayoutName;
  pages: KeyboardPage[];
}

const ins = (text: string, wide = false): KeyDef => ({ label: text, action: { kind: 'insert', text }, wide });
const chars = (text: string): KeyDef[] => [...text].map((c) => ins(c));
const backspace: KeyDef = { label: '削除', labelKey: 'keyboard.backspace', action: { kind: 'backspace' }, wide: true };
const clear: KeyDef = { label: '全部消す', labelKey: 'keyboard.clear', action: { kind: 'clear' }, wide: true };
const shift: KeyDef = { label: 'Shift', labelKey: 'keyboard.shift', action: { kind: 'shift' }, wide: true };
const space: KeyDef = { label: '空白', labelKey: 'keyboard.space', action: { kind: 'insert', text: ' ' }, wide: true };
const toPage = (page: string, labelKey: string): KeyDef => ({ label: page, labelKey, action: { kind: 'page', page }, wide: true });

/** Groups of five, as the mail prints the code ("ABCDE-FGHJK"); two groups to a row. */
export function groupsOfFive<T>(items: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += 5) groups.push(items.slice(i, i + 5));
  return groups;
}

const qwerty = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

const digitsPad: KeyboardLayout = {
  name: 'digits',
  pages: [{ id: 'digits', labelKey: 'keyboard.page.digits', rows: [chars('123'), chars('456'), chars('789'), [clear, ins('0'), backspace]] }],
};

/** 郵便番号 and 電話番号: the digits pad with a hyphen, which both are printed with. */
const telPad: KeyboardLayout = {
  name: 'tel',
  pages: [{ id: 'digits', labelKey: 'keyboard.page.digits', rows: [chars('123'), chars('456'), chars('789'), [ins('-'), ins('0'), backspace], [clear]] }],
};

const codePad: KeyboardLayout = {
  name: 'code',
  pages: [
    {
      id: 'code',
      labelKey: 'keyboard.page.code',
      grouped: true,
      rows: [...groupsOfFive(chars(CODE_ALPHABET)), [backspace, clear]],
    },
  ],
};

const emailDomains = ['@', '.co.jp', '.ne.jp', '.or.jp', '.jp', '.com'];

const emailPad: KeyboardLayout = {
  name: 'email',
  pages: [
    {
      id: 'letters',
      labelKey: 'keyboard.page.letters',
      rows: [
        chars('1234567890'),
        chars(qwerty[0]!),
        chars(qwerty[1]!),
        [shift, ...chars(qwerty[2]!), backspace],
        [...chars('.-_+'), clear],
        emailDomains.map((d) => ins(d, true)),
      ],
    },
  ],
};

/** Every printable ASCII symbol (0x21–0x7E that is neither letter nor digit): 32 of them. */
export const ASCII_SYMBOLS = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

const passwordPad: KeyboardLayout = {
  name: 'password',
  pages: [
    {
      id: 'letters',
      labelKey: 'keyboard.page.letters',
      rows: [chars('1234567890'), chars(qwerty[0]!), chars(qwerty[1]!), [shift, ...chars(qwerty[2]!), backspace], [toPage('symbols', 'keyboard.page.symbols'), space, clear]],
    },
    {
      id: 'symbols',
      labelKey: 'keyboard.page.symbols',
      rows: [...chunk(chars(ASCII_SYMBOLS), 11), [toPage('letters', 'keyboard.page.letters'), space, backspace, clear]],
    },
  ],
};

function chunk<T>(items: readonly T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}

/**
 * The 50音 table as printed on Japanese kiosks: one column per consonant (あ か さ … わ), the
 * five vowels down the rows; the gaps where やゆよ and わをん have no kana stay empty.
 */
export const GOJUON_ROWS: readonly string[] = [
  'あかさたなはまやらわ',
  'いきしちにひみ　りを',
  'うくすつぬふむゆるん',
  'えけせてねへめ　れー',
  'おこそとのほもよろ、',
];

const kanaCell = (c: string): KeyCell => (c === '　' ? null : ins(c));
const modify = (modifier: KanaModifier, label: string): KeyDef => ({ label, labelKey: `keyboard.${modifier}`, action: { kind: 'modify', modifier } });

const kanaPad: KeyboardLayout = {
  name: 'kana',
  pages: [
    {
      id: 'kana',
      labelKey: 'keyboard.page.kana',
      rows: [
        ...GOJUON_ROWS.map((row) => [...row].map(kanaCell)),
        [modify('dakuten', '゛'), modify('handakuten', '゜'), modify('small', '小'), ins('・'), ins('。'), { label: 'カナ', labelKey: 'keyboard.script', action: { kind: 'script' }, wide: true }, space, backspace],
        [toPage('alnum', 'keyboard.page.alnum'), clear],
      ],
    },
    {
      id: 'alnum',
      labelKey: 'keyboard.page.alnum',
      rows: [
        chars('1234567890'),
        chars(qwerty[0]!),
        chars(qwerty[1]!),
        [shift, ...chars(qwerty[2]!), backspace],
        [toPage('kana', 'keyboard.page.kana'), ...chars('-./()&@'), space, clear],
      ],
    },
  ],
};

const layouts: Record<KeyboardLayoutName, KeyboardLayout> = {
  digits: digitsPad,
  tel: telPad,
  code: codePad,
  email: emailPad,
  password: passwordPad,
  kana: kanaPad,
};

export function layoutFor(name: KeyboardLayoutName): KeyboardLayout {
  return layouts[name];
}

export const layoutNames = Object.keys(layouts) as KeyboardLayoutName[];

export function isLayoutName(value: string | null | undefined): value is KeyboardLayoutName {
  return value !== null && value !== undefined && value in layouts;
}

/** Letters the shift key turns to capitals; everything else types as labelled. */
export function shifted(text: string, shiftOn: boolean): string {
  return shiftOn && /^[a-z]$/.test(text) ? text.toUpperCase() : text;
}

/** Hiragana → katakana by code point (ぁ–ゖ ↔ ァ–ヶ); anything else is left as it is. */
export function toKatakana(text: string): string {
  return text.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

function toHiragana(text: string): string {
  return text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

const BASE = 'かきくけこさしすせそたちつてとはひふへほう';
const DAKUTEN = 'がぎぐげござじずぜぞだぢづでどばびぶべぼゔ';
const HANDAKUTEN_BASE = 'はひふへほ';
const HANDAKUTEN = 'ぱぴぷぺぽ';
const SMALL_BASE = 'あいうえおつやゆよわ';
const SMALL = 'ぁぃぅぇぉっゃゅょゎ';

/** The plain kana under any ゛ ゜ or small form (が → か, ぱ → は, っ → つ). */
function plainKana(h: string): string {
  for (const [from, to] of [
    [DAKUTEN, BASE],
    [HANDAKUTEN, HANDAKUTEN_BASE],
    [SMALL, SMALL_BASE],
  ] as const) {
    const i = from.indexOf(h);
    if (i >= 0) return to[i]!;
  }
  return h;
}

/**
 * 「゛」「゜」「小」 act on the kana before the caret, as on a phone's kana pad: pressed again
 * they take the mark off (が → か). null when the character cannot take that mark.
 */
export function applyKanaModifier(previous: string, modifier: KanaModifier): string | null {
  const katakana = /[\u30a1-\u30f6]/.test(previous);
  const h = toHiragana(previous);
  const plain = plainKana(h);
  const [bases, marked] = modifier === 'dakuten' ? [BASE, DAKUTEN] : modifier === 'handakuten' ? [HANDAKUTEN_BASE, HANDAKUTEN] : [SMALL_BASE, SMALL];
  const i = bases.indexOf(plain);
  if (i < 0) return null;
  const next = h === marked[i] ? plain : marked[i]!;
  return katakana ? toKatakana(next) : next;
}

/** Every text a layout's keys can type (shift and ひらがな/カタカナ included): for the tests. */
export function typedTexts(layout: KeyboardLayout): Set<string> {
  const out = new Set<string>();
  const hasShift = layout.pages.some((p) => p.rows.flat().some((k) => k?.action.kind === 'shift'));
  const hasScript = layout.pages.some((p) => p.rows.flat().some((k) => k?.action.kind === 'script'));
  for (const page of layout.pages)
    for (const key of page.rows.flat()) {
      if (key?.action.kind !== 'insert') continue;
      out.add(key.action.text);
      if (hasShift) out.add(shifted(key.action.text, true));
      if (hasScript) out.add(toKatakana(key.action.text));
    }
  return out;
}
