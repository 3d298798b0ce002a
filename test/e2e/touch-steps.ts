// Steps of the touch-only kiosk specs (issue 15): everything is tapped — fields, the on-screen
// keyboard's keys, buttons. No fill(), no keyboard.type(): a touch screen is all there is.
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

export const keyboardOf = (page: Page): Locator => page.getByRole('group', { name: '画面キーボード' });

/** The key that types `label` (its text), exactly. */
const key = (page: Page, label: string) => keyboardOf(page).getByRole('button', { name: label, exact: true });

const ASCII_SYMBOLS = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ ';

/** Taps the field, waits for the keyboard with the layout the field asks for. */
export async function tapField(page: Page, field: Locator, layout: string): Promise<void> {
  await field.tap();
  await expect(field).toBeFocused();
  await expect(keyboardOf(page)).toHaveAttribute('data-layout', layout);
  await expectFieldAboveKeyboard(page, field);
}

export async function expectFieldAboveKeyboard(page: Page, field: Locator): Promise<void> {
  const fieldBox = await field.boundingBox();
  const keyboardBox = await keyboardOf(page).boundingBox();
  expect(fieldBox, 'field on screen').not.toBeNull();
  expect(keyboardBox, 'keyboard on screen').not.toBeNull();
  expect(fieldBox!.y + fieldBox!.height, 'the keyboard never covers the focused field').toBeLessThanOrEqual(keyboardBox!.y);
  expect(fieldBox!.y, 'the focused field is on screen').toBeGreaterThanOrEqual(0);
}

async function toPage(page: Page, id: string, label: string): Promise<void> {
  const board = keyboardOf(page);
  if ((await board.getAttribute('data-page')) === id) return;
  await key(page, label).tap();
  await expect(board).toHaveAttribute('data-page', id);
}

/**
 * Types `text` with taps on the visible layout: capitals through Shift, symbols on the 記号
 * page (password layout), one-touch keys such as ".co.jp" when they are given as one token.
 */
export async function tapText(page: Page, text: string | string[]): Promise<void> {
  const tokens = Array.isArray(text) ? text : [...text];
  const layout = await keyboardOf(page).getAttribute('data-layout');
  for (const token of tokens) {
    if (layout === 'password') {
      const symbol = token.length === 1 && ASCII_SYMBOLS.includes(token) && token !== ' ';
      await toPage(page, symbol ? 'symbols' : 'letters', symbol ? '記号' : '英字');
    }
    if (/^[A-Z]$/.test(token) && layout !== 'code') {
      await key(page, 'Shift').tap();
      await expect(key(page, 'Shift')).toHaveAttribute('aria-pressed', 'true');
    }
    await key(page, token === ' ' ? '空白' : token).tap();
  }
}

/** Kana with the keyboard's own marks: 'が' is か then 濁点, 'ょ' is よ then 小書き (ガ: カ then 濁点). */
export async function tapKana(page: Page, text: string): Promise<void> {
  const marks: [string, string, string][] = [];
  const base = 'かきくけこさしすせそたちつてとはひふへほはひふへほあいうえおつやゆよ';
  const marked = 'がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽぁぃぅぇぉっゃゅょ';
  for (let i = 0; i < base.length; i += 1) marks.push([marked[i]!, base[i]!, i < 20 ? '濁点' : i < 25 ? '半濁点' : '小書き']);
  // Katakana is typed with the カタカナ switch on: the keys then show katakana.
  const shift = (c: string, by: number) => String.fromCharCode(c.charCodeAt(0) + by);
  for (const ch of text) {
    const katakana = /[\u30a1-\u30f6]/.test(ch);
    const hira = katakana ? shift(ch, -0x60) : ch;
    const shown = (c: string) => (katakana ? shift(c, 0x60) : c);
    const found = marks.find(([m]) => m === hira);
    if (found) {
      await key(page, shown(found[1])).tap();
      await key(page, found[2]).tap();
    } else {
      await key(page, ch === ' ' ? '空白' : ch).tap();
    }
  }
}

export async function tapNext(page: Page): Promise<void> {
  await keyboardOf(page).getByRole('button', { name: '次へ', exact: true }).tap();
}

/**
 * Every control a customer can touch is at least 44 × 44 CSS px (WCAG 2.5.5), every key of
 * the on-screen keyboard at least 56 × 56. Inline links in running text are the one
 * exception WCAG allows; the screens have none but the error summary's, which are 44 high.
 */
export async function expectTouchTargets(page: Page, where: string): Promise<void> {
  const small = await page.evaluate(() => {
    const out: string[] = [];
    const board = document.querySelector('[aria-label="画面キーボード"], [aria-label="On-screen keyboard"]');
    for (const el of document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, [role="button"], [tabindex]:not([tabindex="-1"])')) {
      // Radix's focus guards around a dialog are zero-size tab stops, not something to touch.
      if (el.getClientRects().length === 0 || el.hasAttribute('data-radix-focus-guard')) continue;
      const r = el.getBoundingClientRect();
      const min = board?.contains(el) ? 56 : 44;
      if (r.width < min - 0.5 || r.height < min - 0.5) out.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || el.id).trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)} < ${min}`);
    }
    return out;
  });
  expect(small, `touch targets on ${where}`).toEqual([]);
}

/** No horizontal scrolling: the page is never wider than the window. */
export async function expectNoHorizontalScroll(page: Page, where: string): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll, `horizontal scroll on ${where}`).toBeLessThanOrEqual(client);
}

export async function setTextSize(page: Page, size: '標準' | '大' | '特大'): Promise<void> {
  const button = page.getByRole('group', { name: '文字サイズ' }).getByRole('button', { name: size, exact: true });
  await button.tap();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
}
