/**
 * What 音声案内 reads (issue 15), taken from the screen's text, never from a field: the open
 * dialog's title and text, or else the page heading and its first instruction, plus any
 * error summary. The lines are plain text of headings and messages, none of which carries
 * what the customer typed; `withoutTyped` drops a line anyway if it contains a field's value.
 */
export function linesOnScreen(root: ParentNode = document): string[] {
  const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const dialog = root.querySelector('[role="dialog"], [role="alertdialog"]');
  if (dialog) return [text(dialog.querySelector('.dialog__title')), text(dialog.querySelector('.dialog__body'))].filter(Boolean);
  const main = root.querySelector('main');
  if (!main) return [];
  const heading = text(main.querySelector('h1'));
  const instruction = text(main.querySelector('.lead, .guide, .note'));
  const alerts = [...main.querySelectorAll('[role="alert"]')].map((el) => {
    // The summary's "!" icon is decoration.
    const copy = el.cloneNode(true) as Element;
    copy.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
    return text(copy);
  });
  return [heading, instruction, ...alerts].filter(Boolean);
}

/** Drops any line holding what is in a field (3 characters or more, compared without spaces). */
export function withoutTyped(lines: string[], values: string[]): string[] {
  const squash = (s: string) => s.normalize('NFKC').replace(/[\s-]+/g, '').toLowerCase();
  const typed = values.map(squash).filter((v) => v.length >= 3);
  return lines.filter((line) => !typed.some((v) => squash(line).includes(v)));
}

export function fieldValues(root: ParentNode = document): string[] {
  return [...root.querySelectorAll('input')].map((input) => input.value).filter(Boolean);
}

export type VoiceLang = 'ja-JP' | 'en-US';

/** The installed voice for the language, or null (then the switch says so and nothing is read). */
export function voiceFor(lang: VoiceLang): SpeechSynthesisVoice | null {
  if (typeof window === 'undefined' || !('speechSynthesis' in window)) return null;
  const prefix = lang.slice(0, 2);
  const voices = window.speechSynthesis.getVoices();
  return voices.find((v) => v.lang === lang) ?? voices.find((v) => v.lang.replace('_', '-').startsWith(prefix)) ?? null;
}
