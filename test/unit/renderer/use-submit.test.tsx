import { useState } from 'react';
import { describe, expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { AppError, type CallError } from '../../../src-main/contract';
import { ErrorSummary } from '../../../src-renderer/components/ErrorSummary';
import { Field } from '../../../src-renderer/components/Field';
import { SubmitButton } from '../../../src-renderer/components/SubmitButton';
import { useSubmit } from '../../../src-renderer/components/use-submit';
import { deferred, mount } from './mount';

type Work = () => Promise<{ ok: true }>;

/** A form screen as the kiosk pages build one: summary, two labelled fields, one button. */
function Screen({ work, handled, onDone }: { work: Work; handled?: (error: CallError) => boolean; onDone?: () => void }) {
  const [email, setEmail] = useState('');
  const fields = { jsaId: { id: 't-jsa-id', label: 'JSA-ID' }, email: { id: 't-email', label: 'メールアドレス' } };
  const form = useSubmit({ fields, handled });
  return (
    <>
      {form.described && <ErrorSummary described={form.described} attempt={form.attempt} />}
      <form
        noValidate
        aria-label="テスト"
        onChange={form.onFormChange}
        onSubmit={(event) => {
          event.preventDefault();
          void form.run(work).then((out) => out && onDone?.());
        }}
      >
        <Field id="t-jsa-id" name="jsaId" label="JSA-ID" error={form.described?.byField.jsaId} />
        <Field id="t-email" name="email" label="メールアドレス" required error={form.described?.byField.email} value={email} onChange={(e) => setEmail(e.target.value)} />
        <SubmitButton pending={form.pending} label="サポートメール依頼" />
      </form>
    </>
  );
}

const requiredEmail = () => new AppError('INVALID_INPUT', { fields: [{ field: 'email', code: 'required' }] });

describe('useSubmit', () => {
  test('disables the button and says 送信しています… while the call is on its way, then gives the label back', async () => {
    const call = deferred<{ ok: true }>();
    await mount(<Screen work={() => call.promise} />);
    await page.getByRole('button', { name: 'サポートメール依頼' }).click();
    const busy = page.getByRole('button', { name: '送信しています…' });
    await expect.element(busy).toBeDisabled();
    call.resolve({ ok: true });
    await expect.element(page.getByRole('button', { name: 'サポートメール依頼' })).toBeEnabled();
  });

  test('sends once when the form is submitted twice before the screen could re-render', async () => {
    const call = deferred<{ ok: true }>();
    let calls = 0;
    const { container } = await mount(
      <Screen
        work={() => {
          calls += 1;
          return call.promise;
        }}
      />,
    );
    const form = container.querySelector('form')!;
    // Two submits in one task: React has not disabled the button yet, only the guard stops the second.
    form.requestSubmit();
    form.requestSubmit();
    await expect.element(page.getByRole('button', { name: '送信しています…' })).toBeDisabled();
    // Enter in a field while the call is on its way: the disabled button blocks implicit submission.
    await page.getByRole('textbox', { name: 'JSA-ID' }).click();
    await userEvent.keyboard('{Enter}');
    expect(calls).toBe(1);
    call.resolve({ ok: true });
    // click() waits for the button to be enabled again.
    await page.getByRole('button', { name: 'サポートメール依頼' }).click();
    expect(calls).toBe(2);
  });

  test('a field issue stands beside its field and in the summary, which takes the focus', async () => {
    await mount(<Screen work={() => Promise.reject(requiredEmail())} />);
    await page.getByRole('button', { name: 'サポートメール依頼' }).click();
    const summary = page.getByRole('alert');
    await expect.element(summary).toHaveTextContent('入力内容を確認してください');
    await expect.element(summary).toHaveTextContent('メールアドレスを入力してください。');
    await expect.element(summary).toHaveFocus();
    const email = page.getByRole('textbox', { name: /メールアドレス/ });
    await expect.element(email).toHaveAttribute('aria-invalid', 'true');
    await expect.element(email).toHaveAccessibleDescription(/メールアドレスを入力してください。/);
  });

  test('the same error twice takes the focus back to the summary', async () => {
    await mount(<Screen work={() => Promise.reject(requiredEmail())} />);
    await page.getByRole('button', { name: 'サポートメール依頼' }).click();
    await expect.element(page.getByRole('alert')).toHaveFocus();
    await page.getByRole('textbox', { name: 'JSA-ID' }).click();
    await expect.element(page.getByRole('textbox', { name: 'JSA-ID' })).toHaveFocus();
    await page.getByRole('button', { name: 'サポートメール依頼' }).click();
    await expect.element(page.getByRole('alert')).toHaveFocus();
  });

  test('an error about the situation is worded from its code, with the numbers the server sent', async () => {
    await mount(<Screen work={() => Promise.reject(new AppError('RATE_LIMITED', { params: { seconds: 600 } }))} />);
    await page.getByRole('button', { name: 'サポートメール依頼' }).click();
    await expect.element(page.getByRole('alert')).toHaveTextContent('お手続きを完了できませんでした');
    await expect.element(page.getByRole('alert')).toHaveTextContent('10');
  });

  test('anything that is not an AppError shows the generic INTERNAL message, never the raw text', async () => {
    await mount(<Screen work={() => Promise.reject(new Error('socket hang up'))} />);
    await page.getByRole('button', { name: 'サポートメール依頼' }).click();
    await expect.element(page.getByRole('alert')).toBeVisible();
    expect(document.body.textContent).not.toContain('socket hang up');
  });

  test('typing in the field a message was about takes that message away', async () => {
    await mount(<Screen work={() => Promise.reject(requiredEmail())} />);
    await page.getByRole('button', { name: 'サポートメール依頼' }).click();
    await expect.element(page.getByRole('alert')).toBeVisible();
    await page.getByRole('textbox', { name: /メールアドレス/ }).fill('a@example.jp');
    await expect.element(page.getByRole('alert')).not.toBeInTheDocument();
    await expect.element(page.getByRole('textbox', { name: /メールアドレス/ })).not.toHaveAttribute('aria-invalid');
  });

  test('a success clears the error shown before and runs what follows', async () => {
    let fail = true;
    let done = 0;
    await mount(<Screen work={() => (fail ? Promise.reject(requiredEmail()) : Promise.resolve({ ok: true as const }))} onDone={() => (done += 1)} />);
    await page.getByRole('button', { name: 'サポートメール依頼' }).click();
    await expect.element(page.getByRole('alert')).toBeVisible();
    fail = false;
    await page.getByRole('button', { name: 'サポートメール依頼' }).click();
    await expect.element(page.getByRole('alert')).not.toBeInTheDocument();
    expect(done).toBe(1);
  });

  test('a failure the screen handles itself (a lost session) shows nothing', async () => {
    const seen: string[] = [];
    await mount(
      <Screen
        work={() => Promise.reject(new AppError('SESSION_EXPIRED'))}
        handled={(error) => {
          seen.push(error.code);
          return error.code === 'SESSION_EXPIRED';
        }}
      />,
    );
    await page.getByRole('button', { name: 'サポートメール依頼' }).click();
    // Enabled again: the call has ended and the screen has rendered what it left behind.
    await expect.element(page.getByRole('button', { name: 'サポートメール依頼' })).toBeEnabled();
    expect(seen).toEqual(['SESSION_EXPIRED']);
    expect(document.querySelector('[role="alert"]')).toBeNull();
  });

  test('an error on screen is worded again when the customer switches to English', async () => {
    const { i18n } = await mount(<Screen work={() => Promise.reject(requiredEmail())} />);
    await page.getByRole('button', { name: 'サポートメール依頼' }).click();
    await expect.element(page.getByRole('alert')).toHaveTextContent('メールアドレスを入力してください。');
    await i18n.changeLanguage('en');
    await expect.element(page.getByRole('alert')).toHaveTextContent('Please check what you entered');
  });
});
