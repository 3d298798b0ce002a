import type { InputHTMLAttributes, ReactNode, Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeyboardLayoutName } from '../keyboard/layouts';

export interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'children'> {
  id: string;
  label: string;
  required?: boolean;
  hint?: ReactNode;
  /** Guidance that follows the typing (digit count…): announced politely, not as an error. */
  live?: ReactNode;
  /** false: the `live` line updates silently (a character counter would chatter on every key). */
  announce?: boolean;
  error?: string;
  /** Something beside the input, such as the show-password toggle. */
  addon?: ReactNode;
  ref?: Ref<HTMLInputElement>;
  /** The on-screen keyboard's keys for this field; without it, kana (or password keys for a password). */
  keyboard?: KeyboardLayoutName;
}

/**
 * One labelled input in the Digital Agency pattern: visible label with 「必須」, hint, the
 * error beside the field (aria-invalid + aria-describedby), then the input.
 */
export function Field({ id, label, required, hint, live, announce = true, error, addon, ref, className, keyboard, ...input }: FieldProps) {
  const { t } = useTranslation();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const liveId = live !== undefined ? `${id}-live` : undefined;
  const describedBy = [errorId, hintId, liveId].filter(Boolean).join(' ') || undefined;

  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
        {required && (
          <>
            {' '}
            <span className="badge-required">{t('app.required')}</span>
          </>
        )}
      </label>
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error">
          <span aria-hidden="true" className="field__error-icon">
            !
          </span>
          {error}
        </p>
      )}
      <div className="field__control">
        <input
          ref={ref}
          id={id}
          className={`input${className ? ` ${className}` : ''}`}
          aria-invalid={error ? true : undefined}
          aria-required={required ? true : undefined}
          aria-describedby={describedBy}
          data-keyboard={keyboard}
          {...input}
        />
        {addon}
      </div>
      {live !== undefined && (
        <p id={liveId} className="field__live" aria-live={announce ? 'polite' : 'off'}>
          {live}
        </p>
      )}
    </div>
  );
}
