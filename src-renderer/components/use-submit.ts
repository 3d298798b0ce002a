import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallError } from '../../src-main/contract';
import { toCallError } from '../api/api-context';
import { describeError, editedField, useCallErrorState, type DescribedError, type FieldRef } from './form-errors';

export interface SubmitOptions {
  /** The server's field names → the inputs on this screen, in screen order (see describeError). */
  fields?: Record<string, FieldRef>;
  /** 'grant': CODE_EXPIRED is worded for the password step's spent grant. */
  variant?: 'grant';
  /**
   * Failures the screen deals with itself, such as a lost マイページ session that sends the
   * customer back to ログイン: return true and no error is shown.
   */
  handled?: (error: CallError) => boolean;
}

export interface Submit {
  /** A call is on its way: SubmitButton says 送信中 and further submits are ignored. */
  pending: boolean;
  error: CallError | null;
  /** Changes on every failure, so ErrorSummary takes focus again for the same error twice. */
  attempt: number;
  /** The error as the screen shows it (summary lines, messages beside fields); null without one. */
  described: DescribedError | null;
  /**
   * Runs one call. Its value on success (the error is cleared first); undefined when it failed
   * (the error is shown) or when another call of this form is still on its way.
   */
  run: <T>(work: () => Promise<T>) => Promise<T | undefined>;
  /** For <form onChange>: drops the errors about the input just edited. */
  onFormChange: (event: FormEvent) => void;
  edited: (field: string) => void;
  fail: (error: CallError) => void;
  clear: () => void;
}

/**
 * The one way a form (or a button) calls the main process: pending state, no double submit,
 * a failed call's typed error turned into field messages and the summary, cleared on success.
 */
export function useSubmit(options: SubmitOptions = {}): Submit {
  const { t } = useTranslation();
  const { error, attempt, fail, clear, edited } = useCallErrorState();
  const [pending, setPending] = useState(false);
  // A ref, not the state: two taps within one frame both see pending === false.
  const inFlight = useRef(false);

  const run = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    if (inFlight.current) return undefined;
    inFlight.current = true;
    setPending(true);
    try {
      const value = await work();
      clear();
      return value;
    } catch (e) {
      const err = toCallError(e);
      if (!options.handled?.(err)) fail(err);
      return undefined;
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  };

  const described = error ? describeError(t, error, options.fields ?? {}, options.variant) : null;
  const onFormChange = (event: FormEvent) => edited(editedField(event));
  return { pending, error, attempt, described, run, onFormChange, edited, fail, clear };
}
