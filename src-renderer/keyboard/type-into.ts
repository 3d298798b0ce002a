import { applyKanaModifier, type KanaModifier } from './layouts';

const valueSetter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;

/**
 * Sets the field's value as typing does: through the native setter (so React's value tracker
 * sees a change) and a bubbling `input` event, so react-hook-form, controlled inputs, the
 * form's onChange and the idle guard all run exactly as for a physical key.
 */
function setValue(input: HTMLInputElement, value: string, caret: number): void {
  valueSetter.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  // Inputs without a selection API (none of ours, but type=email/number would be) just append.
  try {
    input.setSelectionRange(caret, caret);
  } catch {
    // No selection on this input type.
  }
}

function selection(input: HTMLInputElement): [number, number] {
  const end = input.value.length;
  try {
    return [input.selectionStart ?? end, input.selectionEnd ?? end];
  } catch {
    return [end, end];
  }
}

/** Inserts at the caret (replacing a selection), within the field's maxLength. */
export function insertText(input: HTMLInputElement, text: string): void {
  const [start, end] = selection(input);
  const room = input.maxLength > 0 ? input.maxLength - (input.value.length - (end - start)) : Infinity;
  const piece = text.slice(0, Math.max(0, room));
  if (piece === '' && start === end) return;
  setValue(input, input.value.slice(0, start) + piece + input.value.slice(end), start + piece.length);
}

export function backspace(input: HTMLInputElement): void {
  const [start, end] = selection(input);
  if (start !== end) {
    setValue(input, input.value.slice(0, start) + input.value.slice(end), start);
    return;
  }
  if (start === 0) return;
  // One character, not one UTF-16 unit: a surrogate pair goes as a whole.
  const before = [...input.value.slice(0, start)];
  before.pop();
  const head = before.join('');
  setValue(input, head + input.value.slice(start), head.length);
}

export function clearField(input: HTMLInputElement): void {
  if (input.value !== '') setValue(input, '', 0);
}

/** 「゛」「゜」「小」 on the kana before the caret; a no-op where it cannot take the mark. */
export function modifyBeforeCaret(input: HTMLInputElement, modifier: KanaModifier): void {
  const [start, end] = selection(input);
  if (start !== end || start === 0) return;
  const previous = input.value.slice(start - 1, start);
  const next = applyKanaModifier(previous, modifier);
  if (next === null) return;
  setValue(input, input.value.slice(0, start - 1) + next + input.value.slice(start), start);
}
