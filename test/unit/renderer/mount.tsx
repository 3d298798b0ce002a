import type { ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { afterEach } from 'vitest';
import { createI18n } from '../../../src-renderer/i18n/setup';

// No act(): this is a real browser with real events, so React renders as it does in the app,
// and the assertions (expect.element) wait for what the customer would see.
const mounted: Array<{ root: Root; container: HTMLElement }> = [];

afterEach(() => {
  for (const { root, container } of mounted.splice(0)) {
    root.unmount();
    container.remove();
  }
});

/** Renders into the real document of the test's Chromium page, with the app's own i18n (ja first). */
export async function mount(node: ReactNode) {
  const i18n = createI18n();
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  mounted.push({ root, container });
  flushSync(() => root.render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>));
  return { container, i18n };
}

/** A promise the test settles by hand: "the call is still on its way" is a real state here. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
