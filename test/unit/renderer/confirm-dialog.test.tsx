import { useState } from 'react';
import { describe, expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { ConfirmDialog } from '../../../src-renderer/staff/ConfirmDialog';
import { mount } from './mount';

/** A screen's use of the dialog: a plain button opens it, and confirming closes it once the work is done. */
function Opener() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        削除する
      </button>
      <ConfirmDialog open={open} title="削除しますか" confirmLabel="削除" onConfirm={() => setOpen(false)} onCancel={() => setOpen(false)}>
        <p>元に戻せません。</p>
      </ConfirmDialog>
    </>
  );
}

describe('ConfirmDialog gives focus back to the button that opened it (WCAG 2.4.3)', () => {
  const opener = () => page.getByRole('button', { name: '削除する' });
  const dialog = () => page.getByRole('dialog', { name: '削除しますか' });

  test.each([
    ['Escape', () => userEvent.keyboard('{Escape}')],
    ['やめる', () => dialog().getByRole('button', { name: 'やめる' }).click()],
    ['the confirm button', () => dialog().getByRole('button', { name: '削除' }).click()],
  ])('closed with %s', async (_how, close) => {
    await mount(<Opener />);
    await opener().click();
    await expect.element(dialog()).toBeVisible();
    await expect.poll(() => document.activeElement?.closest('[role="dialog"]')).not.toBeNull();
    await close();
    await expect.element(dialog()).not.toBeInTheDocument();
    await expect.poll(() => document.activeElement?.textContent).toBe('削除する');
  });
});
