import { useEffect, useState } from 'react';
import { describe, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import { AppError } from '../../../src-main/contract';
import { LoadingMain, useLoad } from '../../../src-renderer/staff/ui';
import { deferred, mount } from './mount';

/** A screen part as the settings screen builds one: a draft copied from the answer, then a button. */
function Part({ answer, name }: { answer: Promise<{ value: string }>; name: string }) {
  const loaded = useLoad(() => answer, []);
  const [draft, setDraft] = useState<string | undefined>();
  useEffect(() => {
    if (loaded.data) setDraft(loaded.data.value);
  }, [loaded.data]);
  return draft ? <button type="button">{`${name} ${draft}`}</button> : null;
}

describe('LoadingMain', () => {
  test('is aria-busy until every part has its first answer, and the drafts are drawn when it clears', async () => {
    const first = deferred<{ value: string }>();
    const second = deferred<{ value: string }>();
    await mount(
      <LoadingMain className="main">
        <Part answer={first.promise} name="one" />
        <Part answer={second.promise} name="two" />
      </LoadingMain>,
    );
    const main = page.getByRole('main');
    await expect.element(main).toHaveAttribute('aria-busy', 'true');
    first.resolve({ value: 'a' });
    await expect.element(page.getByRole('button', { name: 'one a' })).toBeInTheDocument();
    expect(main.element().getAttribute('aria-busy')).toBe('true');
    second.resolve({ value: 'b' });
    await expect.element(main).not.toHaveAttribute('aria-busy');
    // Cleared in the same commit as the page's own effect: the button is there the moment busy is gone.
    expect(page.getByRole('button', { name: 'two b' }).elements()).toHaveLength(1);
  });

  test('a screen drawn later (a menu choice) is busy from the moment its heading is there', async () => {
    const answer = deferred<{ value: string }>();
    let show: (on: boolean) => void = () => undefined;
    function Screen() {
      const [shown, setShown] = useState(false);
      show = setShown;
      return shown ? (
        <>
          <h1>アカウントの書き出し</h1>
          <Part answer={answer.promise} name="export" />
        </>
      ) : null;
    }
    const { container } = await mount(
      <LoadingMain className="main">
        <Screen />
      </LoadingMain>,
    );
    const main = container.querySelector('main')!;
    // What a reader sees the first time the heading is in the document: checked in the
    // microtask after React's commit, before anything React scheduled for later has run.
    const seen = new Promise<string | null>((resolve) => {
      const observer = new MutationObserver(() => {
        if (!container.querySelector('h1')) return;
        observer.disconnect();
        resolve(main.getAttribute('aria-busy'));
      });
      observer.observe(container, { childList: true, subtree: true });
    });
    // Not a discrete event: React renders it as it renders a screen after an answer arrives.
    setTimeout(() => show(true), 0);
    expect(await seen).toBe('true');
    answer.resolve({ value: 'a' });
    await expect.element(page.getByRole('main')).not.toHaveAttribute('aria-busy');
    expect(page.getByRole('button', { name: 'export a' }).elements()).toHaveLength(1);
  });

  test('a refused load also ends the wait (the error is what the screen shows)', async () => {
    const refused = deferred<{ value: string }>();
    await mount(
      <LoadingMain className="main">
        <Part answer={refused.promise} name="one" />
      </LoadingMain>,
    );
    await expect.element(page.getByRole('main')).toHaveAttribute('aria-busy', 'true');
    refused.reject(new AppError('FORBIDDEN'));
    await expect.element(page.getByRole('main')).not.toHaveAttribute('aria-busy');
  });
});
