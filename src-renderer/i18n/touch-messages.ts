import type { Messages } from './message-shape';

/**
 * The touch kiosk's messages (issue 15): the on-screen keyboard, 文字サイズ / コントラスト,
 * 音声案内 and the 受付票. Kept apart from ja.ts/en.ts so other changes to those files merge cleanly.
 */
export const touchJa = {
  keyboard: {
    label: '画面キーボード',
    toggle: 'キーボード',
    next: '次へ',
    close: '閉じる',
    backspace: '削除',
    clear: '全部消す',
    shift: 'Shift',
    space: '空白',
    script: 'カタカナ',
    dakuten: '濁点',
    handakuten: '半濁点',
    small: '小書き',
    pages: 'キーボードの種類',
    page: {
      digits: '数字',
      code: 'コード',
      letters: '英字',
      symbols: '記号',
      kana: 'かな',
      alnum: '英数',
    },
    kanaNote: '漢字に変換できない場合は、ひらがな・カタカナでご入力いただいて構いません。',
  },
  voice: {
    toggle: '音声案内',
    unavailable: 'この端末には日本語の音声が入っていないため、音声案内は使えません。',
  },
  display: {
    textSize: '文字サイズ',
    size: { standard: '標準', large: '大', xlarge: '特大' },
    contrast: 'コントラスト',
    contrastMode: { standard: '標準', inverted: '白黒反転' },
  },
} as const;

export const touchEn: Messages<typeof touchJa> = {
  keyboard: {
    label: 'On-screen keyboard',
    toggle: 'Keyboard',
    next: 'Next',
    close: 'Close',
    backspace: 'Delete',
    clear: 'Clear all',
    shift: 'Shift',
    space: 'Space',
    script: 'Katakana',
    dakuten: 'Dakuten',
    handakuten: 'Handakuten',
    small: 'Small kana',
    pages: 'Keyboard type',
    page: {
      digits: 'Digits',
      code: 'Code',
      letters: 'Letters',
      symbols: 'Symbols',
      kana: 'Kana',
      alnum: 'ABC 123',
    },
    kanaNote: 'If you cannot enter kanji, hiragana or katakana is fine.',
  },
  voice: {
    toggle: 'Voice guide',
    unavailable: 'This machine has no English voice installed, so the voice guide is not available.',
  },
  display: {
    textSize: 'Text size',
    size: { standard: 'Standard', large: 'Large', xlarge: 'Extra large' },
    contrast: 'Contrast',
    contrastMode: { standard: 'Standard', inverted: 'Inverted (white on black)' },
  },
};
